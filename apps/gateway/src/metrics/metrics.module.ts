import { Module } from '@nestjs/common';
import { QueuesModule } from '../ops/queues.module.js';
import { DecisionMetrics } from './decision-metrics.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { OperationsSnapshots } from './operations-snapshot.js';
import { ReviewMetrics } from './review-metrics.js';

const controllers = [MetricsController];
const providers = [GatewayMetrics, OperationsSnapshots, DecisionMetrics, ReviewMetrics];

/** Prometheus `/metrics` on the gateway; features that count their own figures import it for `DecisionMetrics`. */
@Module({ imports: [QueuesModule], controllers, providers, exports: [DecisionMetrics] })
export class MetricsModule {}
