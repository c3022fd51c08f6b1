import { Module } from '@nestjs/common';
import { QueuesModule } from '../ops/queues.module.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { OperationsSnapshots } from './operations-snapshot.js';

const controllers = [MetricsController];
const providers = [GatewayMetrics, OperationsSnapshots];

/** Prometheus `/metrics` on the gateway. */
@Module({ imports: [QueuesModule], controllers, providers })
export class MetricsModule {}
