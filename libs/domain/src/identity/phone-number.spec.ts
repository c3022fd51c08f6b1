import { DomainError } from '../errors/domain-error.js';
import { parsePhoneNumber } from './phone-number.js';

describe('parsePhoneNumber: mobile numbers', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['19987654321', '19987654321'],
    ['+8613912345678', '13912345678'],
    ['8613912345678', '13912345678'],
    [' 13912345678\u3000', '13912345678'],
    ['１３９１２３４５６７８', '13912345678'],
  ])('reads %p as %p', (input, normalised) => {
    expect(parsePhoneNumber(input)).toEqual({ kind: 'mobile', normalised, e164: `+86${normalised}` });
  });
});

describe('parsePhoneNumber: Urumqi fixed lines', () => {
  it.each([
    ['0991-2345678', '2345678'],
    ['0991-23456789', '23456789'],
    ['09912345678', '2345678'],
    ['099123456789', '23456789'],
    [' 0991-8765432 ', '8765432'],
  ])('reads %p with local number %p', (input, localNumber) => {
    expect(parsePhoneNumber(input)).toEqual({
      kind: 'fixed-line',
      normalised: `0991-${localNumber}`,
      areaCode: '0991',
      localNumber,
      e164: `+86991${localNumber}`,
    });
  });
});

describe('parsePhoneNumber: refusals', () => {
  it.each([
    ['empty', ''],
    ['10 digits', '1391234567'],
    ['12 digits', '139123456789'],
    ['second digit 2', '12912345678'],
    ['second digit 1', '11912345678'],
    ['spaces inside', '139 1234 5678'],
    ['hyphens inside a mobile number', '139-1234-5678'],
    ['0086 prefix', '008613912345678'],
    ['+86 with a space', '+86 13912345678'],
    ['+ without 86', '+13912345678'],
    ['another area code', '010-12345678'],
    ['0991 with 6 digits', '0991-234567'],
    ['0991 with 9 digits', '0991-234567890'],
    ['a local number starting with 0', '0991-0345678'],
    ['a local number starting with 1', '0991-1345678'],
    ['two hyphens', '0991--2345678'],
    ['a hyphen inside the local number', '0991-234-5678'],
    ['the area code in brackets', '(0991)2345678'],
    ['letters', '1391234567a'],
  ])('refuses %s with PHONE.BAD_FORMAT and keeps the number out of the error', (_, input) => {
    let failure: unknown;
    try {
      parsePhoneNumber(input, { field: 'applicant.phone' });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(DomainError);
    const error = failure as DomainError;
    expect(error.code).toBe('PHONE.BAD_FORMAT');
    expect(error.details).toEqual({ field: 'applicant.phone' });
    if (input.trim() !== '') expect(error.message).not.toContain(input);
  });
});
