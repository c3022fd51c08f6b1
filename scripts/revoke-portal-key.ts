import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig } from '@minsheng/infra';
import { revokeApiKey } from '../apps/gateway/src/portals/portal-registry.js';

/**
 * Revokes a portal API key by its public prefix (the part after `msk_`); the key stops working at once:
 *   npm run portal:revoke -- --prefix 89545b492933
 * Rotation: `npm run portal:create` issues keys for new portals; revoke the old key once the portal has moved.
 */
const { values } = parseArgs({ options: { prefix: { type: 'string' } } });
if (!values.prefix || !/^[0-9a-f]{6,64}$/.test(values.prefix)) {
  console.error('usage: npm run portal:revoke -- --prefix <hex prefix of the key>');
  process.exit(2);
}
const dataSource = new DataSource(dataSourceOptions(loadConfig(process.env), { poolSize: 1 }));
await dataSource.initialize();
try {
  const revoked = await revokeApiKey(dataSource, values.prefix);
  console.log(revoked ? `key ${values.prefix} revoked` : `no live key with prefix ${values.prefix}`);
  process.exitCode = revoked ? 0 : 1;
} finally {
  await dataSource.destroy();
}
