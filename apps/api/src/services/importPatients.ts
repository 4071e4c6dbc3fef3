// Bulk import of patients (the admin `import` command). Each row is checked exactly as POST /patients checks a
// create (SPEC 4.3): the same schema and messages, the practice's defaults, and the duplicate rule against this
// service's patients, the health record system (where it answers at once) and the rows accepted earlier in the
// same file. Accepted rows are written in batches, each one transaction under the institution's lock, so a batch
// serialises with API creates and an interrupted import keeps every committed batch. Running the same file again
// creates nothing: each row finds its own earlier import (counted as `skipped_existing`).
import {
  applyDemographicDefaults,
  BIO_DETAIL_FIELDS,
  bioDetails,
  createPatientInput,
  type DemographicDefaults,
  DUPLICATE_EVIDENCE_FIELDS,
  DUPLICATE_MESSAGE,
  type DuplicateEvidence,
  duplicateEvidenceOf,
  findDuplicates,
  issueMessages,
  nameSearchKeys,
  PATIENT_INPUT_FIELDS,
  type PatientInputField,
} from '@patients/core';
import type { Knex } from 'knex';
import type { HealthRecordConnector, HrsPatient } from '../connectors/connector';
import { type Database, withInstitutionLock } from '../db/connect';
import { type BulkPatientWrite, type PatientRow, patientsRepo } from '../db/repositories/patients';
import { giveWayToWaitingWriters, othersWaiting } from '../db/writes';
import { EarlierRows } from './earlierRows';
import { emit } from './webhooks';

/**
 * How long rows are checked and written between two looks for waiting writers: an API write waits about this
 * long behind an import. The rows per look adapt to it (from a few thousand at 1M to a whole batch on a small
 * database): fewer, larger sorted inserts touch each index page fewer times (1,000-row steps made a 1M import
 * 20% slower than whole batches).
 */
const STEP_MS = 250;
const FIRST_STEP_ROWS = 1000;
const MIN_STEP_ROWS = 200;

/** The columns of an import file: a create's patient fields (bio's flattened) and the record's foreign id. */
export type ImportColumn = PatientInputField | 'foreign_id';

/**
 * The columns of an import file (CSV header names, JSON Lines keys), in the order a rejects file lists them:
 * from the create schema, so a field added to a create is a column of an import too.
 */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [...PATIENT_INPUT_FIELDS, 'foreign_id'];

/** One row as read from the file. */
export interface ImportRow {
  /** The line of the file the row starts on (the header is line 1 of a CSV file). */
  line: number;
  /** Column → value: strings from CSV (an empty cell is missing), any JSON value from JSON Lines. */
  values: Partial<Record<ImportColumn, unknown>>;
  /** Problems found while reading the row (a malformed record, an unknown field): it is rejected with them. */
  problems: string[];
  /** The row as it was in the file, for the rejects report. */
  raw: readonly string[] | string;
}

export interface Rejection {
  row: ImportRow;
  /** `invalid`: the row breaks the schema; `duplicate`: the patient already exists. */
  kind: 'invalid' | 'duplicate';
  reasons: string[];
  /** For a duplicate: what it duplicates (`patient 12`, `line 7`, `ReferenceHRS 40`). */
  duplicateOf?: string;
}

export interface ImportCounts {
  /** Rows read and decided: created + rejected + duplicates + skipped_existing. */
  read: number;
  created: number;
  /** Rows refused by validation. */
  rejected: number;
  /** Rows refused as duplicates of a patient in the database, in the health record system or earlier in the file. */
  duplicates: number;
  /** Rows identical to a patient already in the database (an earlier run of the same file): nothing to do. */
  skipped_existing: number;
  /** Committed transactions. */
  batches: number;
}

/** Counts before the first row. */
export function noImportCounts(): ImportCounts {
  return { read: 0, created: 0, rejected: 0, duplicates: 0, skipped_existing: 0, batches: 0 };
}

export interface ImportOptions {
  institutionId: number;
  subdomain: string;
  locationId: number;
  /** Rows with a foreign_id are patients already inserted into this system (foreign_id_type). */
  foreignIdType?: string;
  /** Accepted rows per transaction. */
  batchSize: number;
  demographicDefaults?: DemographicDefaults;
  connector: HealthRecordConnector;
  onReject(rejection: Rejection): void | Promise<void>;
  /** After each committed batch. */
  onBatch?(counts: Readonly<ImportCounts>): void;
  /** Checked before each row: true stops the import after the last committed batch. */
  stopRequested?(): boolean;
}

/** A row that passed validation: what would be written. */
export interface Accepted {
  row: ImportRow;
  write: ImportWrite;
  foreignId: string | null;
  /** The name search keys of `write` (core's nameSearchKeys), computed where the row is validated. */
  keys: string[];
}

