// WAL checkpoints off the request path. By default SQLite's committing connection copies the WAL back into the
// database (and syncs the file) whenever the WAL passes 1,000 pages, inside the COMMIT of whichever write
// happened to cross it: at 1M patients that was 40% of the time of a create (COMMIT 6.5 ms instead of 1.8 ms
// per group). A server's writer turns that off and a worker thread with a connection of its own runs passive
// checkpoints (they never wait for, or block, readers or the writer) shortly after writes. If the thread
// stops, the writer checkpoints for itself again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';

/** How soon after a write the WAL is checkpointed (writes meanwhile share the checkpoint). */
const CHECKPOINT_DELAY_MS = 100;
/** And at least this often, for writes made outside the write queue (start-up, tests, tools in-process). */
const CHECKPOINT_EVERY_MS = 5000;

// Plain CommonJS run as the thread's script (no file to find, built or not): a connection that checkpoints
// when told. Waiting on a lock is fine here: this thread serves nothing else.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 1000');
db.pragma('cache_size = -2048');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
  parentPort.postMessage('done');
});
`;

export interface Checkpointer {
  /** A write was committed: checkpoint soon. */
  wrote(): void;
  close(): Promise<void>;
}

export function startCheckpointer(filename: string, writer: Knex): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(THREAD, { eval: true, workerData: { filename, driver } });
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
  const periodic = setInterval(() => schedule(), CHECKPOINT_EVERY_MS);
  periodic.unref();
  thread.on('message', () => {
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
      clearInterval(periodic);
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
