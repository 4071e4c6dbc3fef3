// Search patients (SPEC 4.2): OR across match parameters, AND across filters, fuzzy names ranked by core.
import {
  givenPrefilter,
  NAME_MATCH_THRESHOLD,
  nameMatcher,
  nameQueryPlan,
  notFoundError,
  type Patient,
  type PatientMatch,
  type SearchPatientsInput,
  type SearchPatientsOutput,
  validationError,
} from '@patients/core';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import {
  exactMatchRows,
  hasExactParameter,
  listPatients,
  type MatchRow,
  matchRowsById,
  nameCandidates,
  SORT_COLUMNS,
} from '../db/search/patientSearch';
import type { ServiceDeps } from './deps';
import { presentPatients } from './presentPatient';

const EXACT_REASONS: Array<[keyof SearchPatientsInput, keyof MatchRow, string, number]> = [
  ['foreign_id', 'foreign_id', 'foreign id', 1],
  ['email', 'email', 'email', 1],
  ['phone_number', 'phone_number', 'phone', 0.95],
  ['date_of_birth', 'date_of_birth', 'date of birth', 0.6],
];

function exactMatch(input: SearchPatientsInput, row: MatchRow): PatientMatch | undefined {
  const reasons: string[] = [];
  let score = 0;
  for (const [param, column, reason, weight] of EXACT_REASONS) {
    const wanted = input[param];
    if (wanted === undefined) continue;
    const value = param === 'foreign_id' ? (row.foreign_id ?? String(row.id)) : row[column];
    if (param === 'foreign_id' && input.foreign_id_type && input.foreign_id_type !== row.foreign_id_type)
      continue;
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
  return (a: MatchRow, b: MatchRow): number => {
    const fields =
      key === 'name' ? (['last_name', 'first_name'] as const) : key === 'id' ? [] : ([key] as const);
    for (const f of fields) {
      const x = String(a[f as keyof MatchRow] ?? '');
      const y = String(b[f as keyof MatchRow] ?? '');
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
  if (input.foreign_id_type && !input.foreign_id) {
    throw validationError(['foreign_id_type narrows foreign_id and needs it']);
  }
  if (!(await practiceRepo(knex).location(institutionId, input.location_id))) throw notFoundError('Location');
  const offset = (input.page - 1) * input.per_page;

  // No match parameter: a plain listing, sorted and paged in SQL.
  if (!input.name && !hasExactParameter(input)) {
    const sort = input.sort ?? 'id';
    const desc = sort.startsWith('-');
    const columns = SORT_COLUMNS[desc ? sort.slice(1) : sort]!;
    const { rows, count } = await listPatients(knex, institutionId, input, {
      columns,
      desc,
      limit: input.per_page,
      offset,
    });
    return { patients: await presentPatients(knex, institutionId, rows, deps.now()), count };
  }

  // Match parameters: exact ones in SQL, the name through blocking-key candidates ranked by core. Only the
  // columns that match, rank and sort are read for candidates; full rows are read for the page alone.
  const matches = new Map<number, PatientMatch>();
  const found = new Map<number, MatchRow>();
  if (hasExactParameter(input)) {
    const raw = await exactMatchRows(knex, institutionId, input);
    for (const r of raw) {
      const m = exactMatch(input, r);
      if (!m) continue;
      found.set(r.id, r);
      matches.set(r.id, m);
    }
  }
  if (input.name) {
    // Candidates whose filed given name cannot match are dropped from their key alone, before any row is read.
    const keep = givenPrefilter(input.name);
    const ids = new Set<number>();
    for (const c of await nameCandidates(knex, institutionId, nameQueryPlan(input.name))) {
      if (keep(c.key)) ids.add(c.patient_id);
    }
    const raw = await matchRowsById(knex, institutionId, input, [...ids]);
    const score = nameMatcher(input.name);
    for (const r of raw) {
      const scored = score(r);
      if (scored.score < NAME_MATCH_THRESHOLD) continue;
      // Three decimals are plenty for a caller and keep float noise (0.8999999) out of the API.
      const m = { score: Math.round(scored.score * 1000) / 1000, reasons: scored.reasons };
      const prior = matches.get(r.id);
      found.set(r.id, r);
      matches.set(
        r.id,
        prior ? { score: Math.max(prior.score, m.score), reasons: [...m.reasons, ...prior.reasons] } : m,
      );
    }
  }

  const ordered = [...found.values()];
  if (input.sort) ordered.sort(compareBy(input.sort));
  else if (input.name)
    ordered.sort((a, b) => matches.get(b.id)!.score - matches.get(a.id)!.score || a.id - b.id);
  else ordered.sort((a, b) => a.id - b.id);

  const pageIds = ordered.slice(offset, offset + input.per_page).map((r) => r.id);
  const full = new Map((await patientsRepo(knex).byIds(institutionId, pageIds)).map((r) => [r.id, r]));
  const page = pageIds.map((id) => full.get(id)!);
  const patients: Patient[] = await presentPatients(knex, institutionId, page, deps.now(), matches);
  return { patients, count: ordered.length };
}
