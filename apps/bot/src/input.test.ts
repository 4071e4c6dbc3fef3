import { describe, expect, it } from 'vitest';
import { collect, parseDateOfBirth, parseEmail, parseName, parsePhone } from './input';

const today = new Date('2026-01-15T12:00:00Z');

describe('parseDateOfBirth', () => {
  it.each([
    ['1964-05-03', '1964-05-03'],
    ['5/3/1964', '1964-05-03'],
    ['05/03/1964', '1964-05-03'],
    ['05-03-1964', '1964-05-03'],
    ['5.3.1964', '1964-05-03'],
    [' 12/31/1999 ', '1999-12-31'],
    ['2/29/2000', '2000-02-29'],
    ['1964-5-3', '1964-05-03'],
    ['May 3, 1964', '1964-05-03'],
    ['3 may 1964', '1964-05-03'],
    ['Sept. 30 1999', '1999-09-30'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseDateOfBirth(input, 'Date of birth', today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['yesterday', 'Date of birth must be a date such as 5/3/1964 or May 3, 1964'],
    ['5/3/64', 'Date of birth needs a 4-digit year, e.g. 5/3/1964'],
    ['2/30/2000', 'Date of birth is not a real date (2/30/2000)'],
    ['13/1/2000', 'Date of birth is not a real date (13/1/2000)'],
    ['2/29/2001', 'Date of birth is not a real date (2/29/2001)'],
    ['1/16/2026', 'Date of birth must not be in the future'],
    ['1/1/1890', 'Date of birth must not be more than 130 years ago'],
  ])('refuses %s naming the field', (input, message) => {
    expect(parseDateOfBirth(input, 'Date of birth', today)).toEqual({ ok: false, message });
  });
});

describe('parsePhone', () => {
  it.each(['(212) 555-0101', '212-555-0101', '212.555.0101', '+1 212 555 0101', '2125550101'])(
    'reads %s',
    (p) => {
      expect(parsePhone(p)).toEqual({ ok: true, value: '2125550101' });
    },
  );
  it('keeps a foreign number in E.164', () => {
    expect(parsePhone('+44 20 7183 8750')).toEqual({ ok: true, value: '+442071838750' });
  });
  it.each(['12345', 'call me', '1234567890', '212-555-0101 x12'])('refuses %s', (p) => {
    expect(parsePhone(p)).toEqual({
      ok: false,
      message: 'Phone number is not a phone number we can dial (e.g. (212) 555-0101)',
    });
  });
});

describe('parseEmail and parseName', () => {
  it('trims and lower-cases an email', () => {
    expect(parseEmail('  Jon.Smith@Example.COM ')).toEqual({ ok: true, value: 'jon.smith@example.com' });
  });
  it('refuses an address without a domain', () => {
    expect(parseEmail('jon@')).toEqual({ ok: false, message: 'Email is not a valid email address' });
  });
  it('squeezes spaces in a name and refuses an empty one', () => {
    expect(parseName('  Mary   Ann ', 'First name')).toEqual({ ok: true, value: 'Mary Ann' });
    expect(parseName('   ', 'Last name')).toEqual({ ok: false, message: 'Last name must not be empty' });
  });
});

describe('collect', () => {
  it('gathers every problem at once', () => {
    const r = collect({ a: parsePhone('x'), b: parseDateOfBirth('nope'), c: undefined });
    expect(r).toEqual({
      ok: false,
      messages: [
        'Phone number is not a phone number we can dial (e.g. (212) 555-0101)',
        'Date of birth must be a date such as 5/3/1964 or May 3, 1964',
      ],
    });
  });
  it('returns the values when all are good', () => {
    expect(collect({ a: parsePhone('212 555 0101'), c: undefined })).toEqual({
      ok: true,
      values: { a: '2125550101', c: undefined },
    });
  });
});
