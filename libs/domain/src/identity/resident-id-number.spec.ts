import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import { checkCharacterOf, hasValidCheckCharacter, withCheckDigit } from './check-character.js';
import { MAINLAND_PROVINCE_CODES } from './region-codes.js';
import { maskIdNumber, normaliseIdNumber, parseResidentIdNumber } from './resident-id-number.js';

const TODAY = '2025-06-30';
const parse = (input: string, today = TODAY) => parseResidentIdNumber(input, { today, field: 'applicant.idNumber' });

function failureOf(input: string, today = TODAY): DomainError | undefined {
  try {
    parse(input, today);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  return undefined;
}

describe('check character (ISO 7064 MOD 11-2)', () => {
  it('matches the GB 11643-1999 example 11010519491231002X', () => {
    expect(checkCharacterOf('11010519491231002')).toBe('X');
    expect(hasValidCheckCharacter('11010519491231002X')).toBe(true);
    expect(hasValidCheckCharacter('110105194912310021')).toBe(false);
  });

  it.each([
    ['44052418800101001', '4'],
    ['65010219900101123', '9'],
    ['00000000000000000', '1'],
    ['12345619991231987', 'X'],
    ['12345619991231988', '8'],
    ['98765419870615431', '1'],
    ['62292719830317625', '0'],
  ])('computes the check character of %s as %s', (first17, expected) => {
    expect(checkCharacterOf(first17)).toBe(expected);
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100X', '１１０１０５１９４９１２３１００２'])(
    'refuses to compute from %p (not 17 ASCII digits)',
    (input) => {
      expect(() => checkCharacterOf(input)).toThrow(RangeError);
    },
  );

  const seventeenDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(seventeenDigits, fc.nat({ max: 17 }), fc.nat({ max: 10 }), (first17, position, offset) => {
        const valid = withCheckDigit(first17);
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const current = alphabet.indexOf(valid.charAt(position));
        const replacement = alphabet.charAt((current + 1 + (offset % (alphabet.length - 1))) % alphabet.length);
        const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
        return replacement !== valid.charAt(position) && !hasValidCheckCharacter(altered);
      }),
    );
  });

  it('detects every transposition of two different adjacent digits among the first 17', () => {
    fc.assert(
      fc.property(seventeenDigits, fc.nat({ max: 15 }), (first17, position) => {
        fc.pre(first17.charAt(position) !== first17.charAt(position + 1));
        const valid = withCheckDigit(first17);
        const swapped =
          valid.slice(0, position) + valid.charAt(position + 1) + valid.charAt(position) + valid.slice(position + 2);
        return !hasValidCheckCharacter(swapped);
      }),
    );
  });
});

