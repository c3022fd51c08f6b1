import { DataSource } from 'typeorm';
import { STANDARD_PARAMETERS } from '@minsheng/domain';
import { catalogVersion, dataSourceOptions, loadCatalog, placeParameterValue } from '../../../libs/infra/src/index.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

async function snapshot(env: TestEnvironment) {
  const tables = ['catalog_domains', 'catalog_aspects', 'departments', 'divisions', 'catalog_items'];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = (await env.db.query(`SELECT * FROM ${table} ORDER BY code`)).rows;
  rows['catalog_parameters'] = (
    await env.db.query(
      `SELECT id, key, valid_from::text, valid_to::text, value_fen, value_number, superseded_at FROM catalog_parameters ORDER BY id`,
    )
  ).rows;
  return rows;
}

describe('catalog loader', () => {
  let env: TestEnvironment;
  let dataSource: DataSource;

  beforeAll(async () => {
    // createTestEnvironment runs prepareDatabase, which migrates and loads the catalog once already.
    env = await createTestEnvironment('catalog loader');
    dataSource = new DataSource(dataSourceOptions(env.config, { poolSize: 2 }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.teardown();
  });

  it('loaded the whole catalog at start-up, versioned by its content hash', async () => {
    const counts = await env.db.query(`SELECT
      (SELECT count(*)::int FROM catalog_domains) AS domains,
      (SELECT count(*)::int FROM catalog_aspects) AS aspects,
      (SELECT count(*)::int FROM catalog_items) AS items,
      (SELECT count(*)::int FROM catalog_items WHERE is_application) AS application_items,
      (SELECT count(*)::int FROM departments) AS departments,
      (SELECT count(*)::int FROM divisions) AS divisions,
      (SELECT count(*)::int FROM catalog_parameters) AS parameters`);
    expect(counts.rows[0]).toEqual({
      domains: 9,
      aspects: 22,
      items: 97,
      application_items: 38,
      departments: 14,
      divisions: 139,
      parameters: STANDARD_PARAMETERS.length,
    });
    const versions = await env.db.query(`SELECT version FROM catalog_versions`);
    expect(versions.rows).toEqual([{ version: catalogVersion() }]);
  });

  it('is a no-op for an unchanged catalog: same rows, no duplicate parameters', async () => {
    const before = await snapshot(env);
    const again = await loadCatalog(dataSource);
    expect(again).toMatchObject({ version: catalogVersion(), changed: false, parametersAdded: 0 });
    expect(await snapshot(env)).toEqual(before);
  });

  it('reloads a changed catalog by code without duplicating parameters or touching operator values', async () => {
    // Pretend another catalog version was loaded last, and an operator corrected one value of the code.
    await env.db.query(`UPDATE catalog_versions SET version = 'an-older-version'`);
    await env.db.query(`UPDATE catalog_items SET name_en = 'edited by hand' WHERE code = 'BPS-064'`);
    const operatorValue = await dataSource.transaction((tx) =>
      placeParameterValue(tx, {
        key: 'minimum-living.standard.urban',
        itemCode: 'BPS-064',
        value: 99900,
        unit: 'fen-per-person-per-month',
        bound: 'at-least',
        validFrom: '2015-01-01',
        validFromPrecision: 'day',
        validTo: null,
        source: 'operator correction',
        evidence: 'V',
        note: null,
        reason: 'test',
        origin: 'operator',
        seedId: null,
        publishedBy: 'staff:op-1',
      }),
    );
    expect(operatorValue.supersededId).not.toBeNull();

    const reloaded = await loadCatalog(dataSource);
    expect(reloaded).toMatchObject({ changed: true, parametersAdded: 0 });
    const item = await env.db.query(`SELECT name_en FROM catalog_items WHERE code = 'BPS-064'`);
    expect(item.rows[0].name_en).toBe('Minimum living allowance');
    const live = await env.db.query(
      `SELECT value_fen, origin FROM catalog_parameters
        WHERE key = 'minimum-living.standard.urban' AND superseded_at IS NULL`,
    );
    expect(live.rows).toEqual([{ value_fen: '99900', origin: 'operator' }]);
    const total = await env.db.query(`SELECT count(*)::int AS n FROM catalog_parameters`);
    expect(total.rows[0].n).toBe(STANDARD_PARAMETERS.length + 1);
    expect((await env.db.query(`SELECT version FROM catalog_versions ORDER BY loaded_at DESC LIMIT 1`)).rows).toEqual([
      { version: catalogVersion() },
    ]);
  });

  it('keeps the code timeline of a key with two periods without overlap', async () => {
    const { rows } = await env.db.query(
      `SELECT valid_from::text AS "from", valid_to::text AS "to", value_fen AS fen FROM catalog_parameters
        WHERE key = 'disability-subsidies.living-subsidy' ORDER BY valid_from NULLS FIRST`,
    );
    expect(rows).toEqual([
      { from: null, to: '2026-01-01', fen: '12000' },
      { from: '2026-01-01', to: null, fen: '14000' },
    ]);
  });
});
