import { describe, expect, it } from 'vitest';
import { checkDateOfBirth, foldName, nameTokens, normalizeEmail, normalizePhone } from './normalize';

describe('foldName', () => {
  it.each([
    ['José', 'jose'],
    ['JOSE', 'jose'],
    ["O'Brien", 'obrien'],
    ['O’Brien', 'obrien'],
    ['O‘Brien', 'obrien'],
    ['O`Brien', 'obrien'],
    ['Oʼbrien', 'obrien'],
    ['O Brien', 'o brien'],
    ['Garcia-López', 'garcia lopez'],
    ['  Mary   Ann  ', 'mary ann'],
    ['Łukasz', 'lukasz'],
    ['Søren', 'soren'],
    ['Straße', 'strasse'],
    ['Ærø', 'aero'],
    ['Œuvre', 'oeuvre'],
    ['Đorđe', 'dorde'],
    ['Þór', 'thor'],
    ['Işık', 'isik'],
    ['İlker', 'ilker'],
    ['Ｊｏｈｎ', 'john'],
    ['Nguyễn Thị', 'nguyen thi'],
    ['Smith, John', 'smith john'],
    ['Dr. J.R.R. Tolkien', 'dr j r r tolkien'],
    ['Louis XIV 2nd', 'louis xiv 2nd'],
    ['', ''],
    ['-- ,, --', ''],
  ])('%j → %j', (input, folded) => {
    expect(foldName(input)).toBe(folded);
  });

  it('drops letters of scripts it cannot spell in a-z', () => {
    expect(foldName('Иван Smith')).toBe('smith');
  });
});

describe('nameTokens', () => {
  it('splits the folded name and removes empty parts', () => {
    expect(nameTokens(' García-López,  María ')).toEqual(['garcia', 'lopez', 'maria']);
    expect(nameTokens("D'Angelo")).toEqual(['dangelo']);
    expect(nameTokens('  ')).toEqual([]);
  });
});

describe('normalizePhone', () => {
  it.each([
    '(516) 304-2196',
    '+1 516-304-2196',
    '516.304.2196',
    '1-516-304-2196',
    '5163042196',
    '+15163042196',
    ' 516 304 2196 ',
  ])('US form %j → national digits', (input) => {
    expect(normalizePhone(input)).toBe('5163042196');
  });

  it('accepts the 555-01xx numbers used in tests and demo data', () => {
    expect(normalizePhone('(212) 555-0142')).toBe('2125550142');
    expect(normalizePhone('+1 (555) 555-0100')).toBe('5555550100');
  });

  it('gives E.164 for other countries', () => {
    expect(normalizePhone('+44 20 7183 8750')).toBe('+442071838750');
    expect(normalizePhone('+33 1 23 45 67 89')).toBe('+33123456789');
    expect(normalizePhone('020 7183 8750', 'GB')).toBe('+442071838750');
    expect(normalizePhone('011 44 20 7183 8750')).toBe('+442071838750');
  });

  it('keeps the 10 digits for the rest of the North American plan (Canada, Caribbean)', () => {
    expect(normalizePhone('+1 (416) 555-0199')).toBe('4165550199');
  });

  it('gives E.164 for +1 numbers when the default country is outside the North American plan', () => {
    expect(normalizePhone('+1 516 304 2196', 'GB')).toBe('+15163042196');
  });

  it.each([
    '',
    'abc',
    '123',
    '911',
    '516-304-219',
    '516-304-21967',
    '1234567890',
    '0000000000',
    '(516) 104-2196',
    '+44 20 7183 87501',
    '516-304-2196 x12',
    '516-304-2196 ext. 12',
    '2125550142 2125550142',
    '5'.repeat(80),
  ])('%j is not a possible number', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('is idempotent on its own output', () => {
    for (const input of ['(516) 304-2196', '+44 20 7183 8750', '+33 1 23 45 67 89', '+61 2 9374 4000']) {
      const once = normalizePhone(input);
      expect(once).not.toBeNull();
      expect(normalizePhone(once!)).toBe(once);
    }
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  John.Smith@Example.COM ')).toBe('john.smith@example.com');
    expect(normalizeEmail('a@b.c')).toBe('a@b.c');
  });
});

describe('checkDateOfBirth', () => {
  const today = new Date('2024-06-15T12:00:00Z');

  it.each([
    ['1964-05-03', null],
    ['2024-06-15', null],
    ['2000-02-29', null],
    ['2024-02-29', null],
    ['1894-06-15', null],
    ['2023-02-30', 'malformed'],
    ['2023-02-29', 'malformed'],
    ['1900-02-29', 'malformed'],
    ['2023-04-31', 'malformed'],
    ['2023-13-01', 'malformed'],
    ['2023-00-10', 'malformed'],
    ['2023-01-00', 'malformed'],
    ['1964-5-3', 'malformed'],
    ['64-05-03', 'malformed'],
    ['1964/05/03', 'malformed'],
    ['1964-05-03T00:00:00Z', 'malformed'],
    [' 1964-05-03', 'malformed'],
    ['', 'malformed'],
    ['2024-06-16', 'future'],
    ['2030-01-01', 'future'],
    ['1894-06-14', 'too_old'],
    ['1893-01-01', 'too_old'],
  ] as const)('%s → %s', (value, problem) => {
    expect(checkDateOfBirth(value, today)).toBe(problem);
  });

  it('counts 131 years ago as too old and today minus 130 years as acceptable', () => {
    const now = new Date();
    const y = now.getUTCFullYear();
    const md = now.toISOString().slice(4, 10);
    expect(checkDateOfBirth(`${y - 131}${md}`)).toBe('too_old');
    if (md !== '-02-29') expect(checkDateOfBirth(`${y - 130}${md}`)).toBeNull();
  });

  it('uses the UTC date of "today"', () => {
    // 23:30 on 14 June in New York is already 15 June in UTC.
    const late = new Date('2024-06-15T03:30:00Z');
    expect(checkDateOfBirth('2024-06-15', late)).toBeNull();
    expect(checkDateOfBirth('2024-06-16', late)).toBe('future');
  });

  it('on 29 February, 130 years back sits between 28 February and 1 March', () => {
    const leapDay = new Date('2024-02-29T00:00:00Z');
    expect(checkDateOfBirth('1894-03-01', leapDay)).toBeNull();
    expect(checkDateOfBirth('1894-02-28', leapDay)).toBe('too_old');
  });
});