describe('parseResidentIdNumber: test vectors', () => {
  it('accepts 11010519491231002X and reads what it encodes', () => {
    expect(parse('11010519491231002X')).toEqual({
      normalised: '11010519491231002X',
      kind: 'resident',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('refuses 110105194912310021 for its check digit', () => {
    expect(failureOf('110105194912310021')?.code).toBe('ID_NUMBER.BAD_CHECK_DIGIT');
  });

  it.each<[string, string, string, string, 'male' | 'female']>([
    [withCheckDigit('65010219900101123'), 'resident', '650102', '1990-01-01', 'male'],
    [withCheckDigit('71000019800229004'), 'resident', '710000', '1980-02-29', 'female'],
    [withCheckDigit('81000019851010001'), 'hk-macao-taiwan-resident', '810000', '1985-10-10', 'male'],
    [withCheckDigit('82000020000101002'), 'hk-macao-taiwan-resident', '820000', '2000-01-01', 'female'],
    [withCheckDigit('83000019700615003'), 'hk-macao-taiwan-resident', '830000', '1970-06-15', 'male'],
    [withCheckDigit('96584019751120005'), 'foreign-permanent-resident', '650000', '1975-11-20', 'male'],
    [withCheckDigit('91115619000101008'), 'foreign-permanent-resident', '110000', '1900-01-01', 'female'],
    [withCheckDigit('65010220250630001'), 'resident', '650102', TODAY, 'male'],
  ])('accepts %s as %s of region %s, born %s, %s', (input, kind, regionCode, birthDate, sex) => {
    expect(parse(input)).toEqual({ normalised: input, kind, regionCode, birthDate, sex });
  });
});

describe('parseResidentIdNumber: normalisation', () => {
  it.each([
    ['lower-case x', '11010519491231002x'],
    ['surrounding ASCII spaces', '  11010519491231002X '],
    ['a tab and a line break around it', '\t11010519491231002X\r\n'],
    ['surrounding ideographic spaces', '\u300011010519491231002X\u3000'],
    ['full-width digits and Ｘ', '１１０１０５１９４９１２３１００２Ｘ'],
    ['full-width ｘ', '１１０１０５１９４９１２３１００２ｘ'],
  ])('accepts %s', (_, input) => {
    expect(parse(input).normalised).toBe('11010519491231002X');
  });

  it('normaliseIdNumber changes nothing but the documented characters', () => {
    expect(normaliseIdNumber(' 1１x Ｘ\u3000')).toBe('11X X');
  });
});

describe('parseResidentIdNumber: refusals', () => {
  const resident = (first17: string) => withCheckDigit(first17);
  it.each([
    ['an internal space', '110105 19491231002X', 'ID_NUMBER.BAD_FORMAT'],
    ['an internal ideographic space', '110105\u300019491231002X', 'ID_NUMBER.BAD_FORMAT'],
    ['a hyphen', '110105-19491231002X', 'ID_NUMBER.BAD_FORMAT'],
    ['a letter other than X', '11010519491231002Y', 'ID_NUMBER.BAD_FORMAT'],
    ['an X before the last place', '1101051949123100X2', 'ID_NUMBER.BAD_FORMAT'],
    ['a full-width hyphen', '110105－19491231002X', 'ID_NUMBER.BAD_FORMAT'],
    ['Arabic-Indic digits', '١١٠١٠٥١٩٤٩١٢٣١٠٠٢X', 'ID_NUMBER.BAD_FORMAT'],
    ['an empty string', '', 'ID_NUMBER.BAD_LENGTH'],
    ['only spaces', '   ', 'ID_NUMBER.BAD_LENGTH'],
    ['17 characters', '11010519491231002', 'ID_NUMBER.BAD_LENGTH'],
    ['19 characters', '11010519491231002X1', 'ID_NUMBER.BAD_LENGTH'],
    ['a 15-digit first-generation number', '110105491231002', 'ID_NUMBER.BAD_LENGTH'],
    ['province code 00', resident('00010219900101123'), 'ID_NUMBER.BAD_REGION'],
    ['province code 10', resident('10010219900101123'), 'ID_NUMBER.BAD_REGION'],
    ['province code 16', resident('16010219900101123'), 'ID_NUMBER.BAD_REGION'],
    ['province code 66', resident('66010219900101123'), 'ID_NUMBER.BAD_REGION'],
    ['province code 72', resident('72000019900101123'), 'ID_NUMBER.BAD_REGION'],
    ['a Hong Kong code other than 810000', resident('81010119900101123'), 'ID_NUMBER.BAD_REGION'],
    ['a Taiwan permit code other than 830000', resident('83010019900101123'), 'ID_NUMBER.BAD_REGION'],
    ['a foreign card with province code 81', resident('98184019900101123'), 'ID_NUMBER.BAD_REGION'],
    ['a foreign card with province code 71', resident('97184019900101123'), 'ID_NUMBER.BAD_REGION'],
    ['a foreign card with province code 99', resident('99984019900101123'), 'ID_NUMBER.BAD_REGION'],
    ['month 13', resident('65010219901301123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['month 00', resident('65010219900001123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['day 00', resident('65010219900100123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['31 April', resident('65010219900431123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['29 February of a common year', resident('65010219900229123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['29 February 1900 (not a leap year)', resident('65010219000229123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['a birth date before 1900', resident('65010218991231123'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['a foreign card with 30 February', resident('96584019750230005'), 'ID_NUMBER.BAD_BIRTH_DATE'],
    ['a birth date one day after today', resident('65010220250701123'), 'ID_NUMBER.FUTURE_BIRTH_DATE'],
    ['a birth date years ahead', resident('65010221000101123'), 'ID_NUMBER.FUTURE_BIRTH_DATE'],
    ['a wrong check digit', '650102199001011230', 'ID_NUMBER.BAD_CHECK_DIGIT'],
    ['a wrong check X', '65010219900101123X', 'ID_NUMBER.BAD_CHECK_DIGIT'],
  ])('refuses %s with %s', (_, input, code) => {
    const failure = failureOf(input);
    expect(failure?.code).toBe(code);
    expect(failure?.details).toEqual({ field: 'applicant.idNumber' });
  });

  it('accepts 29 February of a leap year, including 2000', () => {
    expect(parse(withCheckDigit('65010220000229123')).birthDate).toBe('2000-02-29');
    expect(parse(withCheckDigit('65010219960229123')).birthDate).toBe('1996-02-29');
  });

  it('leaves the field out of the details when none is given', () => {
    expect(() => parseResidentIdNumber('1', { today: TODAY })).toThrow(expect.objectContaining({ details: {} }));
  });

  it.each(['2025-6-30', '2025-02-30', '20250630', ''])('refuses %p as today', (today) => {
    expect(() => parseResidentIdNumber('11010519491231002X', { today })).toThrow(
      expect.objectContaining({ code: 'CALENDAR.INVALID_DATE', details: expect.objectContaining({ field: 'today' }) }),
    );
  });
});

describe('parseResidentIdNumber: properties', () => {
  const provinces = [...MAINLAND_PROVINCE_CODES];
  const digits = (length: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
  const birthDate = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  const validFirst17 = fc
    .tuple(fc.constantFrom(...provinces), digits(4), birthDate, digits(3))
    .map(([province, county, date, sequence]) => `${province}${county}${date.replaceAll('-', '')}${sequence}`);

  it('accepts any valid 17-digit prefix with its computed check digit, and reads it back', () => {
    fc.assert(
      fc.property(validFirst17, (first17) => {
        const parsed = parse(withCheckDigit(first17));
        const birth = first17.slice(6, 14);
        return (
          parsed.normalised === withCheckDigit(first17) &&
          parsed.kind === 'resident' &&
          parsed.regionCode === first17.slice(0, 6) &&
          parsed.birthDate.replaceAll('-', '') === birth &&
          parsed.sex === (Number(first17.charAt(16)) % 2 === 1 ? 'male' : 'female')
        );
      }),
    );
  });

  it('refuses a valid number with any single character changed', () => {
    fc.assert(
      fc.property(validFirst17, fc.nat({ max: 17 }), fc.nat({ max: 9 }), (first17, position, offset) => {
        const valid = withCheckDigit(first17);
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const current = alphabet.indexOf(valid.charAt(position));
        const replacement = alphabet.charAt((current + 1 + (offset % (alphabet.length - 1))) % alphabet.length);
        const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
        return altered !== valid && failureOf(altered) !== undefined;
      }),
    );
  });

  it('never puts the number, or its birth date, in an error', () => {
    const anyEighteen = fc.string({ unit: fc.constantFrom(...'0123456789X'), minLength: 18, maxLength: 18 });
    fc.assert(
      fc.property(anyEighteen, (input) => {
        const failure = failureOf(input);
        if (failure === undefined) return true;
        const exposed = `${failure.message} ${JSON.stringify(failure.details)} ${String(failure.stack)}`;
        return (
          !exposed.includes(input) && !exposed.includes(input.slice(6, 14)) && !exposed.includes(input.slice(0, 6))
        );
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it.each([
    ['650102199001011234', '650102********1234'],
    ['11010519491231002X', '110105********002X'],
  ])('masks %s as %s', (input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });

  it.each(['', '11010519491231002', '11010519491231002X0'])('refuses %p rather than mask it partially', (input) => {
    expect(() => maskIdNumber(input)).toThrow(expect.objectContaining({ code: 'ID_NUMBER.BAD_LENGTH' }));
  });
});
