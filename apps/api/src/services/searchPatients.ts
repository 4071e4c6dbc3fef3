// Search patients (SPEC 4.2): OR across match parameters, AND across filters and across the parts of the search
// box `q`, fuzzy names ranked by core.
import {
  givenPrefilter,
  NAME_MATCH_THRESHOLD,
  nameMatcher,
  nameQueryPlan,
  notFoundError,
  type Patient,
  type PatientMatch,
  PHONE_FIELDS,
  readSearchBox,
  type SearchPatientsInput,
  type SearchPatientsOutput,
  validationError,
} from '@patients/core';
import type { Knex } from 'knex';
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
    const value =
      param === 'foreign_id'
        ? (row.foreign_id ?? String(row.id))
        : param === 'phone_number'
          ? (PHONE_FIELDS.map((f) => row[f]).find((p) => p === wanted) ?? null)
          : row[column];
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

type Matches = { found: Map<number, MatchRow>; matches: Map<number, PatientMatch> };

/** Scores rows against a name query, keeping those that pass, merged into what was found already. */
function addNameMatches(name: string, rows: MatchRow[], into: Matches): void {
  const score = nameMatcher(name);
  for (const r of rows) {
    const scored = score(r);
    if (scored.score < NAME_MATCH_THRESHOLD) continue;
    // Three decimals are plenty for a caller and keep float noise (0.8999999) out of the API.
    const m = { score: Math.round(scored.score * 1000) / 1000, reasons: scored.reasons };
    const prior = into.matches.get(r.id);
    into.found.set(r.id, r);
    into.matches.set(
      r.id,
      prior ? { score: Math.max(prior.score, m.score), reasons: [...m.reasons, ...prior.reasons] } : m,
    );
  }
}

/** The rows the name query's blocking keys reach, filtered. */
async function nameCandidateRows(
  knex: Knex,
  institutionId: number,
  input: SearchPatientsInput,
  name: string,
) {
  // Candidates whose filed given name cannot match are dropped from their key alone, before any row is read.
  const keep = givenPrefilter(name);
  const ids = new Set<number>();
  for (const c of await nameCandidates(knex, institutionId, nameQueryPlan(name))) {
    if (keep(c.key)) ids.add(c.patient_id);
  }
  return matchRowsById(knex, institutionId, input, [...ids]);
}

/** Match parameters (SPEC 4.2): OR across them; exact ones in SQL, the name through blocking keys. */
async function parameterMatches(
  knex: Knex,
  institutionId: number,
  input: SearchPatientsInput,
): Promise<Matches> {
  const into: Matches = { found: new Map(), matches: new Map() };
  if (hasExactParameter(input)) {
    for (const r of await exactMatchRows(knex, institutionId, input)) {
      const m = exactMatch(input, r);
      if (!m) continue;
      into.found.set(r.id, r);
      into.matches.set(r.id, m);
    }
  }
  if (input.name)
    addNameMatches(input.name, await nameCandidateRows(knex, institutionId, input, input.name), into);
  return into;
}

/**
 * The search box (SPEC 4.2 `q`): each part read as the parameter it looks like, ANDed. With an email, phone
 * or birth date among them, the patients those name exactly are the candidates (an index lookup) and the name,
 * if any, is scored on them alone; a box of only a name is a name search.
 */
async function searchBoxMatches(
  knex: Knex,
  institutionId: number,
  input: SearchPatientsInput,
  q: string,
  today: Date,
): Promise<Matches> {
  const box = readSearchBox(q, today);
  if (!box.ok) throw validationError(box.problems);
  const { name, ...exact } = box.parts;
  const into: Matches = { found: new Map(), matches: new Map() };
  if (!Object.keys(exact).length) {
    addNameMatches(name!, await nameCandidateRows(knex, institutionId, input, name!), into);
    return into;
  }
  const wanted = { ...input, ...exact };
  const every = (r: MatchRow) =>
    (exact.email === undefined || r.email === exact.email) &&
    (exact.phone_number === undefined || PHONE_FIELDS.some((f) => r[f] === exact.phone_number)) &&
    (exact.date_of_birth === undefined || r.date_of_birth === exact.date_of_birth);
  const rows = (await exactMatchRows(knex, institutionId, wanted)).filter(every);
  if (name) {
    addNameMatches(name, rows, into);
    // Each kept patient matched the exact parts too: say so after the name's reasons.
    for (const [id, m] of into.matches)
      into.matches.set(id, {
        ...m,
        reasons: [...m.reasons, ...exactMatch(wanted, into.found.get(id)!)!.reasons],
      });
    return into;
  }
  for (const r of rows) {
    into.found.set(r.id, r);
    into.matches.set(r.id, exactMatch(wanted, r)!);
  }
  return into;
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
  if (input.q && (input.name || hasExactParameter(input))) {
    throw validationError([
      'q cannot be combined with name, email, phone_number, date_of_birth or foreign_id',
    ]);
  }
  if (!(await practiceRepo(knex).location(institutionId, input.location_id))) throw notFoundError('Location');
  const offset = (input.page - 1) * input.per_page;

  // No match parameter: a plain listing, sorted and paged in SQL.
  if (!input.q && !input.name && !hasExactParameter(input)) {
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

  const { found, matches } = input.q
    ? await searchBoxMatches(knex, institutionId, input, input.q, deps.now())
    : await parameterMatches(knex, institutionId, input);
  // Best match first when a name (or a box, which may hold one) was given.
  const ranked = Boolean(input.name || input.q);
  const ordered = [...found.values()];
  if (input.sort) ordered.sort(compareBy(input.sort));
  else if (ranked) ordered.sort((a, b) => matches.get(b.id)!.score - matches.get(a.id)!.score || a.id - b.id);
  else ordered.sort((a, b) => a.id - b.id);

  const pageIds = ordered.slice(offset, offset + input.per_page).map((r) => r.id);
  const full = new Map((await patientsRepo(knex).byIds(institutionId, pageIds)).map((r) => [r.id, r]));
  const page = pageIds.map((id) => full.get(id)!);
  const patients: Patient[] = await presentPatients(knex, institutionId, page, deps.now(), matches);
  return { patients, count: ordered.length };
}
