// Write transactions: how check-then-write units (duplicate check + insert, booking, an import batch, a sync
// page) are serialised, on both engines, without ever freezing the server while it waits.
//
// PostgreSQL: advisory transaction locks. Work on the whole institution (booking, import, sync) takes the
// institution's lock exclusively. A create or an edit takes it shared plus a lock per date of birth it
// touches: two records can only be duplicates when they share a date of birth (SPEC 4.3), so creates of
// different birth dates run side by side while two racing creates of the same person still run one after the
// other. Waits are bounded by `lock_timeout`; past it the request gets 503.
//
// SQLite: one writer per database. This process's write units queue here and run one after another on the
// writer connection; the units waiting when a transaction starts run in it together (group commit, each in a
// savepoint of its own, so one unit's failure undoes only its own writes). The transaction's first statement
// takes the write lock (what `BEGIN IMMEDIATE` does) on a connection with busy_timeout 0: when another
// process (an `admin import`, a second server) holds it, it fails at once and is retried after an
// asynchronous wait, so reads keep being answered meanwhile; SQLite's own busy handler would sleep inside the
// synchronous driver with the whole event loop stopped. A unit still waiting after LOCK_WAIT_MS gets 503.

import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { unavailableError } from '@patients/core';
import type { Knex } from 'knex';
import type { Database } from './connect';
import { isSqliteBusy } from './sqliteClient';

/** The longest a write waits for another process's lock before it is answered 503. */
export const LOCK_WAIT_MS = 5000;

/**
 * How long a write made on a server's writer outside the queue (set-up in tests, the upkeep thread's
 * optimize meeting one) may wait for the lock inside the driver. The queue's own transactions never do.
 */
export const DIRECT_WRITE_WAIT_MS = 1000;

/** First key of the institution's advisory lock (the sync lock has its own class). */
const INSTITUTION_LOCK_CLASS = 0x494e5354; // "INST"

/** At most this many queued units share one SQLite transaction. */
const MAX_GROUP = 32;

type Work<T> = (trx: Knex.Transaction) => Promise<T>;

/** The whole institution, exclusively: booking, import batches, sync pages. */
export function withInstitutionLock<T>(db: Database, institutionId: number, work: Work<T>): Promise<T> {
  if (db.engine === 'sqlite') return sqliteWriter(db).run(work);
  return pgTransaction(db, 'pg_advisory_xact_lock(?, ?)', [INSTITUTION_LOCK_CLASS, institutionId], work);
}

/**
 * A small write that touches no patient and needs no institution lock (a key's last use): through SQLite's
 * queue like every write of a server, a plain transaction on PostgreSQL, so it never waits for, nor holds
 * up, an institution's creates.
 */
export function withoutInstitutionLock<T>(db: Database, work: Work<T>): Promise<T> {
  if (db.engine === 'sqlite') return sqliteWriter(db).run(work);
  return db.knex.transaction(work);
}

/**
 * Patients born on these dates, within the institution: a create or an edit. Excludes whole-institution work
 * and any other unit touching one of these dates; runs beside units on other dates (PostgreSQL).
 */
export function withBirthDateLocks<T>(
  db: Database,
  institutionId: number,
  birthDates: ReadonlyArray<string | null>,
  work: Work<T>,
): Promise<T> {
  if (db.engine === 'sqlite') return sqliteWriter(db).run(work);
  // Sorted, so two units locking the same dates take them in the same order and cannot deadlock.
  const keys = [...new Set(birthDates.filter((d): d is string => d !== null))]
    .sort()
    .map((d) => birthDateKey(institutionId, d));
  const dateLocks = keys.map(() => ', pg_advisory_xact_lock(?::bigint)').join('');
  return pgTransaction(
    db,
    `pg_advisory_xact_lock_shared(?, ?)${dateLocks}`,
    [INSTITUTION_LOCK_CLASS, institutionId, ...keys],
    work,
  );
}

/**
 * One 64-bit advisory key per (institution, date): the institution in the high bits, the day number in the
 * low 24. PostgreSQL keeps one-key and two-key advisory locks apart, so these never meet the class locks.
 */
function birthDateKey(institutionId: number, date: string): string {
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 100_000; // positive back to 1696
  return ((BigInt(institutionId) << 24n) | BigInt(day & 0xffffff)).toString();
}

/** A transaction whose first statement takes the locks `locks` (a select list) within LOCK_WAIT_MS. */
async function pgTransaction<T>(
  db: Database,
  locks: string,
  bindings: Knex.RawBinding[],
  work: Work<T>,
): Promise<T> {
  try {
    return await db.knex.transaction(async (trx) => {
      // lock_timeout bounds every lock wait of this transaction, the advisory ones included; set first (the
      // materialised CTE runs before the select list), in the same round trip.
      await trx.raw(
        `WITH t AS MATERIALIZED (SELECT set_config('lock_timeout', '${LOCK_WAIT_MS}ms', true)) SELECT ${locks} FROM t`,
        bindings,
      );
      return work(trx);
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === '55P03') throw unavailableError();
    throw err;
  }
}

interface Unit {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  deadline: number;
}

const writers = new WeakMap<Database, SqliteWriter>();

function sqliteWriter(db: Database): SqliteWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new SqliteWriter(db.knex, waitingMarker(db), () => db.committed?.());
    writers.set(db, writer);
  }
  return writer;
}

