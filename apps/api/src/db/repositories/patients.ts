// Patient rows. Every method takes the institution and filters by it: there is no way to read across
// institutions from here. Name search keys are written in the same transaction as the patient.
import {
  type DemographicField,
  DUPLICATE_EVIDENCE_FIELDS,
  type Gender,
  nameSearchKeys,
  PATIENT_INPUT_FIELDS,
} from '@patients/core';
import type { Knex } from 'knex';
import { isPostgres, isSqlite, patientsById, tableIndexedBy } from '../dialect';
import { bool, type Clock, systemClock } from './time';

export interface PatientRow {
  id: number;
  institution_id: number;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  preferred_name: string | null;
  email: string | null;
  phone_number: string | null;
  cell_phone_number: string | null;
  home_phone_number: string | null;
  work_phone_number: string | null;
  date_of_birth: string | null;
  gender: Gender | null;
  street_address: string | null;
  address_line_1: string | null;
  address_line_2: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  inactive: boolean;
  non_patient: boolean;
  unsubscribe_sms: boolean;
  foreign_id: string | null;
  foreign_id_type: string;
  guarantor_id: number | null;
  provider_id: number | null;
  created_location_id: number;
  last_sync_time: string | null;
  demographics_defaulted: DemographicField[];
  created_at: string;
  updated_at: string;
}

/** What the duplicate rule compares: core's list of its fields. */
const EVIDENCE_COLUMNS = DUPLICATE_EVIDENCE_FIELDS;
export type BirthDateEvidence = Pick<PatientRow, 'id' | (typeof EVIDENCE_COLUMNS)[number]>;

/** The columns a caller may write; the rest are managed here. */
export type PatientWrite = Partial<
  Omit<PatientRow, 'id' | 'institution_id' | 'created_at' | 'updated_at' | 'created_location_id'>
>;

function fromDb(raw: Record<string, unknown>): PatientRow {
  return {
    ...(raw as unknown as PatientRow),
    inactive: bool(raw.inactive),
    non_patient: bool(raw.non_patient),
    unsubscribe_sms: bool(raw.unsubscribe_sms),
    demographics_defaulted: JSON.parse(String(raw.demographics_defaulted ?? '[]')),
  };
}

function toDb(fields: PatientWrite): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (fields.demographics_defaulted)
    out.demographics_defaulted = JSON.stringify(fields.demographics_defaulted);
  return out;
}

/**
 * Writes the name search keys of these patients (core's nameSearchKeys), the one place the index is kept.
 * All keys go in one statement whatever their number: a JSON array unpacked by json_each on SQLite, arrays
 * unnested on PostgreSQL. Sorted by key, so the key-clustered table takes them in order. `given[i]`, when
 * present, are row i's keys computed beforehand (by the import's worker thread) with nameSearchKeys.
 */
async function writeNameKeys(
  db: Knex,
  rows: readonly PatientRow[],
  given?: readonly (readonly string[])[],
): Promise<void> {
  const keys: Array<[number, string, number]> = [];
  rows.forEach((row, i) => {
    for (const key of given?.[i] ?? nameSearchKeys(row)) keys.push([row.institution_id, key, row.id]);
  });
  if (!keys.length) return;
  keys.sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] - y[2]));
  if (isPostgres(db)) {
    await db.raw(
      'INSERT INTO patient_name_keys (institution_id, key, patient_id) SELECT * FROM unnest(?::int[], ?::text[], ?::int[])',
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
  } else {
    await db.raw(
      'INSERT INTO patient_name_keys (institution_id, key, patient_id) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)',
      [JSON.stringify(keys)],
    );
  }
}

/** Bound values per statement: under SQLite's limit (32766) and PostgreSQL's (65535). */
const MAX_BINDINGS = 30_000;

/**
 * `INSERT ... VALUES (...), (...)`: one statement per MAX_BINDINGS values, on both engines (knex's own multi-row
 * insert on SQLite is a UNION ALL of SELECTs, capped at 500 rows and twice as slow). Table and column names are
 * this module's constants. With `returning`, the new rows in the order given (ids follow VALUES order).
 */
async function insertValues(
  db: Knex,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  returning = false,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const perStatement = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `${head}${Array(chunk.length).fill(tuple).join(', ')}${returning ? ' RETURNING *' : ''}`;
    const result = await db.raw(sql, chunk.flat() as Knex.RawBinding[]);
    if (returning) {
      const got: Record<string, unknown>[] = Array.isArray(result) ? result : result.rows;
      out.push(...got.sort((x, y) => Number(x.id) - Number(y.id)));
    }
  }
  return out;
}

