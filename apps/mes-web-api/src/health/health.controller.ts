import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@mes/aim-auth';
import { HealthReport, HealthService, healthStatusCode } from './health.service';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'health',
    summary:
      'Status of the database, the token authorities and the background user (no token needed)',
  })
  @ApiResponse({ status: 200, description: 'The database is up (status ok or degraded).' })
  @ApiResponse({ status: 503, description: 'The database is down.' })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    void reply.status(healthStatusCode(report));
    void reply.header('cache-control', 'no-store');
    return report;
  }
}
