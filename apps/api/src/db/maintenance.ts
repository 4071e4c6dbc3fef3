// SQLite upkeep off the request path, in a worker thread with a connection of its own.
//
// Checkpoints. By default SQLite's committing connection copies the WAL back into the database (and syncs the
// file) whenever the WAL passes 1,000 pages, inside the COMMIT of whichever write happened to cross it: at 1M
// patients that was 40% of the time of a create (COMMIT 6.5 ms instead of 1.8 ms per group). A server's
// writer turns that off and the thread runs passive checkpoints (they never wait for, or block, readers or the
// writer) shortly after writes. If the thread stops, the writer checkpoints for itself again.
//
// Statistics for the query planner, kept fresh as SQLite's documentation recommends for long-lived
// connections: `PRAGMA optimize=0x10002` at start (every table checked; those never analysed or much grown
// are analysed), plain `PRAGMA optimize` every hour, and before a connection that wrote closes (connect.ts,
// so an `admin import` leaves statistics behind too), each bounded by `analysis_limit`. Analysing a 1M
// database takes about a third of a second with the write lock held; here it never stops the event loop.
// The hot queries do not depend on statistics (their join order and indexes are fixed in the SQL); the rest
// get sensible plans from them. PostgreSQL's autovacuum does the same there.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type { Database } from './connect';

/** How soon after a write the WAL is checkpointed (writes meanwhile share the checkpoint). */
const CHECKPOINT_DELAY_MS = 100;
const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;
/** Rows ANALYZE samples per index: SQLite's documentation suggests 100 to 1,000. */
export const ANALYSIS_LIMIT = 400;

// Plain CommonJS run as the thread's script (no file to find, built or not): a connection that checkpoints or
// optimizes when told. Waiting on a lock is fine here: this thread serves nothing else.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -2048');
db.pragma('analysis_limit = ' + workerData.analysisLimit);
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (message === 'checkpoint') db.pragma('wal_checkpoint(PASSIVE)');
    else db.exec(message === 'optimize-all' ? 'PRAGMA optimize=0x10002' : 'PRAGMA optimize');
  } catch {}
  parentPort.postMessage(message);
});
`;

export interface Maintenance {
  /** A write was committed: checkpoint soon. */
  wrote(): void;
  close(): Promise<void>;
}

export function startMaintenance(filename: string, writer: Knex): Maintenance {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: { filename, driver, analysisLimit: ANALYSIS_LIMIT },
  });
  thread.unref();
  let alive = true;
  let busy = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const giveBack = () => {
    if (!alive) return;
    alive = false;
    // The writer checkpoints for itself again, as SQLite does by default.
    writer.raw('PRAGMA wal_autocheckpoint = 1000').catch(() => {});
  };
  thread.on('error', giveBack);
  thread.on('exit', giveBack);
  // Only after this process's own writes: checkpointing while another process (an import) writes would race
  // its checkpoints and keep the WAL from starting over (a 1M import beside an idle server took 281 s).
  // Optimizing runs between checkpoints, never beside one: the thread takes one message at a time.
  thread.postMessage('optimize-all');
  const hourly = setInterval(() => thread.postMessage('optimize'), OPTIMIZE_EVERY_MS);
  hourly.unref();
  thread.on('message', (done: string) => {
    if (done !== 'checkpoint') return;
    busy = false;
    if (again) schedule();
  });

  function run() {
    timer = undefined;
    if (!alive) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    again = false;
    thread.postMessage('checkpoint');
  }
  function schedule() {
    if (!timer) {
      timer = setTimeout(run, CHECKPOINT_DELAY_MS);
      timer.unref();
    }
  }

  return {
    wrote: schedule,
    async close() {
      clearInterval(hourly);
      if (timer) clearTimeout(timer);
      if (!alive) return;
      alive = false;
      thread.postMessage('close');
      await new Promise<void>((resolve) => {
        const done = setTimeout(() => void thread.terminate().then(() => resolve()), 2000);
        thread.once('exit', () => {
          clearTimeout(done);
          resolve();
        });
      });
    },
  };
}

/**
 * After a bulk import, what the planner and the name search need from the new rows at once, not whenever
 * autovacuum comes by. PostgreSQL: `VACUUM (ANALYZE)` of the tables an import fills. Until the visibility map
 * is set, the name search's key lookups cannot be index-only and read a random heap page per key: at 1M just
 * imported, three key prefixes took 252 ms (1,840 heap blocks read), 5.4 ms after it (6.6 s of VACUUM for 14.6M
 * keys). SQLite needs nothing here: its statistics are gathered when the connection closes (connect.ts).
 */
export async function settleAfterImport(db: Database): Promise<void> {
  if (db.engine !== 'postgres') return;
  await db.knex.raw('VACUUM (ANALYZE) patients, patient_name_keys, patient_locations');
}
