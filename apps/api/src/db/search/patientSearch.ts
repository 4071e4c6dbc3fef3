// The SQL side of patient search (SPEC 4.2): filters, exact match parameters and fuzzy-name candidates,
// all within one institution. Ranking is core's scoreName; this module only finds and filters rows.
import {
  type NameQueryPlan,
  NEX_FOREIGN_ID_TYPE,
  PHONE_FIELDS,
  type SearchPatientsInput,
} from '@patients/core';
import type { Knex } from 'knex';
import { isPostgres, patientsById, tableIndexedBy } from '../dialect';
import { type PatientRow, patientFromDb } from '../repositories/patients';

type Filters = Pick<
  SearchPatientsInput,
  'location_id' | 'inactive' | 'non_patient' | 'new_patient' | 'location_strict' | 'updated_since'
>;

/**
 * Patients of the institution that pass the filters (AND-ed; a filter not given filters nothing). With `ids`
 * (a list, or a query of ids), only those: the ids drive the query and each patient is read by its primary
 * key, in a join order fixed on SQLite (`CROSS JOIN`), so no state of the statistics can turn it into a scan.
 */
export function filteredPatients(
  db: Knex,
  institutionId: number,
  f: Filters,
  ids?: readonly number[],
): Knex.QueryBuilder {
  const q: Knex.QueryBuilder = ids
    ? patientsById(db, ids)
    : db.from(
        tableIndexedBy(
          db,
          'patients',
          f.updated_since ? 'patients_institution_id_updated_at_index' : 'patients_institution_id_id_index',
        ),
      );
  q.where('patients.institution_id', institutionId);
  if (f.inactive !== undefined) q.where('patients.inactive', f.inactive);
  if (f.non_patient !== undefined) q.where('patients.non_patient', f.non_patient);
  if (f.new_patient === true) q.where('patients.foreign_id_type', 'nex');
  if (f.new_patient === false) q.whereNot('patients.foreign_id_type', 'nex');
  if (f.updated_since) q.where('patients.updated_at', '>=', f.updated_since);
  if (f.location_strict) {
    q.whereExists(
      db('patient_locations')
        .whereRaw('patient_locations.patient_id = patients.id')
        .where('patient_locations.location_id', f.location_id),
    );
  }
  return q;
}

/**
 * Rows matching any exact match parameter (email, phone, date of birth, foreign id): the ids from one index
 * lookup per parameter, united. An `OR` of the columns is left to the planner, which without statistics
 * scanned the institution's whole (institution, id) index instead of using the column indexes.
 */
export function exactMatchIds(
  db: Knex,
  institutionId: number,
  input: SearchPatientsInput,
): Knex.QueryBuilder {
  const lookups: Knex.QueryBuilder[] = [];
  const by = (column: string, value: string) =>
    lookups.push(db('patients').where('institution_id', institutionId).where(column, value).select('id'));
  if (input.email) by('email', input.email);
  // A phone matches any of the patient's phones (SPEC 4.1), each through its own index.
  if (input.phone_number) for (const column of PHONE_FIELDS) by(column, input.phone_number);
  if (input.date_of_birth) by('date_of_birth', input.date_of_birth);
  if (input.foreign_id) {
    // foreign_id_type narrows the id to one system (SPEC 4.2): "nex" is this service's own ids.
    const type = input.foreign_id_type;
    if (type !== NEX_FOREIGN_ID_TYPE) {
      const q = db('patients').where('institution_id', institutionId).where('foreign_id', input.foreign_id);
      lookups.push((type ? q.where('foreign_id_type', type) : q).select('id'));
    }
    // A patient not yet inserted has its own id as foreign id (SPEC 4.1's example).
    if ((!type || type === NEX_FOREIGN_ID_TYPE) && /^\d{1,9}$/.test(input.foreign_id)) {
      lookups.push(
        db('patients')
          .where('institution_id', institutionId)
          .where('id', Number(input.foreign_id))
          .whereNull('foreign_id')
          .select('id'),
      );
    }
  }
  // Nothing to look up (a foreign id of "nex" that is no number): no rows, not a scan.
  const [
    first = db('patients').where('institution_id', institutionId).whereRaw('1 = 0').select('id'),
    ...rest
  ] = lookups;
  return rest.length ? first.unionAll(rest) : first;
}

export function hasExactParameter(input: SearchPatientsInput): boolean {
  return Boolean(input.email || input.phone_number || input.date_of_birth || input.foreign_id);
}

/**
 * The (patient, key) pairs the name query's blocking keys reach (core's nameQueryPlan): exact keys and key
 * prefixes, however many, in one statement that joins the list with the key index. Keys are ASCII and
 * bytewise ordered on both engines (WITHOUT ROWID text on SQLite, COLLATE "C" on PostgreSQL), so
 * `prefix <= key < prefix + DEL` is exactly "starts with": one index seek and a short scan per prefix.
 * The key comes back with the patient because it carries the given name the caller pre-filters on.
 */