/** The columns an imported patient is written with (every one, so all rows of a batch share statements). */
export type ImportWrite = BulkPatientWrite & { provider_id: null };

/** A row after validation, which may run elsewhere (a worker thread): accepted, or rejected with its reasons. */
export type PreparedRow = { ok: true; accepted: Accepted } | { ok: false; row: ImportRow; reasons: string[] };

type Checked = Accepted & { evidence: DuplicateEvidence };

const CANDIDATE_COLUMNS = [
  'id',
  ...DUPLICATE_EVIDENCE_FIELDS,
  'middle_name',
  'foreign_id',
  'foreign_id_type',
] as const satisfies readonly (keyof PatientRow)[];

/** A database patient with the date of birth of a row, as the checks need it. */
type Candidate = Pick<PatientRow, Exclude<(typeof CANDIDATE_COLUMNS)[number], 'demographics_defaulted'>> & {
  evidence: DuplicateEvidence;
};

function toCandidate(raw: Record<string, unknown>): Candidate {
  const c = raw as unknown as Candidate & { demographics_defaulted: string };
  const defaulted = JSON.parse(String(c.demographics_defaulted ?? '[]'));
  return { ...c, evidence: duplicateEvidenceOf({ ...c, demographics_defaulted: defaulted }) };
}

const blank = (v: unknown) => (v === '' ? undefined : v);
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** What validating a row needs to know. */
export type PrepareOptions = Pick<
  ImportOptions,
  'subdomain' | 'locationId' | 'foreignIdType' | 'demographicDefaults'
>;

/** Validates one row as POST /patients would and completes it from the practice's defaults. */
export function prepareRow(row: ImportRow, options: PrepareOptions): PreparedRow {
  if (row.problems.length) return { ok: false, row, reasons: row.problems };
  const v = (c: ImportColumn) => blank(row.values[c]);
  const input = {
    subdomain: options.subdomain,
    location_id: options.locationId,
    patient: {
      first_name: v('first_name'),
      last_name: v('last_name'),
      middle_name: v('middle_name'),
      preferred_name: v('preferred_name'),
      email: v('email'),
      bio: {
        phone_number: v('phone_number'),
        date_of_birth: v('date_of_birth'),
        gender: v('gender'),
        ...Object.fromEntries(BIO_DETAIL_FIELDS.map((f) => [f, v(f)])),
      },
    },
  };
  const reasons: string[] = [];
  const parsed = createPatientInput.safeParse(input);
  if (!parsed.success) reasons.push(...issueMessages(parsed.error));
  // The API reports missing required fields after the schema passes; a report lists them with the rest.
  const bio = parsed.success ? parsed.data.patient.bio : undefined;
  const completed = applyDemographicDefaults(
    parsed.success
      ? {
          email: parsed.data.patient.email,
          phone_number: bio?.phone_number,
          date_of_birth: bio?.date_of_birth,
          gender: bio?.gender,
        }
      : {
          email: text(v('email')) ?? (v('email') == null ? null : '?'),
          phone_number: text(v('phone_number')) ?? (v('phone_number') == null ? null : '?'),
          date_of_birth: text(v('date_of_birth')) ?? (v('date_of_birth') == null ? null : '?'),
          gender: text(v('gender')) ?? (v('gender') == null ? null : '?'),
        },
    options.demographicDefaults,
  );
  if (!completed.ok) reasons.push(...completed.errors);

  let foreignId: string | null = null;
  const fid = v('foreign_id');
  if (fid != null) {
    if (typeof fid !== 'string' && typeof fid !== 'number') reasons.push('foreign_id must be a string');
    else if (!options.foreignIdType) reasons.push('foreign_id needs the --foreign-id-type option');
    else {
      foreignId = String(fid).trim();
      if (foreignId.length > 64) reasons.push('foreign_id must be at most 64 characters');
      if (!foreignId) foreignId = null;
    }
  }
  if (reasons.length || !parsed.success || !completed.ok)
    return { ok: false, row, reasons: [...new Set(reasons)] };

  const p = parsed.data.patient;
  const write: ImportWrite = {
    first_name: p.first_name,
    last_name: p.last_name,
    middle_name: p.middle_name ?? null,
    preferred_name: p.preferred_name ?? null,
    ...completed.demographics,
    ...bioDetails(p.bio),
    provider_id: null,
    demographics_defaulted: completed.defaulted,
    foreign_id: foreignId,
    foreign_id_type: foreignId ? options.foreignIdType! : 'nex',
  };
  return { ok: true, accepted: { row, write, foreignId, keys: nameSearchKeys(write) } };
}

