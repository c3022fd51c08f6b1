import { CONFIG_KEYS } from '../../libs/infra/src/config/app-config.js';
import { generatedDocs, renderConfigTable, staleDocs } from '../../scripts/docs/generated-docs.js';

// docs/errors.md and the README's configuration table are generated from code (`npm run docs:errors`,
// `npm run docs:config`); the committed text must be exactly what the code generates now.
describe('generated docs', () => {
  it('are committed as the code generates them', async () => {
    expect(await staleDocs()).toEqual([]);
  });

  it('list every catalogue code and every configuration key', async () => {
    const [errors, readme] = await generatedDocs();
    expect(errors!.content).toContain('| `CASE.STALE_WRITE`');
    for (const key of CONFIG_KEYS) expect(readme!.content).toContain(`| \`${key}\``);
    expect(renderConfigTable().split('\n')).toHaveLength(CONFIG_KEYS.length + 2);
  });
});