export async function nameCandidates(
  db: Knex,
  institutionId: number,
  plan: NameQueryPlan,
): Promise<Array<{ patient_id: number; key: string }>> {
  const pg = isPostgres(db);
  const out: Array<{ patient_id: number; key: string }> = [];
  if (plan.prefixes.length) {
    const sql = pg
      ? // A LATERAL subquery that cannot be flattened (OFFSET 0): one index range scan per prefix whatever the
        // statistics. As a plain join, a never-analyzed table made PostgreSQL materialise the institution's whole
        // key range and filter it for every prefix (1.7 s for "james smith" at 5,000 patients, 0.6 ms this way).
        `SELECT k.patient_id, k.key FROM unnest(?::text[]) AS r(p)
         CROSS JOIN LATERAL (SELECT patient_id, key FROM patient_name_keys
           WHERE institution_id = ? AND key >= r.p AND key < r.p || chr(127) OFFSET 0) AS k`
      : // CROSS JOIN: SQLite keeps this order (the list outside, the key index inside) whatever its statistics say.
        `SELECT k.patient_id, k.key FROM json_each(?) AS r
         CROSS JOIN patient_name_keys AS k ON k.institution_id = ? AND k.key >= r.value AND k.key < r.value || char(127)`;
    out.push(
      ...rowsOf(await db.raw(sql, [pg ? plan.prefixes : JSON.stringify(plan.prefixes), institutionId])),
    );
  }
  if (plan.keys.length) {
    out.push(
      ...(await db('patient_name_keys')
        .where('institution_id', institutionId)
        .whereIn('key', plan.keys)
        .select('patient_id', 'key')),
    );
  }
  return out;
}

function rowsOf(result: unknown): Array<{ patient_id: number; key: string }> {
  return Array.isArray(result)
    ? result
    : (result as { rows: Array<{ patient_id: number; key: string }> }).rows;
}

export const SORT_COLUMNS: Record<string, string[]> = {
  id: ['patients.id'],
  name: ['patients.last_name', 'patients.first_name', 'patients.id'],
  created_at: ['patients.created_at', 'patients.id'],
  updated_at: ['patients.updated_at', 'patients.id'],
};

/** The columns that match, rank and sort a search's candidates: full rows are read for the page alone. */
const MATCH_COLUMNS = [
  'patients.id',
  'patients.first_name',
  'patients.middle_name',
  'patients.last_name',
  'patients.preferred_name',
  'patients.email',
  'patients.phone_number',
  'patients.cell_phone_number',
  'patients.home_phone_number',
  'patients.work_phone_number',
  'patients.date_of_birth',
  'patients.foreign_id',
  'patients.created_at',
  'patients.updated_at',
  'patients.foreign_id_type',
];
export type MatchRow = Pick<
  PatientRow,
  | 'id'
  | 'first_name'
  | 'middle_name'
  | 'last_name'
  | 'preferred_name'
  | 'email'
  | 'phone_number'
  | 'cell_phone_number'
  | 'home_phone_number'
  | 'work_phone_number'
  | 'date_of_birth'
  | 'foreign_id'
  | 'foreign_id_type'
  | 'created_at'
  | 'updated_at'
>;

/** Ids per statement: well under SQLite's bound-parameter limit. */
const ID_CHUNK = 10_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A plain listing (no match parameter): one page in the given order, and the total. */
export async function listPatients(
  db: Knex,
  institutionId: number,
  f: Filters,
  page: { columns: string[]; desc: boolean; limit: number; offset: number },
): Promise<{ rows: PatientRow[]; count: number }> {
  const [countRow, raw] = await Promise.all([
    filteredPatients(db, institutionId, f).count({ n: '*' }).first(),
    filteredPatients(db, institutionId, f)
      .select('patients.*')
      .orderBy(page.columns.map((column) => ({ column, order: page.desc ? 'desc' : 'asc' })))
      .limit(page.limit)
      .offset(page.offset),
  ]);
  return { rows: raw.map(patientFromDb), count: Number(countRow?.n ?? 0) };
}

/**
 * The patients any exact match parameter names (email, phone, birth date, foreign id), filtered: their ids
 * first, then the rows by id. Two statements, not one join: PostgreSQL, on a table it has not analysed, took
 * the institution's whole index as the outer side of the join and ran the lookups once per patient (a phone
 * search on 5,000 patients grown through the API took 17 s); a list of ids has no such plan.
 */
export async function exactMatchRows(
  db: Knex,
  institutionId: number,
  input: SearchPatientsInput,
): Promise<MatchRow[]> {
  const found: Array<{ id: number }> = await exactMatchIds(db, institutionId, input);
  return matchRowsById(db, institutionId, input, [...new Set(found.map((r) => r.id))]);
}

/** These patients (name candidates), filtered, read by id in chunks. */
export async function matchRowsById(
  db: Knex,
  institutionId: number,
  f: Filters,
  ids: readonly number[],
): Promise<MatchRow[]> {
  const rows: MatchRow[] = [];
  for (const chunk of chunks([...ids], ID_CHUNK)) {
    rows.push(...(await filteredPatients(db, institutionId, f, chunk).select(MATCH_COLUMNS)));
  }
  return rows;
}
