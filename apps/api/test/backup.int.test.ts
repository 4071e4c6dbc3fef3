// SPEC 9: `admin backup --to FILE` makes a consistent copy of a SQLite database while the server runs and
// writes; restoring is putting that file where DATABASE_URL points and starting. Tried as an operator does:
// the real admin program beside a server taking creates, then a server started on the restored copy.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server';
import { API_DIR, call, createTenant, newPatient } from './harness';

const run = promisify(execFile);
const admin = (databaseUrl: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    cwd: API_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });

describe('backup and restore (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patients-backup-'));
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a database being written to, and the restored copy serves every patient created before it', async () => {
    const live = `file:${join(dir, 'live.sqlite')}`;
    const server = await startServer({ databaseUrl: live, logLevel: 'silent', tokenSecret: 's'.repeat(32) });
    servers.push(server);
    const t = await createTenant(server, 'backup');
    const auth = `Bearer ${t.apiKey}`;
    const created: Array<{ id: number; last_name: string }> = [];
    const create = async () => {
      const res = await call(server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { patient: newPatient() },
        auth,
      });
      expect(res.status).toBe(201);
      created.push({ id: res.body.data.user.id, last_name: res.body.data.user.last_name });
    };
    for (let i = 0; i < 30; i++) await create();

    // Four clients keep creating patients while the backup runs.
    let writing = true;
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) await create();
    });
    await new Promise((r) => setTimeout(r, 200));
    const answeredBefore = [...created];
    const to = join(dir, 'copy.sqlite');
    const { stdout } = await admin(live, 'backup', '--to', to);
    writing = false;
    await Promise.all(writers);
    const answeredAfter = created.length;

    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ backup: to, bytes: expect.any(Number), patients: expect.any(Number) });
    // Consistent: at least every patient answered before the backup began, at most every one answered by its end.
    expect(report.patients).toBeGreaterThanOrEqual(answeredBefore.length);
    expect(report.patients).toBeLessThanOrEqual(answeredAfter);
    expect(answeredAfter).toBeGreaterThan(answeredBefore.length);
    // One file, nothing half-written left beside it.
    expect(readdirSync(dir).filter((f) => f.startsWith('copy'))).toEqual(['copy.sqlite']);

    // Restore: the file where DATABASE_URL points, then start.
    const restoredFile = join(dir, 'restored.sqlite');
    copyFileSync(to, restoredFile);
    const restored = await startServer({
      databaseUrl: `file:${restoredFile}`,
      logLevel: 'silent',
      tokenSecret: 's'.repeat(32),
    });
    servers.push(restored);
    for (const p of answeredBefore) {
      const res = await call(restored, 'GET', `/patients/${p.id}`, {
        query: { subdomain: t.subdomain },
        auth,
      });
      expect(res.status).toBe(200);
      expect(res.body.data.last_name).toBe(p.last_name);
    }
    const all = await call(restored, 'GET', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId, per_page: 1 },
      auth,
    });
    expect(all.body.count).toBe(report.patients);
  }, 120_000);

  it('refuses to overwrite a file, and says to use pg_dump for PostgreSQL', async () => {
    const live = `file:${join(dir, 'live.sqlite')}`;
    const taken = join(dir, 'copy.sqlite');
    const refused = await admin(live, 'backup', '--to', taken).catch((e) => e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`admin: --to ${taken} exists; choose a new file name\n`);
    if (!process.env.PG_TEST_URL) return;
    const pg = await admin(process.env.PG_TEST_URL, 'backup', '--to', join(dir, 'pg.sqlite')).catch((e) => e);
    expect(pg.code).toBe(1);
    expect(pg.stderr).toMatch(/^admin: backup copies SQLite databases; for PostgreSQL use pg_dump: pg_dump /);
    expect(existsSync(join(dir, 'pg.sqlite'))).toBe(false);
  }, 60_000);
});
