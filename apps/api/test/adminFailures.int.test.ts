// SPEC 9: admin commands exit 0 on success and non-zero with one line on stderr on every failure, a refused or
// unreachable database or health record system included. Run as a person runs them: the real program, its
// exit status and its stderr.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DIR, adminLines, freePort } from './harness';
import { type OpenDentalStandIn, startOpenDentalStandIn } from './support/openDentalStandIn';

const SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function admin(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/admin.ts', ...args],
      {
        cwd: API_DIR,
        env: { ...process.env, DATABASE_URL: databaseUrl, CONNECTOR_SECRETS_KEY: SECRETS_KEY, ...env },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

/** Failed, with one line on stderr that says `expected`, and no stack trace. */
function expectOneLineFailure(outcome: Outcome, expected: RegExp | string, code = 1) {
  expect(outcome.code, outcome.stderr).toBe(code);
  const lines = outcome.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof expected === 'string') expect(lines[0]).toContain(expected);
  else expect(lines[0]).toMatch(expected);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe('admin command failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patients-admin-'));
  const url = `file:${join(dir, 'admin.sqlite')}`;
  let standIn: OpenDentalStandIn;
  let locationId: number;

  beforeAll(async () => {
    standIn = await startOpenDentalStandIn({ developerKey: 'right-dev', customerKey: 'right-cust' });
    await adminLines(url, 'create-institution', '--subdomain', 'acme', '--name', 'Acme Dental');
    [{ location_id: locationId }] = await adminLines(
      url,
      'create-location',
      '--subdomain',
      'acme',
      '--name',
      'Main',
    );
  }, 60_000);
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a mistyped command, option or subdomain: one line each, nothing on stdout', async () => {
    const outcomes = await Promise.all([
      admin(url, ['creat-institution', '--subdomain', 'x']),
      admin(url, ['create-api-key', '--subdomian', 'acme']),
      admin(url, ['create-api-key', '--subdomain', 'acne']),
      admin(url, ['create-api-key']),
      admin(url, ['revoke-api-key', '--subdomain', 'acme', '--id', '99']),
    ]);
    expectOneLineFailure(outcomes[0]!, 'admin: unknown command "creat-institution"; the commands are', 2);
    expectOneLineFailure(outcomes[1]!, "admin: Unknown option '--subdomian'");
    expectOneLineFailure(outcomes[2]!, 'admin: no institution with subdomain "acne"');
    expectOneLineFailure(outcomes[3]!, 'admin: --subdomain is required');
    expectOneLineFailure(outcomes[4]!, 'admin: --id 99: "acme" has no API key with that id');
    for (const o of outcomes) expect(o.stdout).toBe('');
  }, 60_000);

  it('a database that cannot be reached, or a bad setting: one line, exit 1', async () => {
    const port = await freePort();
    const [pg, secrets] = await Promise.all([
      admin(`postgres://postgres@127.0.0.1:${port}/x`, ['show-settings', '--subdomain', 'acme']),
      admin(url, ['show-settings', '--subdomain', 'acme'], { CONNECTOR_SECRETS_KEY: 'short' }),
    ]);
    expectOneLineFailure(pg, `no PostgreSQL answers at 127.0.0.1:${port}`);
    expectOneLineFailure(secrets, 'admin: CONNECTOR_SECRETS_KEY has 5 characters, expected 32 bytes');
  }, 60_000);

  it('sync refused by the health record system (401): the summary on stdout, one line on stderr, exit 1', async () => {
    const set = await admin(url, [
      'set-connector',
      '--subdomain',
      'acme',
      '--type',
      'opendental',
      '--base-url',
      standIn.url,
      '--developer-key',
      'wrong-dev',
      '--customer-key',
      'wrong-cust',
      '--map',
      `${locationId}:1`,
    ]);
    expect(set.code, set.stderr).toBe(0);
    const sync = await admin(url, ['sync', '--subdomain', 'acme']);
    expectOneLineFailure(
      sync,
      /^admin: sync met 1 error\(s\): Open Dental turned the developer\/customer key pair away \(401\)/,
    );
    expect(JSON.parse(sync.stdout)).toMatchObject({ subdomain: 'acme', errors: 1 });
    expect(sync.stderr).not.toContain('wrong-cust');
  }, 60_000);

  it('sync with the health record system unreachable: one line, exit 1', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const set = await admin(url, ['set-connector', '--subdomain', 'acme', '--base-url', closed]);
    expect(set.code, set.stderr).toBe(0);
    const sync = await admin(url, ['sync', '--subdomain', 'acme']);
    expectOneLineFailure(
      sync,
      /^admin: sync met 1 error\(s\): Open Dental .*(refused|ECONNREFUSED|connect)/i,
    );
  }, 120_000);
});
