// Search patients (SPEC 4.2): OR across match parameters, AND across filters, fuzzy names ranked by core.
import {
  NAME_MATCH_THRESHOLD,
  type Patient,
  type PatientMatch,
  queryKeyGroups,
  type SearchPatientsInput,
  type SearchPatientsOutput,
  scoreName,
} from '@patients/core';
import { type PatientRow, patientFromDb } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import {
  exactMatchCondition,
  filteredPatients,
  hasExactParameter,
  nameCandidateIds,
  SORT_COLUMNS,
} from '../db/search/patientSearch';
import { notFound } from '../errors';
import type { ServiceDeps } from './deps';
import { presentPatients } from './presentPatient';

const EXACT_REASONS: Array<[keyof SearchPatientsInput, keyof PatientRow, string, number]> = [
  ['foreign_id', 'foreign_id', 'foreign id', 1],
  ['email', 'email', 'email', 1],
  ['phone_number', 'phone_number', 'phone', 0.95],
  ['date_of_birth', 'date_of_birth', 'date of birth', 0.6],
];

function exactMatch(input: SearchPatientsInput, row: PatientRow): PatientMatch | undefined {
  const reasons: string[] = [];
  let score = 0;
  for (const [param, column, reason, weight] of EXACT_REASONS) {
    const wanted = input[param];
    if (wanted === undefined) continue;
    const value = param === 'foreign_id' ? (row.foreign_id ?? String(row.id)) : row[column];
    if (value === wanted) {
      reasons.push(reason);
      score = Math.max(score, weight);
    }
  }
  return reasons.length ? { score, reasons } : undefined;
}

function compareBy(sort: string) {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const dir = desc ? -1 : 1;
  return (a: PatientRow, b: PatientRow): number => {
    const fields =
      key === 'name' ? (['last_name', 'first_name'] as const) : key === 'id' ? [] : ([key] as const);
    for (const f of fields) {
      const x = String(a[f as keyof PatientRow] ?? '');
      const y = String(b[f as keyof PatientRow] ?? '');
      if (x !== y) return x < y ? -dir : dir;
    }
    return (a.id - b.id) * (key === 'id' ? dir : 1);
  };
}

export async function searchPatients(
  deps: ServiceDeps,
  institutionId: number,
  input: SearchPatientsInput,
): Promise<SearchPatientsOutput> {
  const { knex } = deps.db;
  if (!(await practiceRepo(knex).location(institutionId, input.location_id))) throw notFound('Location');
  const offset = (input.page - 1) * input.per_page;

  // No match parameter: a plain listing, sorted and paged in SQL.
  if (!input.name && !hasExactParameter(input)) {
    const sort = input.sort ?? 'id';
    const desc = sort.startsWith('-');
    const columns = SORT_COLUMNS[desc ? sort.slice(1) : sort]!;
    const [countRow, raw] = await Promise.all([
      filteredPatients(knex, institutionId, input).count({ n: '*' }).first(),
      filteredPatients(knex, institutionId, input)
        .select('patients.*')
        .orderBy(columns.map((column) => ({ column, order: desc ? 'desc' : 'asc' })))
        .limit(input.per_page)
        .offset(offset),
    ]);
    const rows = raw.map(patientFromDb);
    return {
      patients: await presentPatients(knex, institutionId, rows, deps.now()),
      count: Number(countRow?.n ?? 0),
    };
  }

  // Match parameters: exact ones in SQL, the name through indexed candidates ranked by core.
  const matches = new Map<number, PatientMatch>();
  const rows = new Map<number, PatientRow>();
  if (hasExactParameter(input)) {
    const raw = await filteredPatients(knex, institutionId, input)
      .where(exactMatchCondition(input))
      .select('patients.*');
    for (const r of raw.map(patientFromDb)) {
      const m = exactMatch(input, r);
      if (!m) continue;
      rows.set(r.id, r);
      matches.set(r.id, m);
    }
  }
  if (input.name) {
    const groups = queryKeyGroups(input.name);
    if (groups.length) {
      const candidates = nameCandidateIds(knex, institutionId, groups, Math.min(groups.length, 2));
      const raw = await filteredPatients(knex, institutionId, input)
        .whereIn('patients.id', candidates)
        .select('patients.*');
      for (const r of raw.map(patientFromDb)) {
        const scored = scoreName(input.name, r);
        if (scored.score < NAME_MATCH_THRESHOLD) continue;
        // Three decimals are plenty for a caller and keep float noise (0.8999999) out of the API.
        const m = { score: Math.round(scored.score * 1000) / 1000, reasons: scored.reasons };
        const prior = matches.get(r.id);
        rows.set(r.id, r);
        matches.set(
          r.id,
          prior ? { score: Math.max(prior.score, m.score), reasons: [...m.reasons, ...prior.reasons] } : m,
        );
      }
    }
  }

  const ordered = [...rows.values()];
  if (input.sort) ordered.sort(compareBy(input.sort));
  else if (input.name)
    ordered.sort((a, b) => matches.get(b.id)!.score - matches.get(a.id)!.score || a.id - b.id);
  else ordered.sort((a, b) => a.id - b.id);

  const page = ordered.slice(offset, offset + input.per_page);
  const patients: Patient[] = await presentPatients(knex, institutionId, page, deps.now(), matches);
  return { patients, count: ordered.length };
}
