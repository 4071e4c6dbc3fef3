import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDateOfBirth, foldName, nameTokens, normalizePhone } from './normalize';

const FOLDED = /^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/;

describe('foldName properties', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.stringMatching(/^[A-Za-zÀ-ÿŁłØøßÆæŒœĐđÞþı'’ -]{0,30}$/),
  );

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = foldName(s);
        expect(foldName(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives lower-case a-z/0-9 words separated by single spaces', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(foldName(s)).toMatch(FOLDED);
      }),
      { numRuns: 1000 },
    );
  });

  it('ignores case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-zÀ-ÿ' -]{0,30}$/), (s) => {
        expect(foldName(s.toUpperCase())).toBe(foldName(s.toLowerCase()));
      }),
    );
  });

  it('nameTokens are the words of foldName', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(nameTokens(s).join(' ')).toBe(foldName(s));
        for (const t of nameTokens(s)) expect(t).toMatch(/^[a-z0-9]+$/);
      }),
    );
  });
});

describe('normalizePhone properties', () => {
  const nanpDigits = fc
    .tuple(
      fc.integer({ min: 2, max: 9 }),
      fc.stringMatching(/^\d{2}$/),
      fc.integer({ min: 2, max: 9 }),
      fc.stringMatching(/^\d{6}$/),
    )
    .map(([a, b, c, d]) => `${a}${b}${c}${d}`);

  const formatted = fc.tuple(nanpDigits, fc.integer({ min: 0, max: 5 })).map(([d, style]) => {
    const [area, exch, line] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
    return [
      d,
      `(${area}) ${exch}-${line}`,
      `+1 ${area}-${exch}-${line}`,
      `${area}.${exch}.${line}`,
      `1-${area}-${exch}-${line}`,
      `+1${d}`,
    ][style]!;
  });

  it('every common US form of a possible number gives its 10 digits', () => {
    fc.assert(
      fc.property(nanpDigits, fc.integer({ min: 0, max: 5 }), (d, style) => {
        const [area, exch, line] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
        const input = [
          d,
          `(${area}) ${exch}-${line}`,
          `+1 ${area}-${exch}-${line}`,
          `${area}.${exch}.${line}`,
          `1-${area}-${exch}-${line}`,
          `+1${d}`,
        ][style]!;
        expect(normalizePhone(input)).toBe(d);
      }),
    );
  });

  it('is idempotent on its own output', () => {
    const international = fc
      .tuple(
        fc.constantFrom('+44', '+33', '+49', '+61', '+81', '+52', '+91', '+34'),
        fc.stringMatching(/^\d{6,12}$/),
      )
      .map(([cc, n]) => `${cc} ${n}`);
    fc.assert(
      fc.property(fc.oneof(formatted, international, fc.string({ maxLength: 20 })), (input) => {
        const once = normalizePhone(input);
        if (once !== null) expect(normalizePhone(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkDateOfBirth properties', () => {
  const day = 24 * 60 * 60 * 1000;

  it('accepts every real date from 130 years ago to today, and rejects tomorrow', () => {
    const today = new Date('2025-03-01T10:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 * 365 }), (daysAgo) => {
        const iso = new Date(today.getTime() - daysAgo * day).toISOString().slice(0, 10);
        expect(checkDateOfBirth(iso, today)).toBeNull();
      }),
    );
    expect(checkDateOfBirth(new Date(today.getTime() + day).toISOString().slice(0, 10), today)).toBe(
      'future',
    );
  });
});
