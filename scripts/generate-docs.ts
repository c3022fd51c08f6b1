import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocs, ROOT, staleDocs, type GeneratedPart } from './docs/generated-docs.js';

/**
 * `npm run docs:errors` writes docs/errors.md from the error catalogue, `npm run docs:config` the README's
 * configuration table from the config schema, `npm run docs:items` docs/items.md from the catalog and the procedures'
 * rules; `npm run docs:check` (`--check`) writes nothing and fails when a
 * committed file differs from what the code generates.
 */
const args = process.argv.slice(2);
const parts = args.filter((arg): arg is GeneratedPart => arg === 'errors' || arg === 'config' || arg === 'items');
const unknown = args.filter((arg) => arg !== '--check' && !parts.includes(arg as GeneratedPart));
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')}; use errors, config, items and/or --check`);
  process.exit(2);
}
const chosen = parts.length > 0 ? parts : (['errors', 'config', 'items'] as const);

if (args.includes('--check')) {
  const stale = await staleDocs(chosen);
  if (stale.length > 0) {
    console.error(`Generated docs are out of date: ${stale.join(', ')}. Run npm run docs:${chosen.join(' / docs:')}.`);
    process.exit(1);
  }
  console.log('Generated docs are up to date.');
} else {
  for (const doc of await generatedDocs(chosen)) {
    writeFileSync(join(ROOT, doc.path), doc.content);
    console.log(`wrote ${doc.path}`);
  }
}
