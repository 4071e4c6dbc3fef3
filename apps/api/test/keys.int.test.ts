// SPEC 3 "Keys": listing and revoking API keys with the admin command line, beside a running server. A
// revoked key, and every token issued from it, gets 401 from then on; the other keys keep working.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_DIR,
  adminLines,
  call,
  createTenant,
  ENGINES,
  type Harness,
  startHarness,
  type Tenant,
} from './harness';

const run = promisify(execFile);

describe.each(ENGINES)('API keys on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  const admin = (...args: string[]) => adminLines(h.database.url, ...args);
  const locations = (auth: string) =>
    call(h.server, 'GET', '/locations', { query: { subdomain: t.subdomain }, auth });
  const tokenFor = async (key: string) =>
    (await call(h.server, 'POST', '/authenticates', { auth: key })).body.data.token as string;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'keyed');
    other = await createTenant(h.server, 'otherkeys');
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('lists keys one per line, with a prefix and no key or digest', async () => {
    const [made] = await admin('create-api-key', '--subdomain', t.subdomain, '--label', 'booking app');
    const listed = await admin('list-api-keys', '--subdomain', t.subdomain);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const entry = listed.find((k) => k.id === made.id);
    expect(entry).toMatchObject({
      prefix: made.api_key.slice(0, 8),
      label: 'booking app',
      revoked_at: null,
      last_used_at: null,
    });
    expect(Object.keys(entry).sort()).toEqual(
      ['created_at', 'id', 'label', 'last_used_at', 'prefix', 'revoked_at'].sort(),
    );
    expect(JSON.stringify(listed)).not.toContain(made.api_key);
  }, 60_000);

  it('keeps last_used_at, written at most once a minute per key', async () => {
    const [made] = await admin('create-api-key', '--subdomain', t.subdomain);
    expect((await locations(`Bearer ${made.api_key}`)).status).toBe(200);
    // The write is off the request's path: wait for it to land.
    let first: string | null = null;
    for (let i = 0; i < 50 && !first; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = (await admin('list-api-keys', '--subdomain', t.subdomain)).find(
        (k) => k.id === made.id,
      ).last_used_at;
    }
    expect(first).not.toBeNull();
    expect((await locations(`Bearer ${made.api_key}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const again = (await admin('list-api-keys', '--subdomain', t.subdomain)).find((k) => k.id === made.id);
    expect(again.last_used_at).toBe(first);
  }, 60_000);

  it('a revoked key and every token issued from it get 401; other keys keep working', async () => {
    const [made] = await admin('create-api-key', '--subdomain', t.subdomain);
    const token = await tokenFor(made.api_key);
    expect((await locations(`Bearer ${token}`)).status).toBe(200);

    const [revoked] = await admin('revoke-api-key', '--subdomain', t.subdomain, '--id', String(made.id));
    expect(revoked).toMatchObject({ id: made.id, revoked_at: expect.any(String) });

    expect((await locations(`Bearer ${made.api_key}`)).status).toBe(401);
    expect((await locations(`Bearer ${token}`)).status).toBe(401);
    expect((await call(h.server, 'POST', '/authenticates', { auth: made.api_key })).status).toBe(401);
    expect((await locations(`Bearer ${t.apiKey}`)).status).toBe(200);
  }, 60_000);

  it("cannot revoke another institution's key, and says so in one line", async () => {
    const [theirs] = await admin('create-api-key', '--subdomain', other.subdomain);
    const attempt = run(
      'npx',
      ['tsx', 'src/cli/admin.ts', 'revoke-api-key', '--subdomain', t.subdomain, '--id', String(theirs.id)],
      {
        cwd: API_DIR,
        env: { ...process.env, DATABASE_URL: h.database.url },
      },
    );
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^admin: --id \d+: "keyed" has no API key with that id/),
    });
    expect(
      (
        await call(h.server, 'GET', '/locations', {
          query: { subdomain: other.subdomain },
          auth: `Bearer ${theirs.api_key}`,
        })
      ).status,
    ).toBe(200);
  }, 60_000);
});
