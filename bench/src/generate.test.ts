import { areNicknames, checkDateOfBirth, foldName, normalizePhone } from '@patients/core';
import { describe, expect, it } from 'vitest';
import { typo } from './errorModel';
import { CSV_COLUMNS, type GeneratedPatient, generatePatients } from './generate';
import { TWIN_PAIRS } from './nameData';
import { mulberry32 } from './random';

const take = (n: number, seed: number): GeneratedPatient[] => [...generatePatients(n, seed)];

describe('generatePatients', () => {
  const rows = take(5000, 7);

  it('gives the same rows for the same seed, and other rows for another', () => {
    expect(take(500, 7)).toEqual(rows.slice(0, 500));
    expect(take(500, 8)).not.toEqual(rows.slice(0, 500));
  });

  it('gives exactly the number asked for', () => {
    expect(take(0, 1)).toHaveLength(0);
    expect(take(1, 1)).toHaveLength(1);
    expect(rows).toHaveLength(5000);
  });

  it('writes every CSV column, with valid phones and dates of birth', () => {
    for (const r of rows) {
      for (const c of CSV_COLUMNS) expect(r).toHaveProperty(c);
      expect(r.first_name.trim()).not.toBe('');
      expect(r.last_name.trim()).not.toBe('');
      expect(normalizePhone(r.phone_number)).toBe(r.phone_number);
      expect(checkDateOfBirth(r.date_of_birth)).toBeNull();
      expect(r.email).toMatch(/^[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(['Male', 'Female', 'Other']).toContain(r.gender);
    }
  });

  it('has twins: same birth date, surname and phone, different first names', () => {
    const twins = new Map<string, GeneratedPatient[]>();
    for (const r of rows.filter((r) => r.role === 'twin')) {
      const key = `${r.household}`;
      twins.set(key, [...(twins.get(key) ?? []), r]);
    }
    expect(twins.size).toBeGreaterThan(5);
    for (const [a, b] of twins.values()) {
      expect(a!.date_of_birth).toBe(b!.date_of_birth);
      expect(a!.last_name).toBe(b!.last_name);
      expect(a!.phone_number).toBe(b!.phone_number);
      expect(foldName(a!.first_name)).not.toBe(foldName(b!.first_name));
    }
  });

  it('has families sharing a phone or an email with different birth dates', () => {
    const byHousehold = new Map<number, GeneratedPatient[]>();
    for (const r of rows) byHousehold.set(r.household, [...(byHousehold.get(r.household) ?? []), r]);
    const sharing = [...byHousehold.values()].filter(
      (g) =>
        g.length >= 2 &&
        new Set(g.map((m) => m.date_of_birth)).size >= 2 &&
        (new Set(g.map((m) => m.phone_number)).size < g.length ||
          new Set(g.map((m) => m.email)).size < g.length),
    );
    expect(sharing.length).toBeGreaterThan(100);
  });

  it('has accents, apostrophes, particles, hyphenated surnames and preferred names', () => {
    const last = rows.map((r) => r.last_name);
    expect(last.some((l) => l !== foldName(l) && /\p{M}/u.test(l.normalize('NFD')))).toBe(true);
    expect(last.some((l) => l.includes("'"))).toBe(true);
    expect(last.some((l) => l.includes(' '))).toBe(true);
    expect(last.some((l) => l.includes('-'))).toBe(true);
    expect(rows.filter((r) => r.preferred_name).length).toBeGreaterThan(100);
    expect(new Set(last).size).toBeGreaterThan(1000);
  });
});

describe('the fixed twin pairs', () => {
  it('are different people by SPEC 4.3: not one-hop nicknames of each other', () => {
    for (const [a, , b] of TWIN_PAIRS) expect(areNicknames(a, b, 1), `${a} / ${b}`).toBe(false);
  });
});

describe('typo', () => {
  it('makes one edit within the allowance, and none in names of two letters', () => {
    const random = mulberry32(3);
    expect(typo(random, 'li')).toBeNull();
    for (let i = 0; i < 200; i++) {
      const t = typo(random, 'johnson');
      expect(t).not.toBeNull();
      expect(t).not.toBe('johnson');
    }
    for (let i = 0; i < 50; i++) expect(typo(random, 'eva')?.length).not.toBe(2);
  });
});
