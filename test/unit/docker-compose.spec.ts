import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// No Docker engine on the CI machine: this test reads the compose file and checks what `docker compose up` relies on.
type Service = {
  image?: string;
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

  it('points the apps at the compose services and publishes the gateway', () => {
    for (const app of ['gateway', 'worker', 'migrate']) {
      const env = services[app]!.environment!;
      expect(new URL(env['DATABASE_URL']!).hostname).toBe('postgres');
      expect(new URL(env['REDIS_URL']!).hostname).toBe('redis');
      expect(env['NODE_ENV']).toBe('production');
    }
    expect(services['gateway']!.environment!['GATEWAY_HOST']).toBe('0.0.0.0');
    expect(services['gateway']!.ports).toContain('3000:3000');
    expect(services['gateway']!.command!.join(' ')).toContain('dist/apps/gateway/src/main.js');
    expect(services['worker']!.command!.join(' ')).toContain('dist/apps/worker/src/main.js');
  });

  it('gives active jobs time to finish on stop', () => {
    expect(parseInt(services['worker']!.stop_grace_period!, 10)).toBeGreaterThan(30);
  });
});