class SqliteWriter {
  private readonly queue: Unit[] = [];
  private draining = false;

  private lastSignal = 0;

  constructor(
    private readonly knex: Knex,
    private readonly marker: string,
    private readonly committed: () => void,
  ) {}

  /** Tells long writers in other processes (an import) that this one waits: see othersWaiting. */
  private signalWaiting(): void {
    const now = Date.now();
    if (now - this.lastSignal < SIGNAL_EVERY_MS) return;
    this.lastSignal = now;
    writeFile(this.marker, '').catch(() => {});
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
        deadline: Date.now() + LOCK_WAIT_MS,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    let wait = 1;
    try {
      while (this.queue.length) {
        let group: Unit[] = [];
        const results: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
        try {
          await this.knex.transaction(async (trx) => {
            // A write statement that changes nothing takes the write lock, or fails at once with SQLITE_BUSY
            // (busy_timeout 0 for this statement only) before anything was read or written. (Knex's BEGIN
            // cannot be made IMMEDIATE: when a BEGIN fails, knex still runs the callback, outside any
            // transaction.)
            await trx.raw('PRAGMA busy_timeout = 0');
            try {
              await trx.raw('DELETE FROM institutions WHERE 0');
            } finally {
              await trx.raw(`PRAGMA busy_timeout = ${DIRECT_WRITE_WAIT_MS}`);
            }
            // The lock is ours from here: every unit waiting now shares this transaction.
            group = this.queue.splice(0, MAX_GROUP);
            if (group.length === 1) {
              // Alone: no savepoint needed, a failure rolls the transaction back.
              results.push({ ok: true, value: await group[0]!.work(trx) });
              return;
            }
            for (const unit of group) {
              try {
                results.push({ ok: true, value: await trx.transaction((sp) => unit.work(sp)) });
              } catch (err) {
                results.push({ ok: false, err });
              }
            }
          });
        } catch (err) {
          if (!group.length && isSqliteBusy(err)) {
            // Another process is writing: nothing was done; wait without blocking, then try again.
            this.signalWaiting();
            this.expire();
            await sleep(wait);
            wait = Math.min(wait * 2, 8);
            continue;
          }
          for (const unit of group) unit.reject(isSqliteBusy(err) ? unavailableError() : err);
          continue;
        }
        wait = 1;
        this.committed();
        group.forEach((unit, i) => {
          const r = results[i]!;
          if (r.ok) unit.resolve(r.value);
          else unit.reject(r.err);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  /** Answers the units that have waited too long for another process's lock. */
  private expire(): void {
    const now = Date.now();
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const unit = this.queue[i]!;
      if (unit.deadline <= now) {
        this.queue.splice(i, 1);
        unit.reject(unavailableError());
      }
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How often a waiting server renews its signal, and how long a signal counts as fresh. */
const SIGNAL_EVERY_MS = 50;
const SIGNAL_FRESH_MS = 250;

/** The file a SQLite server touches while its writes wait for another process (beside the database). */
function waitingMarker(db: Database): string {
  return `${db.description}-writer-waiting`;
}

/**
 * Whether other writers wait for the lock this transaction holds: long work (an import) commits early when
 * they do, so that it can run long transactions (which it needs at 1M: each commit rewrites every index page
 * it touched) without making the API wait behind them. PostgreSQL: an ungranted request for the institution's
 * advisory lock. SQLite, where a waiter cannot be seen: a server touches a file beside the database while it
 * waits (SqliteWriter.signalWaiting).
 */
export async function othersWaiting(
  db: Database,
  trx: Knex.Transaction,
  institutionId: number,
): Promise<boolean> {
  if (db.engine === 'sqlite') {
    const signal = statSync(waitingMarker(db), { throwIfNoEntry: false });
    return signal !== undefined && Date.now() - signal.mtimeMs < SIGNAL_FRESH_MS;
  }
  const result = await trx.raw(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = ? AND objid = ? AND objsubid = 2) AS waiting`,
    [INSTITUTION_LOCK_CLASS, institutionId],
  );
  return Boolean(result.rows[0]?.waiting);
}

/** Longer than the longest wait between a server's tries for the lock (SqliteWriter above). */
const PAUSE_BETWEEN_TRANSACTIONS_MS = 12;

/**
 * Between two transactions of bulk work (an import). SQLite: a pause with the lock released, longer than a
 * server's wait between tries, so a waiting API write takes its turn instead of losing the race to the next
 * transaction. PostgreSQL queues lock waiters itself: nothing to do.
 */
export async function giveWayToWaitingWriters(db: Database): Promise<void> {
  if (db.engine !== 'sqlite') return;
  await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_TRANSACTIONS_MS));
}
