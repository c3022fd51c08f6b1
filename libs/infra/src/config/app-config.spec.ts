import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, ConfigurationError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('works with no settings on a developer machine', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/minsheng');
    // No Redis configured: the queues run on BullMQ's PostgreSQL backend.
    expect(config.redis.url).toBeUndefined();
    expect(config.queueBackend).toBe('postgres');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).queueBackend).toBe('redis');
    expect(config.gateway).toEqual({ host: '127.0.0.1', port: 3000, publicBaseUrl: 'http://127.0.0.1:3000' });
    expect(config.redis.queuePrefix).toBe('minsheng');
  });

  it('coerces and validates values, naming every bad setting at once', () => {
    expect(loadConfig({ GATEWAY_PORT: '8080', WORKER_CONCURRENCY: '4' }).gateway.port).toBe(8080);
    let error: unknown;
    try {
      loadConfig({ GATEWAY_PORT: 'eighty', DATABASE_SCHEMA: 'Robert"; DROP', NODE_ENV: 'staging' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const paths = (error as ConfigurationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['DATABASE_SCHEMA', 'GATEWAY_PORT', 'NODE_ENV']);
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PII_ENCRYPTION_KEY.*\n.*PII_HASH_KEY.*\n.*JWT_SECRET/s,
    );
    const config = loadConfig({
      NODE_ENV: 'production',
      PII_ENCRYPTION_KEY: 'cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZy1vay4=',
      PII_HASH_KEY: 'cHJvZHVjdGlvbi1oYXNoLWtleS0zMi1ieXRlcy1vay4=',
      JWT_JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json',
    });
    expect(config.jwt.jwksUrl).toContain('jwks.json');
  });

  it('is documented: the README configuration table lists exactly the keys it reads', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    // The first cell of each row names one key or several (`JWT_SECRET` / `JWT_JWKS_URL` / …).
    const firstCells = [...readme.matchAll(/^\| (`[A-Z][^|]*)\|/gm)].map((m) => m[1]!);
    const documented = firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect([...new Set(documented)].sort()).toEqual([...CONFIG_KEYS].sort());
  });
});
