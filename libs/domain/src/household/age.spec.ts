import { ageOn } from './age.js';

describe('ageOn', () => {
  it.each([
    ['1990-06-30', '2025-06-30', 35],
    ['1990-07-01', '2025-06-30', 34],
    ['1990-06-29', '2025-06-30', 35],
    ['2025-06-30', '2025-06-30', 0],
    ['1965-06-30', '2025-06-30', 60],
    ['1965-07-01', '2025-06-30', 59],
    ['2000-02-29', '2025-02-28', 24],
    ['2000-02-29', '2025-03-01', 25],
    ['2000-02-29', '2024-02-29', 24],
    ['1999-12-31', '2000-01-01', 0],
  ])('someone born %s is, on %s, %p years old', (birthDate, today, expected) => {
    expect(ageOn(birthDate, today)).toBe(expected);
  });

  it.each(['2025-07-01', '1990-02-30', '1990-2-1', ''])(
    'refuses the birth date %p naming only the field',
    (birthDate) => {
      expect(() => ageOn(birthDate, '2025-06-30', 'members[1].birthDate')).toThrow(
        expect.objectContaining({ code: 'HOUSEHOLD.BAD_BIRTH_DATE', details: { field: 'members[1].birthDate' } }),
      );
    },
  );

  it('refuses a today that is not a calendar date', () => {
    expect(() => ageOn('1990-01-01', '2025-13-01')).toThrow(expect.objectContaining({ code: 'CALENDAR.INVALID_DATE' }));
  });
});
