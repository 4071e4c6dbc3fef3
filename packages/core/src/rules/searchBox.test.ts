import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from './normalize';
import { readSearchBox } from './searchBox';

const today = new Date('2026-12-04T12:00:00Z');
const read = (q: string) => readSearchBox(q, today);

describe('readSearchBox (SPEC 4.2 q)', () => {
  it.each([
    ['john smith', { name: 'john smith' }],
    ['john smith 1964-05-03', { name: 'john smith', date_of_birth: '1964-05-03' }],
    ['john smith 05/03/1964', { name: 'john smith', date_of_birth: '1964-05-03' }],
    ['Smith, John, 5/3/1964', { name: 'Smith John', date_of_birth: '1964-05-03' }],
    ['john smith 3 May 1964', { name: 'john smith', date_of_birth: '1964-05-03' }],
    ['May 3rd, 1964 smith', { name: 'smith', date_of_birth: '1964-05-03' }],
    ['3 sept 1964', { date_of_birth: '1964-09-03' }],
    ['(212) 555-0101', { phone_number: '2125550101' }],
    ['+1 212.555.0101 jon', { name: 'jon', phone_number: '2125550101' }],
    ['JSmith@Example.com', { email: 'jsmith@example.com' }],
    [
      "o'brien siobhan jsmith@example.com 212-555-0101",
      {
        name: "o'brien siobhan",
        email: 'jsmith@example.com',
        phone_number: '2125550101',
      },
    ],
    ['García-López', { name: 'García-López' }],
  ])('reads %j', (q, parts) => {
    expect(read(q)).toEqual({ ok: true, parts });
  });

  it.each([
    ['john 5/3/64', '"5/3/64" in q needs a 4-digit year, e.g. 5/3/1964'],
    ['john 02/30/1964', '"02/30/1964" in q is not a real date'],
    ['john 555-01', '"555-01" in q is not a name, email, phone number or date'],
    ['john 123-4567-8', '"123-4567-8" in q is not a phone number'],
    ['a@b.com c@d.com', 'q holds more than one email; give one'],
    ['1964-05-03 1970-01-01', 'q holds more than one date; give one'],
    ['john@', '"john@" in q is not an email'],
    ['  , ;', 'q holds nothing to search for'],
  ])('refuses %j, saying why', (q, problem) => {
    const out = read(q);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.problems).toContain(problem);
  });
});

describe('readSearchBox on any text', () => {
  it('never throws, and every part it reads is in its normal form', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'john',
        'Smith,',
        '05/03/1964',
        '1964-05-03',
        '3 May 1964',
        '(212) 555-0101',
        'a@b.co',
        '@',
        '+44 20 7183 8750',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const out = read(pieces.join(' '));
        if (!out.ok) return out.problems.length > 0;
        const { parts } = out;
        if (parts.phone_number !== undefined && normalizePhone(parts.phone_number) !== parts.phone_number)
          return false;
        if (parts.email !== undefined && parts.email !== parts.email.toLowerCase()) return false;
        if (parts.date_of_birth !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(parts.date_of_birth))
          return false;
        return Object.keys(parts).length > 0;
      }),
      { numRuns: 2000 },
    );
  });
});