/** The columns a bulk insert gives for every row (the import's rows): the rest keep their defaults. */
export const BULK_COLUMNS = [
  ...PATIENT_INPUT_FIELDS,
  'provider_id',
  'demographics_defaulted',
  'foreign_id',
  'foreign_id_type',
] as const satisfies readonly (keyof PatientRow)[];

/** A patient as a bulk insert writes it: every one of BULK_COLUMNS. */
export type BulkPatientWrite = Pick<PatientRow, (typeof BULK_COLUMNS)[number]>;

/** better-sqlite3's connection and statements, as far as the bulk insert uses them. */
interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

// Rows per multi-row statement: each is prepared once per connection and reused for every batch.
const PATIENT_ROWS_PER_STATEMENT = 64;
const LOCATION_ROWS_PER_STATEMENT = 256;
const KEY_ROWS_PER_STATEMENT = 256;
const statementCache = new WeakMap<object, Map<string, SqliteStatement>>();

function statement(conn: SqliteConnection, sql: string): SqliteStatement {
  let cache = statementCache.get(conn);
  if (!cache) {
    cache = new Map();
    statementCache.set(conn, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = conn.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/**
 * Runs `INSERT INTO table (columns) VALUES (...)` for every row: full chunks of `perStatement` rows through one
 * prepared multi-row statement, the rest one row at a time. `values(i, out)` appends row i's values to `out`.
 * Returns the last rowid inserted.
 */
function insertPrepared(
  conn: SqliteConnection,
  table: string,
  columns: readonly string[],
  count: number,
  perStatement: number,
  values: (i: number, out: unknown[]) => void,
): number {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const many = statement(conn, head + Array(perStatement).fill(tuple).join(', '));
  const one = statement(conn, head + tuple);
  const params: unknown[] = [];
  let last = 0;
  let i = 0;
  for (; i + perStatement <= count; i += perStatement) {
    params.length = 0;
    for (let j = i; j < i + perStatement; j++) values(j, params);
    last = Number(many.run(params).lastInsertRowid);
  }
  for (; i < count; i++) {
    params.length = 0;
    values(i, params);
    last = Number(one.run(params).lastInsertRowid);
  }
  return last;
}

/**
 * The bulk insert on SQLite: prepared statements on the transaction's own better-sqlite3 connection, no SQL
 * built per batch. Ids: one statement inserts its rows in VALUES order under the write lock, and the table's
 * AUTOINCREMENT key gives them consecutive ids ending at the statement's last rowid.
 */
async function insertBulkSqlite(
  trx: Knex.Transaction,
  institutionId: number,
  locationId: number,
  rows: readonly BulkPatientWrite[],
  keys: readonly (readonly string[])[],
  now: string,
): Promise<number[]> {
  const conn = (await trx.client.acquireConnection()) as SqliteConnection;
  const ids: number[] = new Array(rows.length);
  const columns = [...BULK_COLUMNS, 'institution_id', 'created_location_id', 'created_at', 'updated_at'];
  // Chunk by chunk (a short last chunk as one statement of its own size), so each statement's ids follow
  // from its last rowid.
  const per = PATIENT_ROWS_PER_STATEMENT;
  for (let from = 0; from < rows.length; from += per) {
    const n = Math.min(per, rows.length - from);
    const last = insertPrepared(conn, 'patients', columns, n, n, (i, out) => {
      const r = rows[from + i]!;
      // In the order of `columns`: BULK_COLUMNS, then the four the repository sets.
      for (const c of BULK_COLUMNS) {
        out.push(c === 'demographics_defaulted' ? JSON.stringify(r[c]) : r[c]);
      }
      out.push(institutionId, locationId, now, now);
    });
    for (let i = 0; i < n; i++) ids[from + i] = last - n + 1 + i;
  }
  insertPrepared(
    conn,
    'patient_locations',
    ['patient_id', 'location_id'],
    ids.length,
    LOCATION_ROWS_PER_STATEMENT,
    (i, out) => {
      out.push(ids[i], locationId);
    },
  );
  // Keys in the table's order, so consecutive inserts land on the same leaf page (SQLite then skips the descent
  // from the root): grouped by key (ids ascend within a group, rows being in id order), distinct keys sorted.
  // Sorting the ~130k distinct keys of a 10k-row batch is about 3x cheaper than sorting every (key, id) pair.
  const groups = new Map<string, number[]>();
  keys.forEach((ks, i) => {
    const id = ids[i]!;
    for (const k of ks) {
      const group = groups.get(k);
      if (group) group.push(id);
      else groups.set(k, [id]);
    }
  });
  const pairs: Array<string | number> = [];
  for (const k of [...groups.keys()].sort()) for (const id of groups.get(k)!) pairs.push(k, id);
  insertPrepared(
    conn,
    'patient_name_keys',
    ['institution_id', 'key', 'patient_id'],
    pairs.length / 2,
    KEY_ROWS_PER_STATEMENT,
    (i, out) => {
      out.push(institutionId, pairs[2 * i], pairs[2 * i + 1]);
    },
  );
  return ids;
}

/** A new patient's row as stored: the caller's fields, the institution, where it was created, and when. */
function newRow(fields: PatientWrite, institutionId: number, locationId: number, now: string) {
  const row: Record<string, unknown> = {
    ...toDb(fields),
    institution_id: institutionId,
    created_location_id: locationId,
    created_at: now,
    updated_at: now,
  };
  return row;
}

/**
 * One patient with its location and name keys in one statement on PostgreSQL: a create's round trips are
 * what its time goes to there (each costs a system call on both sides), and three inserts become one.
 */
async function insertOnePg(
  db: Knex,
  institutionId: number,
  locationId: number,
  fields: PatientWrite,
  now: string,
): Promise<PatientRow> {
  const row = newRow(fields, institutionId, locationId, now);
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  const keys = nameSearchKeys({
    first_name: fields.first_name!,
    last_name: fields.last_name!,
    preferred_name: fields.preferred_name,
  });
  const result = await db.raw(
    `WITH p AS (INSERT INTO patients (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING *),
       l AS (INSERT INTO patient_locations (patient_id, location_id) SELECT id, ? FROM p),
       k AS (INSERT INTO patient_name_keys (institution_id, key, patient_id) SELECT ?, key, p.id FROM p, unnest(?::text[]) AS key)
     SELECT * FROM p`,
    [...columns.map((c) => row[c] as Knex.RawBinding), locationId, institutionId, keys.sort()],
  );
  return fromDb(result.rows[0]);
}

export function patientsRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  return {
    async insert(institutionId: number, locationId: number, fields: PatientWrite): Promise<PatientRow> {
      if (isPostgres(db)) return insertOnePg(db, institutionId, locationId, fields, nowIso());
      const [row] = await this.insertMany(institutionId, locationId, [fields]);
      return row!;
    },

    /**
     * Patients seen at `locationId`, with their location and name keys, in a few multi-row statements (bulk
     * import; insert is the one-row case). A field a row leaves out keeps its column default. Returns the new
     * rows in the order given.
     */
    async insertMany(
      institutionId: number,
      locationId: number,
      many: readonly PatientWrite[],
      keys?: readonly (readonly string[])[],
    ): Promise<PatientRow[]> {
      const now = nowIso();
      // Rows giving the same fields share statements (the import's rows all do).
      const groups = new Map<string, { columns: string[]; values: unknown[][]; at: number[] }>();
      many.forEach((fields, at) => {
        const row = newRow(fields, institutionId, locationId, now);
        const columns = Object.keys(row).filter((c) => row[c] !== undefined);
        const signature = columns.join(',');
        let group = groups.get(signature);
        if (!group) {
          group = { columns, values: [], at: [] };
          groups.set(signature, group);
        }
        group.values.push(columns.map((c) => row[c]));
        group.at.push(at);
      });
      const out: PatientRow[] = new Array(many.length);
      for (const { columns, values, at } of groups.values()) {
        const raws = await insertValues(db, 'patients', columns, values, true);
        raws.forEach((raw, i) => {
          out[at[i]!] = fromDb(raw);
        });
      }
      await insertValues(
        db,
        'patient_locations',
        ['patient_id', 'location_id'],
        out.map((r) => [r.id, locationId]),
      );
      await writeNameKeys(db, out, keys);
      return out;
    },

    /**
     * The bulk import's insert: patients giving every bulk column, seen at `locationId`, with their name keys
     * (`keys[i]`: nameSearchKeys of row i, computed beforehand). Returns the new ids in the order given. Must
     * run in a transaction. SQLite: prepared statements on the transaction's connection; PostgreSQL: insertMany.
     */
    async insertBulk(
      institutionId: number,
      locationId: number,
      rows: readonly BulkPatientWrite[],
      keys: readonly (readonly string[])[],
    ): Promise<number[]> {
      if (!rows.length) return [];
      if (!db.isTransaction) throw new Error('insertBulk must run in a transaction');
      if (isSqlite(db)) {
        return insertBulkSqlite(db as Knex.Transaction, institutionId, locationId, rows, keys, nowIso());
      }
      return (await this.insertMany(institutionId, locationId, rows, keys)).map((r) => r.id);
    },

    async update(institutionId: number, id: number, fields: PatientWrite): Promise<PatientRow | undefined> {
      const renamed = 'first_name' in fields || 'last_name' in fields || 'preferred_name' in fields;
      const before = renamed ? await this.byId(institutionId, id) : undefined;
      const [raw] = await db('patients')
        .where({ institution_id: institutionId, id })
        .update({ ...toDb(fields), updated_at: nowIso() })
        .returning('*');
      if (!raw) return undefined;
      const row = fromDb(raw);
      if (before) {
        // The old keys come from the old names: the index needs no second index by patient to find them.
        await db('patient_name_keys')
          .where({ institution_id: institutionId, patient_id: id })
          .whereIn('key', nameSearchKeys(before))
          .delete();
        await writeNameKeys(db, [row]);
      }
      return row;
    },

    /** The first id of the institution strictly between two ids, if any (the import's id ranges). */
    async firstIdBetween(institutionId: number, after: number, before: number): Promise<number | undefined> {
      const row = await db('patients')
        .where({ institution_id: institutionId })
        .where('id', '>', after)
        .where('id', '<', before)
        .first('id');
      return row ? Number(row.id) : undefined;
    },

    /** Patients born on any of `dates`, outside the id ranges given (an import's own rows), these columns. */
    bornOnOutside<C extends keyof PatientRow>(
      institutionId: number,
      dates: readonly string[],
      excluded: ReadonlyArray<readonly [number, number]>,
      columns: readonly C[],
    ): Promise<Record<string, unknown>[]> {
      return db('patients')
        .where({ institution_id: institutionId })
        .whereIn('date_of_birth', dates)
        .where((q) => {
          for (const [lo, hi] of excluded) q.whereNotBetween('id', [lo, hi]);
        })
        .select(columns);
    },

    /** Patients with these foreign ids of one type, these columns. */
    byForeignIds<C extends keyof PatientRow>(
      institutionId: number,
      foreignIdType: string,
      foreignIds: readonly string[],
      columns: readonly C[],
    ): Promise<Record<string, unknown>[]> {
      return db('patients')
        .where({ institution_id: institutionId, foreign_id_type: foreignIdType })
        .whereIn('foreign_id', foreignIds)
        .select(columns);
    },

    async byId(institutionId: number, id: number): Promise<PatientRow | undefined> {
      const raw = await db('patients').where({ institution_id: institutionId, id }).first();
      return raw ? fromDb(raw) : undefined;
    },

    async byIds(institutionId: number, ids: readonly number[]): Promise<PatientRow[]> {
      if (!ids.length) return [];
      const rows = await patientsById(db, ids)
        .where('patients.institution_id', institutionId)
        .select('patients.*');
      return rows.map(fromDb);
    },

    /**
     * The duplicate rule's evidence of everyone born on this date (the birth-date index bounds every check):
     * only the compared columns, so a check builds small objects; full rows are read only for a match.
     */
    async evidenceBornOn(institutionId: number, dateOfBirth: string): Promise<BirthDateEvidence[]> {
      const rows = await db
        .from(tableIndexedBy(db, 'patients', 'patients_institution_id_date_of_birth_index'))
        .where({ institution_id: institutionId, date_of_birth: dateOfBirth })
        .select('id', ...EVIDENCE_COLUMNS);
      return rows.map((r) => ({
        ...r,
        demographics_defaulted: JSON.parse(String(r.demographics_defaulted ?? '[]')),
      }));
    },

    async byForeignId(
      institutionId: number,
      foreignIdType: string,
      foreignId: string,
    ): Promise<PatientRow | undefined> {
      const raw = await db
        .from(tableIndexedBy(db, 'patients', 'patients_institution_id_foreign_id_type_foreign_id_index'))
        .where({ institution_id: institutionId, foreign_id: foreignId, foreign_id_type: foreignIdType })
        .first();
      return raw ? fromDb(raw) : undefined;
    },

    /** Records that the patient is seen at a location (SPEC 4.2: created there, or booked there). */
    async addLocation(institutionId: number, patientId: number, locationId: number): Promise<void> {
      const exists = await db('patient_locations')
        .join('patients', 'patients.id', 'patient_locations.patient_id')
        .where({ 'patients.institution_id': institutionId, patient_id: patientId, location_id: locationId })
        .first('patient_id');
      if (!exists) await db('patient_locations').insert({ patient_id: patientId, location_id: locationId });
    },

    async locationIds(patientIds: readonly number[]): Promise<Map<number, number[]>> {
      const map = new Map<number, number[]>();
      if (!patientIds.length) return map;
      const rows = await db('patient_locations').whereIn('patient_id', patientIds).orderBy('location_id');
      for (const r of rows) map.set(r.patient_id, [...(map.get(r.patient_id) ?? []), r.location_id]);
      return map;
    },
  };
}
export type PatientsRepo = ReturnType<typeof patientsRepo>;
export { fromDb as patientFromDb };
