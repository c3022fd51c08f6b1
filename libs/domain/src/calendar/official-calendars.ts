import { CalendarSet } from './calendar-set.js';
import type { Calendar } from './calendar.js';
import { national2023 } from './national/2023.js';
import { national2024 } from './national/2024.js';
import { national2025 } from './national/2025.js';
import { national2026 } from './national/2026.js';
import { xinjiang2023 } from './xinjiang/2023.js';
import { xinjiang2024 } from './xinjiang/2024.js';
import { xinjiang2025 } from './xinjiang/2025.js';
import { xinjiang2026 } from './xinjiang/2026.js';

/** The calendars shipped with the code. Xinjiang 2024 and 2026 are provisional (see their files). */
export const OFFICIAL_CALENDARS: readonly Calendar[] = [
  national2023,
  national2024,
  national2025,
  national2026,
  xinjiang2023,
  xinjiang2024,
  xinjiang2025,
  xinjiang2026,
];

/**
 * The shipped calendars plus any published since (an operator's new year or correction, loaded by the caller):
 * the highest version of each (region, year) wins.
 */
export function officialCalendarSet(published: Iterable<unknown> = []): CalendarSet {
  return CalendarSet.of([...OFFICIAL_CALENDARS, ...published]);
}
