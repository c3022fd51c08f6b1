import type pg from 'pg';

/** A street of a second district (沙依巴克区 和田街街道), for tests across districts. */
export const SAYIBAK_STREET = '650103002';

/**
 * Approved 低保 households written in one statement, as approved cases with their entitlement records (what
 * approving each through the engine would write, without its cost): alternately in each of `streets`, one to three
 * members, per-capita income 100 to 180 yuan, the amount by the gap method under `standardFen`, banks ICBC and
 * XJRCU, paid from July 2026.
 */
export async function bulkApprovedHouseholds(
  db: pg.Pool,
  count: number,
  streets: readonly [string, string],
  standardFen: number,
): Promise<void> {
  await db.query(
    `WITH a AS (
       INSERT INTO applicants (id_number_hash, id_number_encrypted, name_encrypted)
       SELECT md5('bulk-' || g || '-' || random()), 'placeholder', 'placeholder' FROM generate_series(1, $1) g
       RETURNING id),
     n AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM a),
     c AS (
       INSERT INTO cases (tracking_number, item_code, procedure_id, machine_id, machine_version, status, applicant_id,
                          department_code, accepting_division, approving_division, application_encrypted, facts,
                          closed_at)
       SELECT 'MS-B-' || nextval('case_tracking_seq'), 'BPS-064', 'minimum-living', 'minimum-living', 1,
              'approved', n.id, 'civil-affairs', CASE WHEN n.n % 2 = 0 THEN $2 ELSE $3 END,
              left(CASE WHEN n.n % 2 = 0 THEN $2 ELSE $3 END, 6), 'placeholder', '{}', now()
       FROM n RETURNING id, applicant_id, accepting_division),
     h AS (
       SELECT c.*, 1 + (n.n % 3) AS members, 10000 + (n.n % 5) * 2000 AS income, n.n
       FROM c JOIN n ON n.id = c.applicant_id)
     INSERT INTO entitlements (case_id, applicant_id, item_code, kind, division, district, bank, schedule,
                              monthly_amount_fen, basis, start_month)
     SELECT h.id, h.applicant_id, 'BPS-064', 'minimum-living-allowance', h.accepting_division,
            left(h.accepting_division, 6), CASE WHEN h.n % 4 < 2 THEN 'ICBC' ELSE 'XJRCU' END, 'monthly',
            ($4 - h.income) * h.members,
            jsonb_build_object('minimumLiving', jsonb_build_object(
              'standardKey', 'minimum-living.standard.urban', 'standardFen', $4, 'memberCount', h.members,
              'perCapitaIncomeFen', h.income, 'topUpTotalFen', 0)),
            '2026-07'
     FROM h`,
    [count, streets[0], streets[1], standardFen],
  );
}
