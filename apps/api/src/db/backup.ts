// `admin backup --to FILE` (SPEC 9): a consistent copy of a SQLite database while the server runs, made with
// SQLite's online backup, never a file copy (a copy taken mid-write, or without the -wal file beside it, is
// a corrupt or old database). The pages are copied in one step under one read transaction: in WAL mode that
// blocks no writer, and it is not restarted by the server's writes, as a copy in small steps would be.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** A backup that cannot be made; the message is the one line to print. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  backup: string;
  bytes: number;
  pages: number;
  patients: number;
  duration_ms: number;
}

/** All the pages in the next step (the first step only starts the backup). */
const ALL_PAGES = 0x7fffffff;

export async function backupSqlite(source: string, to: string): Promise<BackupResult> {
  const target = resolve(to);
  if (existsSync(target)) throw new BackupError(`--to ${target} exists; choose a new file name`);
  if (!existsSync(dirname(target)) || !statSync(dirname(target)).isDirectory())
    throw new BackupError(`--to ${target}: the folder ${dirname(target)} does not exist`);
  const started = performance.now();
  // Written beside the target and renamed when checked: an interrupted backup never looks like a good one.
  const partial = `${target}.partial-${process.pid}`;
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    const progress = await db.backup(partial, { progress: () => ALL_PAGES });
    // One file, no -wal beside it: the copy leaves WAL mode (the server sets it again when it opens a restored
    // copy), then is checked and counted before it takes the name asked for.
    const copy = new BetterSqlite3(partial);
    let patients: number;
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok')
        throw new BackupError(`the copy failed SQLite's check (${String(check)}); nothing kept`);
      patients = (copy.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return {
      backup: target,
      bytes: statSync(target).size,
      pages: progress.totalPages,
      patients,
      duration_ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const code = (err as { code?: string }).code;
    throw new BackupError(`the backup to ${target} failed (${code ?? (err as Error).message}); nothing kept`);
  } finally {
    db.close();
    for (const file of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(file, { force: true });
  }
}
