import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { withLazyChildren } from './lazy-children.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** pino-http writes a request's completion line at `info` (errors included, since no custom level is set). */
const REQUEST_LOG_LEVELS: ReadonlySet<AppConfig['logLevel']> = new Set(['info', 'debug', 'trace']);

/**
 * Accepts a caller's request id when it is a sane token, so a portal's id travels through our logs. The id is kept on
 * the request, where pino-http looks first: Fastify (which asks first) and the logs share one id, made once.
 */
export function requestIdOf(req: IncomingMessage): string {
  // pino-http's typing says `id` is always there; before either has asked it is not.
  const known: unknown = req.id;
  if (typeof known === 'string') return known;
  const given = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  const id = value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
  req.id = id;
  return id;
}

/**
 * JSON logs (pino) with the request id on every line. Personal data never reaches a log: request bodies are not
 * logged, and the credentials and identity fields below are redacted wherever they appear.
 */
export function loggerModule(service: 'gateway' | 'worker'): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      // nestjs-pino on Fastify needs an explicit catch-all route to give every request its context.
      forRoutes: ['{*splat}'],
      pinoHttp: {
        // pino-http's per-request child (the request bound) is made when it first writes a line.
        logger: withLazyChildren(pino({ level: config.logLevel, base: { service } })),
        level: config.logLevel,
        genReqId: (req: IncomingMessage) => requestIdOf(req),
        customAttributeKeys: { reqId: 'requestId' },
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers["x-api-key"]',
            'req.headers.cookie',
            '*.idNumber',
            '*.*.idNumber',
            '*.bankAccount',
            '*.phone',
          ],
          censor: '[redacted]',
        },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        },
        // Below `info` the completion line is never written: no response listeners and no per-request log call
        // (bench/profiles/intake.md "The gateway's cost, second pass (2026-12-07)").
        autoLogging: REQUEST_LOG_LEVELS.has(config.logLevel)
          ? { ignore: (req: IncomingMessage) => requestPath(req) === '/health/live' }
          : false,
      },
    }),
  });
}

/**
 * The path a request was sent to. A Nest middleware sees `req.url` with its mount point cut off (Fastify's middie
 * keeps the whole one in `originalUrl`), so the liveness probe was not recognised and was logged on every call.
 */
function requestPath(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!;
}
