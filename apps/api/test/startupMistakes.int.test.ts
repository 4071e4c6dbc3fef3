// SPEC 9 "Settings fail fast", tried as a newcomer makes the mistakes: the real program (`src/main.ts`, as
// `npm start` runs it) with a mistyped DATABASE_URL scheme, a short TOKEN_SECRET, or a PORT already in use
// stops with exit status 1 and one line on stderr naming the setting; never a stack trace, and a mistyped URL
// creates no SQLite file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/db/connect';

const API_DIR = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'patients-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], {
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
