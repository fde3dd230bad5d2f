import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, Public } from '@mes-web-api/aim-auth';
import {
  HealthReport,
  HealthService,
  healthStatusCode,
  PublicHealth,
  publicHealth,
  Readiness,
} from './health.service';

/**
 * Health for load balancers and orchestrators: public answers carry status words only (no issuer
 * URL, no user id); the details need a token. Every answer is `Cache-Control: no-store`.
 */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'health',
    summary:
      'Status words of the database, the token authorities, the background user and the cache (no token needed)',
  })
  @ApiResponse({ status: 200, description: 'The database is up (status ok or degraded).' })
  @ApiResponse({ status: 503, description: 'The database is down.' })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<PublicHealth> {
    const report = await this.health.report();
    void reply.status(healthStatusCode(report));
    return publicHealth(report);
  }

  @Public()
  @Get('live')
  @ApiOperation({
    operationId: 'health.live',
    summary: 'Liveness: 200 while the process serves requests (no token needed)',
  })
  @ApiResponse({ status: 200, description: 'The process serves requests.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({
    operationId: 'health.ready',
    summary:
      'Readiness: 200 once the database answers and every authority has been reached; 503 before, without the database and during shutdown (no token needed)',
  })
  @ApiResponse({ status: 200, description: 'Ready for traffic.' })
  @ApiResponse({ status: 503, description: 'Not ready (status words say why).' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.health.readiness();
    void reply.status(readiness.status === 'ready' ? 200 : 503);
    return readiness;
  }

  @Authenticated()
  @Get('details')
  @ApiOperation({
    operationId: 'health.details',
    summary:
      'The whole health report: database, each trusted authority (issuer, keys, fetches), the background user and the cache (any valid token)',
  })
  @ApiResponse({ status: 200, description: 'The database is up (status ok or degraded).' })
  @ApiResponse({ status: 503, description: 'The database is down.' })
  async details(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    void reply.status(healthStatusCode(report));
    return report;
  }
}
