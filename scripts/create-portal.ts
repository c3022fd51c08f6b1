import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { SERVICE_ITEMS } from '@minsheng/domain';
import { dataSourceOptions, loadConfig, PiiCipher } from '@minsheng/infra';
import { createPortal, type CreatedPortal } from '../apps/gateway/src/portals/portal-registry.js';
import { isEntryPoint } from './entry-point.js';

/**
 * Registers a portal and prints its API key once (only its hash is stored):
 *   npm run portal:create -- --name 新服办 --items BPS-064,BPS-069 --rate-limit 600 [--webhook https://…]
 * `--items all` allows every item that takes applications.
 */
export async function createPortalFromConfig(
  portal: { name: string; items: readonly string[]; rateLimitPerMinute: number; webhookUrl?: string | null },
  env: Record<string, string | undefined> = process.env,
): Promise<CreatedPortal> {
  const config = loadConfig(env);
  const dataSource = new DataSource(dataSourceOptions(config, { poolSize: 1 }));
  await dataSource.initialize();
  try {
    const cipher = new PiiCipher(config.pii.encryptionKey, config.pii.hashKey);
    return await createPortal(dataSource, cipher, {
      name: portal.name,
      allowedItems: portal.items,
      rateLimitPerMinute: portal.rateLimitPerMinute,
      webhookUrl: portal.webhookUrl ?? null,
    });
  } finally {
    await dataSource.destroy();
  }
}

/** Every item that takes applications (the development portal may submit all of them). */
export function applicationItemCodes(): string[] {
  return SERVICE_ITEMS.filter((item) => item.procedure !== null).map((item) => item.code);
}

/**
 * `npm start` on an empty development database: creates a portal allowed every application item and prints its
 * key, so the API can be tried at once. Does nothing outside development or when any portal exists.
 */
export async function ensureDevelopmentPortal(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig(env);
  if (config.env !== 'development') return;
  const dataSource = new DataSource(dataSourceOptions(config, { poolSize: 1 }));
  await dataSource.initialize();
  try {
    const [{ count }] = (await dataSource.query(`SELECT count(*)::int AS count FROM portals`)) as [{ count: number }];
    if (count > 0) return;
    const cipher = new PiiCipher(config.pii.encryptionKey, config.pii.hashKey);
    const created = await createPortal(dataSource, cipher, {
      name: 'development portal',
      allowedItems: applicationItemCodes(),
      rateLimitPerMinute: 600,
    });
    console.log(
      `[start] development portal created (${created.portalId}); its API key, shown only now:\n` +
        `        x-api-key: ${created.apiKey}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

if (isEntryPoint(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      items: { type: 'string', default: 'all' },
      'rate-limit': { type: 'string', default: '600' },
      webhook: { type: 'string' },
    },
  });
  const rateLimitPerMinute = Number(values['rate-limit']);
  if (!values.name || !Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
    console.error(
      'usage: npm run portal:create -- --name <name> [--items all|BPS-064,…] [--rate-limit 600] [--webhook URL]',
    );
    process.exit(2);
  }
  const items = values.items === 'all' ? applicationItemCodes() : values.items.split(',').map((s) => s.trim());
  const known = new Set(applicationItemCodes());
  const unknown = items.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    console.error(`not application items: ${unknown.join(', ')}`);
    process.exit(2);
  }
  const created = await createPortalFromConfig({
    name: values.name,
    items,
    rateLimitPerMinute,
    webhookUrl: values.webhook ?? null,
  });
  console.log(`portal ${values.name} created: ${created.portalId}`);
  console.log(`API key (shown once, store it now): ${created.apiKey}`);
}
