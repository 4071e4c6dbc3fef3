// SPEC 9 "Settings fail fast", tried as a newcomer makes the mistakes: the real program (`src/main.ts`, as
// `npm start` runs it) with each bad setting of SPEC 9's list (a mistyped DATABASE_URL scheme, a SQLite folder
// that cannot be made, a file that is not a database, a PostgreSQL server that does not answer, a PORT that is
// not a port or is in use, an unknown LOG_LEVEL, a short TOKEN_SECRET, a number setting that is not a number)
// stops with exit status 1 and one line on stderr naming the setting; never a stack trace, and a mistyped URL
// creates no SQLite file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db/connect';
import { adminLines, freePort } from './harness';

const API_DIR = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'patients-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    // Node itself with tsx's loader: as `npm start` runs, without npx's start-up second.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: API_DIR,
      env: { ...process.env, SEED_DEMO: 'false', LOG_LEVEL: 'silent', SYNC_TICK_SECONDS: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

async function migrationNames(url: string): Promise<string[]> {
  const db = openDatabase(url);
  try {
    return (await db.knex('knex_migrations').orderBy('id').select('name')).map((r) => r.name);
  } finally {
    await db.close();
  }
}

describe('a start with a setting it cannot use', () => {
  it('DATABASE_URL with a mistyped scheme: one line, exit 1, no file made', async () => {
    const before = readdirSync(API_DIR);
    const { code, stderr } = await start({
      DATABASE_URL: 'postgress://postgres@127.0.0.1:5432/test',
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toMatch(
      /^patients: cannot start: DATABASE_URL must be file:.* \(it starts with postgress:\/\/\)/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(API_DIR)).toEqual(before);
    expect(existsSync(join(API_DIR, 'postgress:'))).toBe(false);
  }, 30_000);

  it('TOKEN_SECRET under 32 characters: one line, exit 1', async () => {
    const { code, stderr } = await start({
      DATABASE_URL: `file:${join(dir, 'a.sqlite')}`,
      TOKEN_SECRET: 'x',
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([
      'patients: cannot start: TOKEN_SECRET must be at least 32 characters (it has 1)',
    ]);
  }, 30_000);

  it('a database upgraded by a newer version: one line saying so, exit 1, the database untouched', async () => {
    const url = `file:${join(dir, 'newer.sqlite')}`;
    const db = openDatabase(url);
    await migrate(db);
    // What a newer version leaves: a migration this one does not know.
    await db
      .knex('knex_migrations')
      .insert({ name: '999_from_the_future', batch: 99, migration_time: new Date() });
    await db.close();
    const before = await migrationNames(url);
    const { code, stderr } = await start({ DATABASE_URL: url, PORT: '0' });
    expect(await migrationNames(url)).toEqual(before);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([
      'patients: cannot start: the database was upgraded by a newer version of patients (it has migration 999_from_the_future, which this version does not know); run that version, or restore a backup taken before the upgrade',
    ]);
  }, 30_000);

  it('a setting of the wrong kind: one line naming it, what it holds and what is expected', async () => {
    const url = `file:${join(dir, 'kinds.sqlite')}`;
    const cases: Array<[Record<string, string>, string]> = [
      [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL is "verbose", expected one of fatal, error, warn,'],
      [{ SYNC_TICK_SECONDS: 'abc' }, 'SYNC_TICK_SECONDS is "abc", expected a whole number of seconds'],
      [{ PORT: 'eighty' }, 'PORT is "eighty", expected a port number (0 to 65535)'],
      [{ PORT: '70000' }, 'PORT is "70000", expected a port number (0 to 65535)'],
      [{ RATE_LIMIT_PER_MINUTE: '1.5' }, 'RATE_LIMIT_PER_MINUTE is "1.5", expected a whole number'],
    ];
    const results = await Promise.all(cases.map(([env]) => start({ DATABASE_URL: url, PORT: '0', ...env })));
    for (const [i, { code, stderr }] of results.entries()) {
      expect(code, JSON.stringify(cases[i]![0])).toBe(1);
      expect(oneLine(stderr)).toHaveLength(1);
      expect(stderr).toContain(`patients: cannot start: ${cases[i]![1]}`);
    }
    // Refused before the database was touched.
    expect(existsSync(join(dir, 'kinds.sqlite'))).toBe(false);
  }, 60_000);

  it('a SQLite folder that cannot be made: one line naming the folder, within seconds', async () => {
    // /proc refuses new folders (and Node's recursive mkdir never returns there).
    const { code, stderr } = await start({ DATABASE_URL: 'file:/proc/no-such-dir/x.sqlite', PORT: '0' });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([
      'patients: cannot start: DATABASE_URL file:/proc/no-such-dir/x.sqlite: the folder /proc/no-such-dir cannot be made (ENOENT); choose a folder this user can write',
    ]);
  }, 30_000);

  it('a file that is not a SQLite database: one line, the file untouched', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a database\n'.repeat(100));
    const { code, stderr } = await start({ DATABASE_URL: file, PORT: '0' });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([
      `patients: cannot start: DATABASE_URL file:${file}: ${file} is not a SQLite database (point DATABASE_URL at another file)`,
    ]);
    expect(readFileSync(file, 'utf8')).toBe('not a database\n'.repeat(100));
  }, 30_000);

  it('a PostgreSQL server that does not answer: one line naming where, no password shown', async () => {
    const port = await freePort();
    const { code, stderr } = await start({
      DATABASE_URL: `postgres://clinic:s3cret@127.0.0.1:${port}/patients`,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toEqual([
      `patients: cannot start: DATABASE_URL postgres://clinic:***@127.0.0.1:${port}/patients: no PostgreSQL answers at 127.0.0.1:${port} (connection refused); start it, or fix the host and port`,
    ]);
  }, 30_000);

  it('a relative SQLite path is read from the repository root, for the admin command line too', async () => {
    const name = `data/relative-${process.pid}.sqlite`;
    const root = join(API_DIR, '../..');
    try {
      await adminLines(name, 'create-institution', '--subdomain', 'rel', '--name', 'Relative');
      expect(existsSync(join(root, name))).toBe(true);
      expect(existsSync(join(API_DIR, name))).toBe(false);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(root, name + suffix), { force: true });
    }
  }, 30_000);

  it('PORT already in use: one line naming the port, exit 1', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stderr } = await start({
        DATABASE_URL: `file:${join(dir, 'b.sqlite')}`,
        PORT: String(port),
      });
      expect(code).toBe(1);
      expect(oneLine(stderr)).toEqual([
        `patients: cannot start: PORT ${port} is in use on 127.0.0.1 (another server runs there); set PORT to a free port`,
      ]);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  }, 30_000);
});
