import { type Clock, draftCalendarYear, REGIONS, type Region, todayOn, yearOf } from '@minsheng/domain';
import { type Queryable } from '../case-log/case-event-chain.js';
import { type AppConfig } from '../config/app-config.js';
import { publishCalendarLayer } from './publish-calendar.js';

/** Who `npm start` publishes a drafted year as (`calendars.published_by`, the audit log, CLOCK_RECOMPUTED). */
export const DEVELOPMENT_START_ACTOR = 'system:development-start';

export type DevelopmentDraftOutcome =
  | { readonly outcome: 'published'; readonly year: number; readonly regions: readonly Region[] }
  | { readonly outcome: 'already-published'; readonly year: number }
  | { readonly outcome: 'skipped'; readonly reason: 'not-development' };

/**
 * `npm start` in development: publishes next year (by the business clock) as drafted from the statutory rules
 * (`draftCalendarYear`), as provisional, for each layer that has no published version, so a developer's cases
 * count across New Year instead of waiting for a calendar (`calendar-missing`). Recorded as published by
 * {@link DEVELOPMENT_START_ACTOR} with source `development-start`. Anywhere but `NODE_ENV=development` it does
 * nothing: production publishes only what an operator entered from the notices, and tests choose their calendars.
 * Runs in the caller's transaction; the national layer goes first (the Xinjiang one is built on it).
 */
export async function publishDevelopmentDraftYear(
  q: Queryable,
  clock: Clock,
  env: AppConfig['env'],
): Promise<DevelopmentDraftOutcome> {
  if (env !== 'development') return { outcome: 'skipped', reason: 'not-development' };
  const now = clock.now();
  const year = yearOf(todayOn(clock)) + 1;
  const rows = (await q.query(`SELECT DISTINCT region FROM calendars WHERE year = $1`, [year])) as {
    region: string;
  }[];
  const missing = REGIONS.filter((region) => !rows.some((row) => row.region === region));
  if (missing.length === 0) return { outcome: 'already-published', year };
  const draft = draftCalendarYear(year);
  for (const region of missing) {
    const { year: _year, version: _version, ...layer } = draft[region];
    await publishCalendarLayer(
      q,
      year,
      layer,
      { actor: DEVELOPMENT_START_ACTOR, actorRole: 'system', origin: 'development-start' },
      now,
    );
  }
  return { outcome: 'published', year, regions: missing };
}
