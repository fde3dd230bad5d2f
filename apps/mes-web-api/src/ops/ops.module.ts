import { Global, Module } from '@nestjs/common';
import { MesMetrics } from './metrics/mes-metrics';
import { MetricsServer } from './metrics/metrics-server';

/**
 * Operations: the metrics registry (`MesMetrics`, global, so the data layer can record query
 * times, busy answers and open transactions) and its listener. The per-request hooks, the
 * logger, the security headers and the failed-authentication limit are installed on the HTTP
 * adapter by `createMesWebApi` (bootstrap.ts).
 */
@Global()
@Module({
  providers: [MesMetrics, MetricsServer],
  exports: [MesMetrics, MetricsServer],
})
export class OpsModule {}
