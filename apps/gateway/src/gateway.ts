import 'reflect-metadata';
import { type IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { type Clock } from '@minsheng/domain';
import { type AppConfig, clockFor, requestIdOf } from '@minsheng/infra';
import { consoleSignIn } from './auth/console-sign-in.js';
import { mountConsole } from './console/console-mount.js';
import { mountOpenApi } from './docs/openapi.js';
import { GatewayModule } from './gateway.module.js';
import { refuseUnstorableInput } from './problems/input-guard.js';
import { sendFrameworkError } from './problems/problem-details.filter.js';
import { applySecurityHeaders } from './security/security-headers.js';

/** Request bodies above this are refused with 413 before any parsing (an application with its material list fits easily). */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** Builds the gateway (used by main.ts and by the tests, so both run the same wiring; tests may pass a `clock`). */
export async function createGateway(
  config: AppConfig,
  options: { clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    requestIdHeader: false,
    trustProxy: true,
    return503OnClosing: true,
    frameworkErrors: sendFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config, options.clock ?? clockFor(config)),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  // Echo the request id so a portal can quote it to an operator.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  fastify.addHook('preValidation', refuseUnstorableInput);
  applySecurityHeaders(app);
  mountOpenApi(app);
  const signIn = consoleSignIn(config);
  await mountConsole(app, signIn.mode === 'oidc' ? signIn.issuer : null);
  return app;
}
