// Duplicate detection through the real create service (SPEC 4.3).
//   False refusals: twins and families (new households from the generator: shared phone, surname and often
//   email, different birth dates; twins with one birth date and different first names) are created one by
//   one; a 400 duplicate answer for any of them is a false refusal, unless the core rule itself finds an
//   unrelated stored record that is the same patient (a chance collision with the population, reported apart).
//   Missed duplicates: stored patients registered again with the slips of errorModel.ts; each should be
//   refused, and every one that is created is a missed duplicate.
import { createPatientInput, type DuplicateEvidence, isSamePatient, ServiceError } from '@patients/core';
import type { Knex } from 'knex';
import { DUPLICATE_KINDS, type DuplicateKind, type Fresh, reenter } from './errorModel';
import { type GeneratedPatient, generatePatients, type PatientRecord, toRecord } from './generate';
import { createBody } from './product';
import { mulberry32, type Random } from './random';

export interface CreateContext {
  subdomain: string;
  locationId: number;
  providerId: number;
  create(input: ReturnType<typeof createPatientInput.parse>): Promise<{ user: { id: number } }>;
}

export function createInput(ctx: CreateContext, p: PatientRecord) {
  return createPatientInput.parse({
    subdomain: ctx.subdomain,
    location_id: ctx.locationId,
    ...createBody(p, ctx.providerId),
  });
}

type Outcome = { created: number } | { refused: true } | { error: string };

export async function tryCreate(ctx: CreateContext, p: PatientRecord): Promise<Outcome> {
  try {
    const out = await ctx.create(createInput(ctx, p));
    return { created: out.user.id };
  } catch (e) {
    if (e instanceof ServiceError && e.code === 'duplicate') return { refused: true };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** Households with twins and families of two or more (half of them with twins), from a seed of their own. */
export function familySet(households: number, seed: number): GeneratedPatient[][] {
  const wantTwins = Math.ceil(households / 2);
  const kept: GeneratedPatient[][] = [];
  let twins = 0;
  let current: GeneratedPatient[] = [];
  const consider = (group: GeneratedPatient[]) => {
    if (group.length < 2) return;
    const hasTwins = group.some((m) => m.role === 'twin');
    if (hasTwins && twins < wantTwins) {
      twins++;
      kept.push(group);
    } else if (!hasTwins && kept.length - twins < households - wantTwins) kept.push(group);
  };
  for (const p of generatePatients(Number.MAX_SAFE_INTEGER, seed)) {
    if (current.length && current[0]!.household !== p.household) {
      consider(current);
      current = [];
      if (kept.length >= households) break;
    }
    current.push(p);
  }
  return kept;
}

function evidence(p: PatientRecord): DuplicateEvidence {
  const input = createPatientInput.shape.patient.parse({
    first_name: p.first_name,
    last_name: p.last_name,
    email: p.email,
    bio: { phone_number: p.phone_number, date_of_birth: p.date_of_birth, gender: p.gender },
  });
  return {
    first_name: input.first_name,
    last_name: input.last_name,
    preferred_name: p.preferred_name,
    email: input.email ?? null,
    phone_number: input.bio.phone_number ?? null,
    date_of_birth: input.bio.date_of_birth ?? null,
    gender: input.bio.gender ?? null,
    demographics_defaulted: [],
  };
}

export interface FamilyResult {
  households: number;
  people: number;
  falseRefusals: number;
  chanceCollisions: number;
  errors: number;
  examples: string[];
}

export async function evaluateFamilies(
  ctx: CreateContext,
  knex: Knex,
  institutionId: number,
  households: number,
  seed: number,
): Promise<FamilyResult> {
  const set = familySet(households, seed);
  const result: FamilyResult = {
    households: set.length,
    people: 0,
    falseRefusals: 0,
    chanceCollisions: 0,
    errors: 0,
    examples: [],
  };
  for (const group of set) {
    const createdIds: number[] = [];
    for (const member of group) {
      result.people++;
      const outcome = await tryCreate(ctx, toRecord(member));
      if ('created' in outcome) {
        createdIds.push(outcome.created);
        continue;
      }
      if ('error' in outcome) {
        result.errors++;
        if (result.examples.length < 8) result.examples.push(`error: ${outcome.error}`);
        continue;
      }
      const mine = evidence(member);
      const sameDay = await knex('patients')
        .where({ institution_id: institutionId, date_of_birth: member.date_of_birth })
        .whereNotIn('id', createdIds);
      const collision = sameDay.some((r) => isSamePatient(mine, { ...r, demographics_defaulted: [] }));
      if (collision) result.chanceCollisions++;
      else {
        result.falseRefusals++;
        if (result.examples.length < 8) {
          const family = group
            .map((m) => `${m.first_name} ${m.last_name} ${m.date_of_birth} ${m.gender}`)
            .join('; ');
          result.examples.push(
            `refused ${member.first_name} ${member.last_name} ${member.date_of_birth} (household: ${family})`,
          );
        }
      }
    }
  }
  return result;
}

export interface MissedResult {
  kind: DuplicateKind | 'overall';
  attempts: number;
  missed: number;
  errors: number;
  examples: string[];
}

function freshValues(random: Random): Fresh {
  const syllables = ['quil', 'rav', 'zen', 'thorn', 'bex', 'dra', 'vol', 'mur', 'kest', 'yor'];
  let n = 0;
  return {
    surname: () => {
      const s = random.pick(syllables) + random.pick(syllables) + random.pick(['by', 'worth', 'ford', 'ton']);
      return s.charAt(0).toUpperCase() + s.slice(1);
    },
    email: () => `fresh.${++n}.${random.int(1000, 9999)}@example.org`,
    phone: () =>
      `${random.int(201, 989)}${random.int(200, 999)}${String(random.int(0, 9999)).padStart(4, '0')}`,
  };
}

export async function evaluateMissed(
  ctx: CreateContext,
  records: readonly PatientRecord[],
  perKind: number,
  seed: number,
): Promise<MissedResult[]> {
  const random = mulberry32(seed);
  const fresh = freshValues(random);
  const rows: MissedResult[] = [];
  for (const kind of DUPLICATE_KINDS) {
    const r: MissedResult = { kind, attempts: 0, missed: 0, errors: 0, examples: [] };
    for (let attempt = 0; r.attempts < perKind && attempt < perKind * 50; attempt++) {
      const original = random.pick(records);
      const again = reenter(kind, original, random, fresh);
      if (!again) continue;
      r.attempts++;
      const outcome = await tryCreate(ctx, again);
      if ('refused' in outcome) continue;
      if ('error' in outcome) r.errors++;
      else r.missed++;
      if (r.examples.length < 5) {
        const what = 'error' in outcome ? `error ${outcome.error}` : 'created';
        r.examples.push(
          `${what}: ${again.first_name} ${again.last_name} ${again.email.trim()} ${again.phone_number} (stored: ${original.first_name} ${original.last_name} ${original.email} ${original.phone_number} ${original.date_of_birth})`,
        );
      }
    }
    rows.push(r);
  }
  const total = rows.reduce(
    (s, r) => ({
      attempts: s.attempts + r.attempts,
      missed: s.missed + r.missed,
      errors: s.errors + r.errors,
    }),
    { attempts: 0, missed: 0, errors: 0 },
  );
  rows.push({ kind: 'overall', ...total, examples: [] });
  return rows;
}
