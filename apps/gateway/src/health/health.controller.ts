import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisHealthIndicator } from './redis.health.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked).' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // Terminus documents itself only when it can require @nestjs/swagger, which differs between runtimes: the
  // committed document must not (docs/api.md "The API contract").
  @HealthCheck({ swaggerDocumentation: false, noCache: true })
  @ApiOperation({
    summary: 'Readiness: PostgreSQL and Redis (when configured) answer; 503 names the one that does not.',
  })
  @ApiResponse({ status: 200, description: 'PostgreSQL and Redis (when configured) answer' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(1_500),
      ...(this.redis.configured ? [() => this.redis.ping('redis')] : []),
    ]);
  }
}
