// SPEC 9: the admin command line, run as a person runs it, beside a running server on the same database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server';
import { call, freshDatabase, type TestDatabase } from './harness';

const run = promisify(execFile);
const API_DIR = new URL('..', import.meta.url).pathname;

describe('admin CLI', () => {
  let db: TestDatabase;
  let server: RunningServer;
  const admin = async (...args: string[]) => {
    const { stdout } = await run('npx', ['tsx', 'src/cli/admin.ts', ...args], {
      cwd: API_DIR,
      env: { ...process.env, DATABASE_URL: db.url },
    });
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    return JSON.parse(lines[0]!);
  };

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    server = await startServer({ databaseUrl: db.url, logLevel: 'silent' });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('bootstraps a tenant whose key works against the running server', async () => {
    const inst = await admin('create-institution', '--subdomain', 'clinic', '--name', 'Clinic');
    expect(inst).toMatchObject({ institution_id: expect.any(Number), subdomain: 'clinic' });
    const loc = await admin('create-location', '--subdomain', 'clinic', '--name', 'Main');
    const prov = await admin(
      'create-provider',
      '--subdomain',
      'clinic',
      '--location-id',
      String(loc.location_id),
      '--name',
      'Dr. A',
    );
    expect(prov.location_ids).toEqual([loc.location_id]);
    const { api_key } = await admin('create-api-key', '--subdomain', 'clinic');
    expect(api_key).toMatch(/^pk_/);
    const res = await call(server, 'GET', '/providers', {
      query: { subdomain: 'clinic', location_id: loc.location_id },
      auth: `Bearer ${api_key}`,
    });
    expect(res.body.data.providers.map((p: any) => p.id)).toEqual([prov.provider_id]);

    const defaults = await admin(
      'set-defaults',
      '--subdomain',
      'clinic',
      '--gender',
      'Other',
      '--email',
      'none@clinic.example',
    );
    expect(defaults.demographic_defaults).toEqual({ gender: 'Other', email: 'none@clinic.example' });
  }, 60_000);

  it('refuses bad input with a message on stderr and a non-zero exit', async () => {
    const err = await run(
      'npx',
      ['tsx', 'src/cli/admin.ts', 'create-institution', '--subdomain', 'Bad Name!', '--name', 'x'],
      {
        cwd: API_DIR,
        env: { ...process.env, DATABASE_URL: db.url },
      },
    ).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stdout).toBe('');
    expect(err.stderr).toContain('--subdomain');
  }, 60_000);
});
