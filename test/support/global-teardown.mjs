// Stops the embedded PostgreSQL that global-setup.mjs started for this run, if it started one, and removes its data;
// removes the run's schema script (test/support/schema-script.ts).
import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const scriptDir = globalThis.__minshengSchemaScriptDir;
  if (scriptDir !== undefined) {
    globalThis.__minshengSchemaScriptDir = undefined;
    await rm(scriptDir, { recursive: true, force: true });
  }
  const embedded = globalThis.__minshengEmbeddedPostgres;
  if (embedded === undefined) return;
  globalThis.__minshengEmbeddedPostgres = undefined;
  await embedded.server.stop();
  await rm(embedded.dir, { recursive: true, force: true });
}
