import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';
import { StaffRoles } from '../auth/staff-auth.guard.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** Operators only: the figures count cases by item and department, which is not for anyone on the network. */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
@StaffRoles('operator')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus text exposition of the gateway and operations gauges (for the scraper).' })
  @ApiProduces('text/plain')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('content-type', this.metrics.contentType);
    return this.metrics.metrics();
  }
}
