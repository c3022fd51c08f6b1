import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../../libs/infra/src/index.js';

// No Docker engine on the CI machine: this test reads the compose file and checks what `docker compose up` relies on.
type Service = {
  image?: string;
  pull_policy?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  stop_grace_period?: string;
};
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;

/** `${NAME:-default}` as compose resolves it on a machine that sets none of them. */
function interpolated(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, (_, fallback: string) => fallback),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it('runs postgres, redis, gateway and worker (plus the one-shot migration)', () => {
    expect(Object.keys(services).sort()).toEqual(['gateway', 'migrate', 'postgres', 'redis', 'worker']);
  });

  it('keeps Redis durable and non-evicting', () => {
    const command = services['redis']!.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('applies migrations before the apps start, and the apps wait for healthy services', () => {
    for (const app of ['gateway', 'worker']) {
      expect(services[app]!.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(services['migrate']!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(services['migrate']!.command).toEqual(['node', 'dist/scripts/prepare-database.js']);
    expect(services['postgres']!.healthcheck).toBeDefined();
    expect(services['redis']!.healthcheck).toBeDefined();
  });

  it('gives each app an environment the production configuration accepts, pointing at the compose services', () => {
    for (const app of ['gateway', 'worker', 'migrate']) {
      const env = interpolated(services[app]!.environment!);
      // A misspelt key would be silently ignored by the app: every key must be one it reads.
      expect(Object.keys(env).filter((key) => !CONFIG_KEYS.includes(key))).toEqual([]);
      const config = loadConfig(env);
      expect(config.env).toBe('production');
      expect(new URL(config.database.url).hostname).toBe('postgres');
      expect(new URL(config.redis.url!).hostname).toBe('redis');
    }
    const gateway = loadConfig(interpolated(services['gateway']!.environment!)).gateway;
    expect(services['gateway']!.ports).toContain(`${gateway.port}:${gateway.port}`);
    expect(gateway.host).toBe('0.0.0.0');
  });

  it('runs entry points the build emits (dist/… compiled from a source file that exists)', () => {
    for (const app of ['gateway', 'worker', 'migrate']) {
      const script = services[app]!.command!.find((part) => part.startsWith('dist/'))!;
      const source = script.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([app, existsSync(new URL(`../../${source}`, import.meta.url))]).toEqual([app, true]);
    }
  });

  it('builds one image once and runs migrate, gateway and worker from it', () => {
    const built = Object.entries(services).filter(([, service]) => service.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['migrate']);
    const image = services['migrate']!.image;
    expect(image).toBeDefined();
    for (const app of ['gateway', 'worker']) {
      expect([app, services[app]!.image, services[app]!.pull_policy]).toEqual([app, image, 'never']);
    }
  });

  it('health-checks the gateway and the worker on the routes they serve', () => {
    const probe = (app: string) => services[app]!.healthcheck!.test.join(' ');
    expect(probe('gateway')).toContain(
      `:${loadConfig(interpolated(services['gateway']!.environment!)).gateway.port}/health/ready`,
    );
    const worker = loadConfig(interpolated(services['worker']!.environment!));
    // The worker serves /health/live beside /metrics (apps/worker/src/metrics/metrics-server.ts), on its host setting.
    expect(worker.gateway.host).toBe('127.0.0.1');
    expect(probe('worker')).toContain(`http://127.0.0.1:${worker.metrics.workerPort}/health/live`);
  });

  it("runs the README's compose commands (portal key, staff token) on the migrate service, with scripts that exist", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const commands = [...readme.matchAll(/^docker compose run --rm (\S+) node (dist\/\S+\.js)/gm)];
    expect(commands.map(([, , script]) => script)).toEqual([
      'dist/scripts/create-portal.js',
      'dist/scripts/mint-token.js',
    ]);
    for (const [, service, script] of commands) {
      expect(services[service!]!.environment).toBeDefined();
      expect(
        existsSync(new URL(`../../${script!.replace(/^dist\//, '').replace(/\.js$/, '.ts')}`, import.meta.url)),
      ).toBe(true);
    }
  });

  it('gives active jobs time to finish on stop', () => {
    expect(parseInt(services['worker']!.stop_grace_period!, 10)).toBeGreaterThan(30);
  });
});
