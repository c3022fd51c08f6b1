import type pg from 'pg';

/**
 * Publishes a calendar year for a test, national and Xinjiang layers, with weekends as the only rest days and
 * marked provisional: the 2027+ notices are not out, and a test must not depend on the date it runs on.
 * Copies the latest shipped year's body so the rows have the shape `PUT /v1/calendar/{year}` stores.
 */
export async function publishTestYear(db: pg.Pool, year: number): Promise<void> {
  await db.query(
    `INSERT INTO calendars (region, year, version, body, published_by, source)
     SELECT DISTINCT ON (region) region, $1::int, 1,
            body || jsonb_build_object('year', $1::int, 'version', 1, 'provisional', true, 'holidays', '[]'::jsonb,
                                       'makeUpWorkdays', '[]'::jsonb, 'restDayOverrides', '[]'::jsonb),
            'staff:test', 'test fixture: weekends only'
     FROM calendars WHERE year = 2026 ORDER BY region, version DESC`,
    [year],
  );
}

export async function withdrawTestYear(db: pg.Pool, year: number): Promise<void> {
  await db.query(`DELETE FROM calendars WHERE year = $1 AND published_by = 'staff:test'`, [year]);
}
