import { DomainError } from '../errors/domain-error.js';
import type { Calendar } from './calendar.js';
import { OFFICIAL_CALENDARS } from './official-calendars.js';
import { validateCalendar } from './validate-calendar.js';

/** A valid submission: the 2014 Xinjiang case [S P36], trimmed to what the rules need. */
function submission(): Record<string, unknown> {
  return {
    region: 'xinjiang',
    year: 2014,
    version: 1,
    provisional: false,
    holidays: [{ date: '2014-10-04', name: '古尔邦节' }],
    makeUpWorkdays: [],
    restDayOverrides: [{ date: '2014-09-28', name: '国庆节调休上班日改为休息日' }],
    source: { issuer: '新疆维吾尔自治区人民政府办公厅', title: '2014 notice', issuedOn: '2014-09-16' },
    evidence: { tag: 'S', refs: ['docs/domain.md §4.1 [S P36]'] },
  };
}

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CALENDAR.INVALID');
    return (error as DomainError).details.field;
  }
  throw new Error('expected CALENDAR.INVALID');
}

describe('validateCalendar', () => {
  it.each(OFFICIAL_CALENDARS.map((calendar) => [`${calendar.region}/${calendar.year}`, calendar] as const))(
    'accepts the shipped calendar %s unchanged',
    (_, calendar) => {
      expect(validateCalendar(calendar)).toEqual(calendar);
    },
  );

  it('returns a frozen copy', () => {
    const calendar = validateCalendar(submission());
    expect(Object.isFrozen(calendar)).toBe(true);
    expect(Object.isFrozen(calendar.holidays)).toBe(true);
    expect(Object.isFrozen(calendar.holidays[0])).toBe(true);
  });

  type Mutation = (calendar: Record<string, unknown>) => void;
  const national: Mutation = (c) => {
    c.region = 'national';
    c.restDayOverrides = [];
  };
  it.each<[string, Mutation, string]>([
    ['an unknown region', (c) => (c.region = 'urumqi'), 'region'],
    ['a fractional year', (c) => (c.year = 2014.5), 'year'],
    ['version 0', (c) => (c.version = 0), 'version'],
    ['a missing provisional flag', (c) => delete c.provisional, 'provisional'],
    ['holidays that are not a list', (c) => (c.holidays = '2014-10-04'), 'holidays'],
    [
      'a holiday that is not an ISO date',
      (c) => (c.holidays = [{ date: '2014/10/04', name: '古尔邦节' }]),
      'holidays[0].date',
    ],
    ['a holiday on an impossible date', (c) => (c.holidays = [{ date: '2014-02-29', name: 'x' }]), 'holidays[0].date'],
    ['a holiday in another year', (c) => (c.holidays = [{ date: '2015-10-04', name: '古尔邦节' }]), 'holidays[0].date'],
    ['a holiday without a name', (c) => (c.holidays = [{ date: '2014-10-04', name: ' ' }]), 'holidays[0].name'],
    [
      'a holiday listed twice',
      (c) =>
        (c.holidays = [
          { date: '2014-10-04', name: 'a' },
          { date: '2014-10-04', name: 'b' },
        ]),
      'holidays[1].date',
    ],
    [
      'a make-up day that is also a holiday',
      (c) => {
        national(c);
        c.holidays = [{ date: '2014-09-28', name: '国庆节' }];
        c.makeUpWorkdays = [{ date: '2014-09-28', name: '国庆节调休上班' }];
      },
      'makeUpWorkdays[0].date',
    ],
    [
      'a make-up day on a weekday (Mon 2014-09-29)',
      (c) => {
        national(c);
        c.makeUpWorkdays = [{ date: '2014-09-29', name: '国庆节调休上班' }];
      },
      'makeUpWorkdays[0].date',
    ],
    ['a national calendar with overrides', (c) => (c.region = 'national'), 'restDayOverrides'],
    [
      'an override on a weekday (Tue 2014-09-30)',
      (c) => (c.restDayOverrides = [{ date: '2014-09-30', name: 'x' }]),
      'restDayOverrides[0].date',
    ],
    [
      'an override that is also a holiday',
      (c) => (c.restDayOverrides = [{ date: '2014-10-04', name: 'x' }]),
      'restDayOverrides[0].date',
    ],
    ['a source without a title', (c) => (c.source = { issuer: '国务院办公厅' }), 'source.title'],
    [
      'a source date that is not ISO',
      (c) => (c.source = { issuer: 'a', title: 'b', issuedOn: '2014年9月16日' }),
      'source.issuedOn',
    ],
    ['an unknown evidence tag', (c) => (c.evidence = { tag: 'X', refs: ['a'] }), 'evidence.tag'],
    ['evidence without references', (c) => (c.evidence = { tag: 'S', refs: [] }), 'evidence.refs'],
  ])('rejects %s, naming the field', (_, mutate, field) => {
    const input = submission();
    mutate(input);
    expect(fieldOf(() => validateCalendar(input))).toBe(field);
  });

  it('rejects something that is not a calendar object', () => {
    expect(fieldOf(() => validateCalendar(null))).toBe('calendar');
    expect(fieldOf(() => validateCalendar([]))).toBe('calendar');
  });

  it('drops fields it does not know, keeping only the calendar model', () => {
    const calendar: Calendar = validateCalendar({ ...submission(), injected: true });
    expect(Object.keys(calendar).sort()).toEqual([
      'evidence',
      'holidays',
      'makeUpWorkdays',
      'provisional',
      'region',
      'restDayOverrides',
      'source',
      'version',
      'year',
    ]);
  });
});
