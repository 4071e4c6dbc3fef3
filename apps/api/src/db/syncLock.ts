// At most one sync per institution at a time, across processes (the server's scheduler, the admin CLI,
// other servers on the same database).
//
// PostgreSQL: a session advisory lock held on a connection of its own, opened for the run and closed after.
// Not a pooled connection: a pooled one goes back to the pool still holding the lock (or is handed to other
// work while held), and a session lock lives exactly as long as its connection, so a killed process
// releases it the moment its connection drops.
//
// SQLite has no sessions across processes: a lease row with an expiry, taken with one conditional UPDATE,
// renewed inside every page's transaction (a run that lost its lease cannot commit a page) and by a timer
// while a page is being read. A killed process's lease simply runs out.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { type Database, withInstitutionLock } from './connect';
import { syncRepo } from './repositories/sync';

/** First key of the two-key advisory lock: "sync" in this database's lock space; the second is the institution. */
const ADVISORY_LOCK_CLASS = 0x53594e43;

export class SyncLeaseLost extends Error {
  constructor() {
    super('the sync lease ran out and another process took it over');
  }
}

export interface SyncLock {
  /** Inside a page's transaction: proves the lock is still ours (throws SyncLeaseLost) and extends it. */
  confirm(trx: Knex.Transaction): Promise<void>;
  release(): Promise<void>;
}

async function advisoryLock(db: Database, institutionId: number): Promise<SyncLock | null> {
  const client = new pg.Client({ connectionString: db.url });
  // A dropped connection only ends the lock; the run notices when its next page commit or read fails.
  client.on('error', () => {});
  await client.connect();
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [
    ADVISORY_LOCK_CLASS,
    institutionId,
  ]);
  if (!rows[0]?.locked) {
    await client.end();
    return null;
  }
  return {
    async confirm() {},
    async release() {
      try {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [ADVISORY_LOCK_CLASS, institutionId]);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

async function leaseLock(
  db: Database,
  institutionId: number,
  leaseSeconds: number,
): Promise<SyncLock | null> {
  const owner = randomUUID();
  const ms = leaseSeconds * 1000;
  // Wall-clock time on purpose: a lease is read by other processes, which know no clock of ours.
  const until = () => new Date(Date.now() + ms).toISOString();
  // Through the write queue (writes.ts), like every write of a server: it waits for other processes' writes
  // without blocking, where a bare statement would fail at once with SQLITE_BUSY.
  const taken = await withInstitutionLock(db, institutionId, async (trx) => {
    await syncRepo(trx).ensureRun(institutionId);
    const now = new Date().toISOString();
    return trx('sync_runs')
      .where({ institution_id: institutionId })
      .andWhere((w) => w.whereNull('lease_owner').orWhere('lease_expires_at', '<', now))
      .update({ lease_owner: owner, lease_expires_at: until() });
  });
  if (taken !== 1) return null;

  const extend = (k: Knex) =>
    k('sync_runs')
      .where({ institution_id: institutionId, lease_owner: owner })
      .update({ lease_expires_at: until() });
  // Keeps the lease while a slow page is read; a page commit checks it for real.
  const timer = setInterval(
    () => void withInstitutionLock(db, institutionId, extend).catch(() => {}),
    Math.max(1000, ms / 3),
  );
  timer.unref();
  return {
    async confirm(trx) {
      if ((await extend(trx)) !== 1) throw new SyncLeaseLost();
    },
    async release() {
      clearInterval(timer);
      await withInstitutionLock(db, institutionId, (trx) =>
        trx('sync_runs')
          .where({ institution_id: institutionId, lease_owner: owner })
          .update({ lease_owner: null, lease_expires_at: null }),
      );
    },
  };
}

/** SYNC_LEASE_SECONDS' default (config.ts). */
export const DEFAULT_SYNC_LEASE_SECONDS = 60;

/**
 * Takes the institution's sync lock, or returns null at once when another run holds it. On SQLite the lock
 * is a lease of `leaseSeconds` that a run extends as it goes, so a killed run's lease runs out.
 */
export function tryLockSync(
  db: Database,
  institutionId: number,
  leaseSeconds = DEFAULT_SYNC_LEASE_SECONDS,
): Promise<SyncLock | null> {
  return db.engine === 'postgres'
    ? advisoryLock(db, institutionId)
    : leaseLock(db, institutionId, leaseSeconds);
}
