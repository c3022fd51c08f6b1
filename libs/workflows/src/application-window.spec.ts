import { describe, expect, it } from '@jest/globals';
import { officialCalendarSet } from '@minsheng/domain';
import { applicationWindowProblem } from './application-window.js';

const calendars = officialCalendarSet();
const pension = (leftServiceOn: string, today: string) =>
  applicationWindowProblem('BPS-082', { leftServiceOn }, today, calendars);

describe('the 60日 window of a disability-pension transfer (抚恤, 军人抚恤优待条例 art. 30)', () => {
  it('takes an application up to the 60th day after leaving service, the start day not counted', () => {
    expect(pension('2025-03-01', '2025-04-30')).toBeNull();
    expect(pension('2025-03-01', '2025-05-01')).toEqual({
      field: 'details.leftServiceOn',
      code: 'APPLICATION.WINDOW_PASSED',
      message: expect.stringContaining('by 2025-04-30'),
    });
  });

  it('rolls a last day that falls in a holiday to the next working day (民事诉讼法 art. 85)', () => {
    // 2025-08-02 + 60 days = 2025-10-01, inside the National Day holiday (1–8 October 2025).
    expect(pension('2025-08-02', '2025-10-09')).toBeNull();
    expect(pension('2025-08-02', '2025-10-10')).toMatchObject({
      code: 'APPLICATION.WINDOW_PASSED',
      message: expect.stringContaining('by 2025-10-09'),
    });
  });

  it('does not refuse where the last day falls in a year nobody has published: the street review decides', () => {
    expect(pension('2026-12-01', '2027-06-01')).toBeNull();
  });

  it('refuses a day of leaving service after the application', () => {
    expect(pension('2025-06-02', '2025-06-01')).toMatchObject({
      field: 'details.leftServiceOn',
      code: 'APPLICATION.WINDOW_NOT_OPEN',
    });
  });

  it('checks nothing for an application that states no day, or an item without a window', () => {
    expect(applicationWindowProblem('BPS-082', {}, '2025-06-01', calendars)).toBeNull();
    expect(applicationWindowProblem('BPS-064', { leftServiceOn: '2020-01-01' }, '2025-06-01', calendars)).toBeNull();
  });
});
