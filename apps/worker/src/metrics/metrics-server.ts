import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';
import { collectWorkerDefaults, workerRegistry } from './worker-metrics.js';

/**
 * The worker has no HTTP API, so a bare node:http server exposes `/metrics` on WORKER_METRICS_PORT (0: none),
 * on the same host setting as the gateway, and `/health/live` for container health checks (docker-compose.yml): it
 * listens only once the application has bootstrapped, every queue worker started. Anything else is a 404.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server?: Server;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The bound port (useful when configured as an ephemeral port in tests); undefined when disabled. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    collectWorkerDefaults();
    if (this.config.metrics.workerPort === 0) return;
    const server = createServer((request, response) => {
      const path = request.url?.split('?')[0];
      if (request.method === 'GET' && path === '/health/live') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}\n');
        return;
      }
      if (request.method !== 'GET' || path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      workerRegistry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': workerRegistry.contentType }).end(text),
        (error: unknown) => {
          this.logger.error({ err: error }, 'metrics collection failed');
          response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
        },
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.config.metrics.workerPort, this.config.gateway.host, () => resolve());
      });
    } catch (error) {
      // A second worker process on the same machine with the same port: it must still work its queues.
      this.logger.error(
        { err: error },
        `worker metrics not served: port ${this.config.metrics.workerPort} unavailable`,
      );
      return;
    }
    this.server = server;
    this.logger.log(`worker metrics on http://${this.config.gateway.host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
