// Another process holding SQLite's write lock (an `admin import`, a second server, a backup tool) must not
// stall the server: reads are answered while the lock is held, a write waits without blocking anything and
// is answered 503 (envelope, Retry-After) when the lock outlasts its wait, and goes through when the lock is
// released in time. Ordering checks, not timing ones: the holder keeps the lock until the test says so.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../src/db/connect';
import { call, createTenant, type Harness, newPatient, startHarness, type Tenant } from './harness';

/** A separate process that takes the write lock with BEGIN IMMEDIATE and holds it until told to release. */
class LockHolder {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(filename: string) {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      db.prepare('UPDATE institutions SET lock_version = lock_version + 1').run();
      console.log('locked');
      require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
        if (line === 'holding?') console.log(db.inTransaction ? 'holding' : 'free');
        if (line === 'release') { db.exec('COMMIT'); db.close(); console.log('released'); process.exit(0); }
      });`;
    this.child = spawn(process.execPath, ['-e', script, filename], {
      cwd: new URL('..', import.meta.url),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  async next(): Promise<string> {
    return (await this.lines.next()).value;
  }

  async ask(line: string): Promise<string> {
    this.child.stdin!.write(`${line}\n`);
    return this.next();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill();
      await once(this.child, 'exit');
    }
  }
}

describe('sqlite: another process holds the write lock', () => {
  let h: Harness;
  let t: Tenant;
  let auth: string;
  let holder: LockHolder | undefined;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    t = await createTenant(h.server, 'lockdental');
    auth = `Bearer ${t.apiKey}`;
    const created = await call(h.server, 'POST', '/patients', {
      auth,
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: newPatient({ first_name: 'Wilhelmina', last_name: 'Lockhart' }) },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await holder?.stop();
    await h.stop();
  });

  const search = (name: string) =>
    call(h.server, 'GET', '/patients', {
      auth,
      query: { subdomain: t.subdomain, location_id: t.locationId, name },
    });

  it('answers searches and /healthz while the lock is held, and a create 503 with Retry-After, changing nothing', async () => {
    holder = new LockHolder(sqlitePath(h.database.url));
    expect(await holder.next()).toBe('locked');

    const found = await search('Wilhelmina Lockhart');
    expect(found.status).toBe(200);
    expect(found.body.data.patients.map((p: { first_name: string }) => p.first_name)).toEqual(['Wilhelmina']);
    const health = await fetch(`${h.server.url}/healthz`);
    expect(health.status).toBe(200);
    // Both were answered before the holder was told to let go: it still holds the lock.
    expect(await holder.ask('holding?')).toBe('holding');

    const res = await fetch(`${h.server.url}/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ patient: newPatient({ first_name: 'Ottoline', last_name: 'Waitforit' }) }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ code: false, description: 'The database is busy', data: null });
    expect(body.error[0]).toMatch(/busy/);
    expect(await holder.ask('holding?')).toBe('holding');

    expect(await holder.ask('release')).toBe('released');
    await holder.stop();
    expect((await search('Ottoline Waitforit')).body.count).toBe(0);

    // The search answered under the lock was audited once the lock was free (services/audit.ts): its entry
    // waited in the queue, and nothing was lost.
    const requestId = found.headers.get('x-request-id');
    let entries: unknown[] = [];
    for (let i = 0; i < 200 && !entries.length; i++) {
      entries = await h.server.db.knex('audit_log').where({ request_id: requestId });
      if (!entries.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(entries).toEqual([expect.objectContaining({ action: 'patient.search', status: 200 })]);
  });

  it('lets a waiting create through once the lock is released within its wait', async () => {
    holder = new LockHolder(sqlitePath(h.database.url));
    expect(await holder.next()).toBe('locked');
    const pending = call(h.server, 'POST', '/patients', {
      auth,
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: newPatient({ first_name: 'Peregrine', last_name: 'Patience' }) },
    });
    // The server keeps answering reads while that create waits.
    expect((await search('Wilhelmina')).status).toBe(200);
    expect(await holder.ask('release')).toBe('released');
    const created = await pending;
    expect(created.status).toBe(201);
    expect((await search('Peregrine Patience')).body.count).toBe(1);
  });

  it('answers the tRPC face 503 too', async () => {
    holder = new LockHolder(sqlitePath(h.database.url));
    expect(await holder.next()).toBe('locked');
    const res = await fetch(`${h.server.url}/trpc/patients.create`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        subdomain: t.subdomain,
        location_id: t.locationId,
        patient: newPatient({ first_name: 'Tremaine', last_name: 'Rpcwaiter' }),
      }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as any;
    expect(body.error.data.code).toBe('SERVICE_UNAVAILABLE');
    expect(await holder.ask('release')).toBe('released');
  });
});