/** The same person, entered the same way: what a second run of the same file finds. */
function identical(c: Candidate, a: Checked, foreignIdType: string | undefined): boolean {
  const w = a.write;
  return (
    c.first_name === w.first_name &&
    c.last_name === w.last_name &&
    (c.middle_name ?? null) === w.middle_name &&
    (c.preferred_name ?? null) === w.preferred_name &&
    c.email === w.email &&
    c.phone_number === w.phone_number &&
    c.date_of_birth === w.date_of_birth &&
    (a.foreignId === null || (c.foreign_id_type === foreignIdType && c.foreign_id === a.foreignId))
  );
}

export async function importPatients(
  db: Database,
  rows: AsyncIterable<PreparedRow>,
  options: ImportOptions,
): Promise<ImportCounts & { interrupted: boolean }> {
  const counts = noImportCounts();
  const { institutionId, connector, foreignIdType } = options;

  // Rows accepted in this run, by date of birth (the rule needs the same one), and their foreign ids.
  const earlier = new EarlierRows();
  const earlierForeignIds = new Map<string, number>();
  // Ids this run wrote, as ranges: the per-batch look-up leaves them out (`earlier` has them already), so it
  // reads only what was there before and what API creates add meanwhile, however large the import grows.
  const ours: Array<[number, number]> = [];
  // The health record system's patients by date of birth, asked once per date in a run.
  const inSystem = new Map<string, HrsPatient[]>();

  async function reject(rejection: Rejection) {
    counts.read++;
    if (rejection.kind === 'invalid') counts.rejected++;
    else counts.duplicates++;
    await options.onReject(rejection);
  }

  /**
   * Checks and writes rows of a batch within the caller's transaction. Returns how many it created; duplicates
   * and rows already imported are added to `decided` and `skipped`.
   */
  async function checkAndInsert(
    trx: Knex.Transaction,
    batch: Checked[],
    decided: Rejection[],
    skipped: { n: number },
  ): Promise<number> {
    const candidates = await candidatesFor(trx, batch);
    const byForeignId = await foreignIdsFor(trx, batch);
    const accepted: Checked[] = [];
    for (const a of batch) {
      const dob = a.write.date_of_birth;
      const evidenceDob = dob !== null && !a.evidence.demographics_defaulted.includes('date_of_birth');
      const sameDob = (dob !== null && candidates.get(dob)) || [];
      const duplicate = (duplicateOf: string) =>
        decided.push({ row: a.row, kind: 'duplicate', reasons: [DUPLICATE_MESSAGE], duplicateOf });

      if (a.foreignId !== null) {
        const existing = byForeignId.get(a.foreignId);
        if (existing) {
          if (identical(existing, a, foreignIdType)) skipped.n++;
          else duplicate(`patient ${existing.id}`);
          continue;
        }
        const line = earlierForeignIds.get(a.foreignId);
        if (line !== undefined) {
          duplicate(`line ${line}`);
          continue;
        }
      }
      if (sameDob.some((c) => identical(c, a, foreignIdType))) {
        skipped.n++;
        continue;
      }
      if (evidenceDob) {
        const [local] = findDuplicates(
          a.evidence,
          sameDob.map((c) => ({ ...c.evidence, id: c.id })),
        );
        if (local) {
          duplicate(`patient ${local.id}`);
          continue;
        }
        const before = earlier.find(a.evidence, dob);
        if (before) {
          duplicate(`line ${before.line}`);
          continue;
        }
        const hrs = await systemDuplicate(trx, a);
        if (hrs) {
          duplicate(`${connector.dataSource} ${hrs.foreign_id}`);
          continue;
        }
        earlier.add(a.evidence, dob, a.row.line);
      }
      if (a.foreignId !== null) earlierForeignIds.set(a.foreignId, a.row.line);
      accepted.push(a);
    }
    if (!accepted.length) return 0;
    const previous = ours.at(-1);
    const ids = await patientsRepo(trx).insertBulk(
      institutionId,
      options.locationId,
      accepted.map((a) => a.write),
      accepted.map((a) => a.keys),
    );
    // Subscribers hear of imported patients as of created ones (SPEC 11), in the batch's transaction.
    await emit(trx, institutionId, 'patient_created', 'Patient', ids);
    let lo = ids[0]!;
    let hi = lo;
    for (const id of ids) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    // Extend the last range when no other patient of the institution came in between (the usual case).
    const between = previous
      ? await patientsRepo(trx).firstIdBetween(institutionId, previous[1], lo)
      : undefined;
    if (previous && !between) previous[1] = hi;
    else ours.push([lo, hi]);
    return ids.length;
  }

  /**
   * Checks and writes the batch from row `from` on in one transaction under the institution's lock, a step
   * (STEP_MS) at a time, until the batch ends or another writer waits for the lock (an API create then waits
   * for the step in progress). Long transactions matter at 1M: each commit rewrites every index
   * page the transaction touched (transactions capped at 2 s made a 1M import 40% slower than whole batches).
   * A waiter that does not say so (another admin command) waits for the batch, as before. Returns the rows it
   * consumed and how many it created.
   */
  let stepRows = FIRST_STEP_ROWS;

  async function writeSome(batch: Checked[], from: number, decided: Rejection[], skipped: { n: number }) {
    return withInstitutionLock(db, institutionId, async (trx) => {
      let next = from;
      let created = 0;
      do {
        const sub = batch.slice(next, next + stepRows);
        const started = performance.now();
        created += await checkAndInsert(trx, sub, decided, skipped);
        next += sub.length;
        if (sub.length === stepRows) {
          const ms = Math.max(1, performance.now() - started);
          stepRows = Math.round(Math.max(MIN_STEP_ROWS, stepRows * Math.min(2, STEP_MS / ms)));
        }
      } while (next < batch.length && !(await othersWaiting(db, trx, institutionId)));
      return { consumed: next - from, created };
    });
  }

  async function flush(batch: Checked[]) {
    const decided: Rejection[] = [];
    const skipped = { n: 0 };
    let created = 0;
    for (let from = 0; from < batch.length; ) {
      const done = await writeSome(batch, from, decided, skipped);
      from += done.consumed;
      created += done.created;
      await giveWayToWaitingWriters(db);
    }
    // Counted and reported once committed.
    counts.batches++;
    counts.created += created;
    counts.skipped_existing += skipped.n;
    counts.read += created + skipped.n;
    for (const r of decided) await reject(r);
    options.onBatch?.(counts);
    // Let the event loop turn: rows arrive as resolved promises, and without this a signal (Ctrl-C) or a
    // progress redraw would wait for the end of the file.
    await new Promise((resolve) => setImmediate(resolve));
  }

  async function candidatesFor(trx: Knex.Transaction, batch: Checked[]): Promise<Map<string, Candidate[]>> {
    const dates = [
      ...new Set(batch.map((a) => a.write.date_of_birth).filter((d): d is string => d !== null)),
    ];
    const byDate = new Map<string, Candidate[]>();
    if (!dates.length) return byDate;
    const raws = await patientsRepo(trx).bornOnOutside(institutionId, dates, ours, CANDIDATE_COLUMNS);
    for (const raw of raws) {
      const c = toCandidate(raw);
      const list = byDate.get(c.date_of_birth!);
      if (list) list.push(c);
      else byDate.set(c.date_of_birth!, [c]);
    }
    return byDate;
  }

  async function foreignIdsFor(trx: Knex.Transaction, batch: Checked[]): Promise<Map<string, Candidate>> {
    const ids = batch.map((a) => a.foreignId).filter((f): f is string => f !== null);
    const map = new Map<string, Candidate>();
    if (!ids.length || !foreignIdType) return map;
    const raws = await patientsRepo(trx).byForeignIds(institutionId, foreignIdType, ids, CANDIDATE_COLUMNS);
    for (const raw of raws) map.set(String(raw.foreign_id), toCandidate(raw));
    return map;
  }

  /** A record of the health record system that is the same person (never the row's own record). */
  async function systemDuplicate(trx: Knex.Transaction, a: Checked): Promise<HrsPatient | undefined> {
    if (!connector.answersAtOnce) return undefined;
    const dob = a.write.date_of_birth!;
    let records = inSystem.get(dob);
    if (!records) {
      records = await connector.findByBirthDate({ trx, institutionId }, a.evidence);
      inSystem.set(dob, records);
    }
    if (!records.length) return undefined;
    const own = foreignIdType === connector.dataSource ? a.foreignId : null;
    const [match] = findDuplicates(
      a.evidence,
      records.filter((r) => r.foreign_id !== own).map((p) => ({ ...duplicateEvidenceOf(p), p })),
    );
    return match?.p;
  }

  let batch: Checked[] = [];
  let interrupted = false;
  for await (const prepared of rows) {
    if (options.stopRequested?.()) {
      interrupted = true;
      break;
    }
    if (!prepared.ok) {
      await reject({ row: prepared.row, kind: 'invalid', reasons: prepared.reasons });
      continue;
    }
    const { accepted } = prepared;
    batch.push({ ...accepted, evidence: duplicateEvidenceOf(accepted.write) });
    if (batch.length >= options.batchSize) {
      await flush(batch);
      batch = [];
    }
  }
  if (!interrupted && batch.length) await flush(batch);
  return { ...counts, interrupted };
}
