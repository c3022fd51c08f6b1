import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { addDays, fromDayNumber, toDayNumber } from './calendar-date.js';
import { endOfDayInShanghai, startOfDayInShanghai, toShanghaiDate } from './shanghai-time.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('China Standard Time', () => {
  // The same instant written in different offsets must give the same Shanghai date.
  it.each([
    ['2025-01-27T16:00:00Z', '2025-01-28'],
    ['2025-01-28T00:00:00+08:00', '2025-01-28'],
    ['2025-01-27T08:00:00-08:00', '2025-01-28'], // Los Angeles, same instant
    ['2025-01-27T21:30:00+05:30', '2025-01-28'], // Kolkata, same instant
    ['2025-01-27T15:59:59.999Z', '2025-01-27'],
    ['2025-01-27T23:59:59.999+08:00', '2025-01-27'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
    ['2025-12-31T23:30:00-08:00', '2026-01-01'], // still New Year's Eve in Los Angeles
  ])('%s is %s in Shanghai', (instant, date) => {
    expect(toShanghaiDate(new Date(instant))).toBe(date);
  });

  it('ends a day at 00:00+08:00 of the next day (exclusive)', () => {
    expect(startOfDayInShanghai('2025-10-31').toISOString()).toBe('2025-10-30T16:00:00.000Z');
    expect(endOfDayInShanghai('2025-10-31').toISOString()).toBe('2025-10-31T16:00:00.000Z');
    expect(endOfDayInShanghai('2025-12-31').toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  it('every instant of a day maps back to that day, and the end is the first instant of the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2100-12-31') }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (dayNumber, msIntoDay) => {
          const date = fromDayNumber(dayNumber);
          const start = startOfDayInShanghai(date);
          const end = endOfDayInShanghai(date);
          expect(toShanghaiDate(new Date(start.getTime() + msIntoDay))).toBe(date);
          expect(end.getTime() - start.getTime()).toBe(86_400_000);
          expect(toShanghaiDate(new Date(end.getTime() - 1))).toBe(date);
          expect(toShanghaiDate(end)).toBe(addDays(date, 1));
        },
      ),
    );
  });

  it('rejects an invalid instant', () => {
    expect(() => toShanghaiDate(new Date('not a date'))).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_INSTANT' }),
    );
  });
});

describe('independence from the host time zone', () => {
  it('uses no local-time Date API anywhere in the calendar code', () => {
    const localApi =
      /\.(getFullYear|getMonth|getDate|getDay|getHours|getMinutes|getTimezoneOffset|setFullYear|setMonth|setDate|setHours|toLocale\w*String|toDateString|toTimeString)\(|new Date\(\s*\d+\s*,|Date\.parse\(|Intl\./;
    const sources = [here, join(here, 'national'), join(here, 'xinjiang')].flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
        .map((name) => join(dir, name)),
    );
    expect(sources.length).toBeGreaterThan(15);
    const withoutIntl = new RegExp(localApi.source.replace(/\|Intl\\\.$/, ''));
    const offenders = sources.filter((file) => {
      const text = readFileSync(file, 'utf8');
      // Only draft-calendar.ts may use Intl: it reads Islamic dates from ICU in timeZone 'UTC' (its spec compares
      // two host zones).
      if (file.endsWith('/draft-calendar.ts')) return withoutIntl.test(text) || !text.includes("timeZone: 'UTC'");
      return localApi.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('computes the same dates under America/Los_Angeles and Asia/Kolkata', () => {
    const script = `
      import { officialCalendarSet, dueDate, toShanghaiDate, endOfDayInShanghai, isWorkingDay } from './libs/domain/src/calendar/index.ts';
      const set = officialCalendarSet();
      console.log(JSON.stringify({
        offset: new Date('2025-01-15T00:00:00Z').getTimezoneOffset(),
        due: dueDate({ start: '2025-09-15', amount: 30, unit: 'working-days', region: 'xinjiang' }, set).due,
        rolled: dueDate({ start: '2025-09-24', amount: 7, unit: 'calendar-days', region: 'national', rollForward: true }, set).due,
        makeUp: isWorkingDay(set, 'national', '2026-02-28'),
        date: toShanghaiDate(new Date('2025-01-27T16:30:00Z')),
        end: endOfDayInShanghai('2025-10-31').toISOString(),
      }));`;
    const root = resolve(here, '../../../..');
    const run = (tz: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: root,
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        }),
      ) as Record<string, unknown>;
    const losAngeles = run('America/Los_Angeles');
    const kolkata = run('Asia/Kolkata');
    // The time zone really differed in the two processes…
    expect(losAngeles.offset).toBe(480);
    expect(kolkata.offset).toBe(-330);
    // …and nothing else did.
    const expected = {
      due: '2025-10-31',
      rolled: '2025-10-09',
      makeUp: true,
      date: '2025-01-28',
      end: '2025-10-31T16:00:00.000Z',
    };
    expect(losAngeles).toEqual({ offset: 480, ...expected });
    expect(kolkata).toEqual({ offset: -330, ...expected });
  }, 30_000);
});
