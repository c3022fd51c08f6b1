import { z } from 'zod';

/**
 * Every setting minsheng reads, validated once at boot. Defaults work on a developer machine with PostgreSQL on
 * 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379; production must set the secrets.
 */
const DEVELOPMENT_PII_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LWZvci1wcm9k'; // base64, 32 bytes: development only
const DEVELOPMENT_JWT_SECRET = 'minsheng-development-secret-change-me';

const port = z.coerce.number().int().min(0).max(65535);

export const configShape = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(3000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/minsheng'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier')
    .default('public'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _ - and {} (Redis Cluster hash tags)')
    .default('minsheng'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  HEARTBEAT_EVERY_MS: z.coerce.number().int().min(100).default(10_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Default 9464, or 0 (off) under NODE_ENV=test, where many workers share one machine. */
  WORKER_METRICS_PORT: port.optional(),
  METRICS_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  PII_ENCRYPTION_KEY: z.string().default(DEVELOPMENT_PII_KEY),
  PII_HASH_KEY: z.string().default(DEVELOPMENT_PII_KEY),
  JWT_SECRET: z.string().min(16).default(DEVELOPMENT_JWT_SECRET),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().default('minsheng-dev'),
  JWT_AUDIENCE: z.string().default('minsheng'),
  /** A staff token's `exp` may lie at most this far after its `iat` (12 hours: one working day and a margin). */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(12 * 3600),
  /**
   * Development and tests only: the business clock starts at this instant (ISO 8601 with an offset) when the
   * process starts, and runs on from there (docs/time.md). Production always runs on the system clock.
   */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
});

export const configSchema = configShape.superRefine((env, ctx) => {
  if (env.NODE_ENV !== 'production') return;
  if (env.CLOCK_START !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['CLOCK_START'], message: 'must not be set in production' });
  }
  // Shipping the development secrets to production would make every token and every stored ID number readable.
  for (const [key, devValue] of [
    ['PII_ENCRYPTION_KEY', DEVELOPMENT_PII_KEY],
    ['PII_HASH_KEY', DEVELOPMENT_PII_KEY],
    ['JWT_SECRET', DEVELOPMENT_JWT_SECRET],
  ] as const) {
    if (env[key] === devValue && !(key === 'JWT_SECRET' && env.JWT_JWKS_URL)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be set in production' });
    }
  }
});

type Env = z.infer<typeof configSchema>;

export interface AppConfig {
  readonly env: Env['NODE_ENV'];
  readonly gateway: { readonly host: string; readonly port: number; readonly publicBaseUrl: string };
  readonly database: { readonly url: string; readonly schema: string; readonly poolSize: number };
  readonly redis: { readonly url: string; readonly queuePrefix: string };
  readonly logLevel: Env['LOG_LEVEL'];
  readonly shutdownTimeoutMs: number;
  readonly worker: { readonly heartbeatEveryMs: number; readonly concurrency: number };
  /** Prometheus: the worker's metrics port (0: no server) and how long SQL-derived gauges are reused. */
  readonly metrics: { readonly workerPort: number; readonly cacheMs: number };
  readonly pii: { readonly encryptionKey: string; readonly hashKey: string };
  readonly jwt: {
    readonly secret: string;
    readonly jwksUrl?: string;
    readonly issuer: string;
    readonly audience: string;
    readonly maxLifetimeSeconds: number;
  };
  /** Set only outside production: where the business clock starts (`CLOCK_START`). */
  readonly clockStart?: Date;
}

export class ConfigurationError extends Error {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment once; the result is injected typed (APP_CONFIG), never re-read. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = configSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    gateway: {
      host: e.GATEWAY_HOST,
      port: e.GATEWAY_PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://${e.GATEWAY_HOST}:${e.GATEWAY_PORT}`,
    },
    database: { url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolSize: e.DATABASE_POOL_SIZE },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    worker: { heartbeatEveryMs: e.HEARTBEAT_EVERY_MS, concurrency: e.WORKER_CONCURRENCY },
    metrics: {
      workerPort: e.WORKER_METRICS_PORT ?? (e.NODE_ENV === 'test' ? 0 : 9464),
      cacheMs: e.METRICS_CACHE_MS,
    },
    pii: { encryptionKey: e.PII_ENCRYPTION_KEY, hashKey: e.PII_HASH_KEY },
    jwt: {
      secret: e.JWT_SECRET,
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS,
    },
    ...(e.CLOCK_START === undefined ? {} : { clockStart: new Date(e.CLOCK_START) }),
  };
}

/** Every key the configuration reads; a test holds the README's configuration table to exactly this list. */
export const CONFIG_KEYS = Object.keys(configShape.shape);
