// SPEC 3 "Audit log": every read, search, create, edit, booking, cancellation and appointment list is
// recorded with its actor, action, the patient ids of the answer, the status and the request id, refused
// calls included, on both faces; `admin audit-log` prints it; nothing can change or delete an entry.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/trpc/router';
import {
  API_DIR,
  adminLines,
  call,
  createTenant,
  ENGINES,
  type Harness,
  newPatient,
  startHarness,
  type Tenant,
} from './harness';

const run = promisify(execFile);

interface Printed {
  at: string;
  actor: { api_key_id: number | null; acting_user: string | null };
  action: string;
  patient_ids: number[];
  status: number;
  request_id: string;
}

describe.each(ENGINES)('audit log on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  let keyId: number;

  const admin = (...args: string[]) => adminLines(h.database.url, ...args);
  const auditLog = (...args: string[]): Promise<Printed[]> =>
    admin('audit-log', '--subdomain', t.subdomain, ...args);
  /** The entry of one request, by the X-Request-Id its answer carried. */
  const entryOf = (entries: Printed[], requestId: string | null): Printed => {
    expect(requestId).toMatch(/^[\w-]{1,64}$/);
    const found = entries.filter((e) => e.request_id === requestId);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const asStaff = { 'x-acting-user': '81234567890 (alice#0001)' };

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'audited');
    other = await createTenant(h.server, 'elsewhere');
    keyId = (await admin('list-api-keys', '--subdomain', t.subdomain))[0].id;
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  const create = (auth = t.apiKey, body: unknown = newPatient()) =>
    call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: body },
      auth,
      headers: asStaff,
    });

  it('records each action with actor, patient ids, status and the request id of the answer', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const id = created.body.data.user.id as number;
    const q = { subdomain: t.subdomain };

    const read = await call(h.server, 'GET', `/patients/${id}`, { query: q, auth: t.apiKey });
    const search = await call(h.server, 'GET', '/patients', {
      query: { ...q, location_id: t.locationId, name: created.body.data.user.last_name },
      auth: t.apiKey,
    });
    const update = await call(h.server, 'PATCH', `/patients/${id}`, {
      query: q,
      body: { patient: { preferred_name: 'Al' } },
      auth: t.apiKey,
      headers: asStaff,
    });
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const book = await call(h.server, 'POST', '/appointments', {
      query: { ...q, location_id: t.locationId },
      body: { appt: { patient_id: id, provider_id: t.providerId, start_time: start } },
      auth: t.apiKey,
    });
    const list = await call(h.server, 'GET', '/appointments', {
      query: {
        ...q,
        location_id: t.locationId,
        start: new Date().toISOString(),
        end: '2099-01-01T00:00:00Z',
      },
      auth: t.apiKey,
    });
    const cancel = await call(h.server, 'PATCH', `/appointments/${book.body.data.appt.id}`, {
      query: q,
      body: { appt: { cancelled: true } },
      auth: t.apiKey,
    });
    expect([read, search, update, book, list, cancel].map((a) => a.status)).toEqual([
      200, 200, 200, 201, 200, 200,
    ]);

    const expected: Array<[typeof read, string, number]> = [
      [created, 'patient.create', 201],
      [read, 'patient.read', 200],
      [search, 'patient.search', 200],
      [update, 'patient.update', 200],
      [book, 'appointment.book', 201],
      [list, 'appointment.list', 200],
      [cancel, 'appointment.cancel', 200],
    ];
    const log = await auditLog();
    for (const [answer, action, status] of expected) {
      const entry = entryOf(log, answer.headers.get('x-request-id'));
      expect(entry).toMatchObject({ action, status, patient_ids: [id] });
      expect(entry.actor.api_key_id).toBe(keyId);
      expect(Date.parse(entry.at)).not.toBeNaN();
    }
    // The staff member is recorded only where the client named one.
    expect(entryOf(log, created.headers.get('x-request-id')).actor.acting_user).toBe(
      asStaff['x-acting-user'],
    );
    expect(entryOf(log, read.headers.get('x-request-id')).actor.acting_user).toBeNull();
  }, 60_000);

  it('records refused calls: bad input, another tenant, a duplicate, a wrong id', async () => {
    const mine = await create();
    const theirs = await call(h.server, 'POST', '/patients', {
      query: { subdomain: other.subdomain, location_id: other.locationId },
      body: { patient: newPatient() },
      auth: other.apiKey,
    });
    const theirId = theirs.body.data.user.id as number;

    // Id guessing: acme's key reading the other institution's patient is a 404, recorded in acme's log.
    const later: Array<[{ headers: Headers }, Partial<Printed>]> = [];
    const guessed = await call(h.server, 'GET', `/patients/${theirId}`, {
      query: { subdomain: t.subdomain },
      auth: t.apiKey,
    });
    expect(guessed.status).toBe(404);
    later.push([
      guessed,
      {
        action: 'patient.read',
        status: 404,
        patient_ids: [theirId],
      },
    ]);

    const forbidden = await call(h.server, 'GET', '/patients', {
      query: { subdomain: other.subdomain, location_id: other.locationId, name: 'x' },
      auth: t.apiKey,
    });
    expect(forbidden.status).toBe(403);
    later.push([
      forbidden,
      {
        action: 'patient.search',
        status: 403,
        patient_ids: [],
      },
    ]);

    const invalid = await create(t.apiKey, { first_name: 'Ann' });
    expect(invalid.status).toBe(400);
    later.push([
      invalid,
      {
        action: 'patient.create',
        status: 400,
        patient_ids: [],
      },
    ]);

    // The duplicate refusal names the patient it matched: the entry names it too.
    const again = await create(t.apiKey, {
      ...newPatient(),
      first_name: mine.body.data.user.first_name,
      last_name: mine.body.data.user.last_name,
      email: mine.body.data.user.email,
      bio: { ...mine.body.data.user.bio, gender: 'Female' },
    });
    expect(again.status).toBe(400);
    expect(again.body.data.existing.id).toBe(mine.body.data.user.id);
    later.push([
      again,
      {
        action: 'patient.create',
        status: 400,
        patient_ids: [mine.body.data.user.id],
      },
    ]);

    const log = await auditLog();
    for (const [answer, entry] of later)
      expect(entryOf(log, answer.headers.get('x-request-id'))).toMatchObject(entry);
    // Nothing of the other institution's calls is in this one's log, and the reverse.
    const theirLog: Printed[] = await admin('audit-log', '--subdomain', other.subdomain);
    expect(theirLog.map((e) => e.request_id)).toContain(theirs.headers.get('x-request-id'));
    expect(theirLog.map((e) => e.request_id)).not.toContain(guessed.headers.get('x-request-id'));
  }, 60_000);

  it('records calls whose credentials were refused, apart from every institution', async () => {
    const refused = await call(h.server, 'GET', '/patients/1', {
      query: { subdomain: t.subdomain },
      auth: 'Bearer not-a-key',
    });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('x-request-id');
    expect((await auditLog()).map((e) => e.request_id)).not.toContain(requestId);
    const anonymous: Printed[] = await admin('audit-log', '--unauthenticated');
    expect(anonymous.find((e) => e.request_id === requestId)).toMatchObject({
      action: 'patient.read',
      status: 401,
      patient_ids: [1],
      actor: { api_key_id: null, acting_user: null },
    });
  }, 60_000);

  it('records tRPC calls as REST ones, with the staff member and the status REST would give', async () => {
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${h.server.url}/trpc`,
          headers: { authorization: t.apiKey, ...asStaff, 'x-request-id': 'trpc-audit-test-1' },
        }),
      ],
    });
    const made = await client.patients.create.mutate({
      subdomain: t.subdomain,
      location_id: t.locationId,
      patient: newPatient() as never,
    });
    const entries = (await auditLog()).filter((e) => e.request_id === 'trpc-audit-test-1');
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'patient.create',
        status: 201,
        patient_ids: [made.user.id],
        actor: { api_key_id: keyId, acting_user: asStaff['x-acting-user'] },
      }),
    ]);
    await expect(
      client.patients.get.query({ subdomain: other.subdomain, id: made.user.id }),
    ).rejects.toThrow();
    const refused = (await auditLog()).filter((e) => e.request_id === 'trpc-audit-test-1');
    expect(refused[1]).toMatchObject({ action: 'patient.read', status: 403, patient_ids: [made.user.id] });
  }, 60_000);

  it('keeps no patient data in the log, only ids', async () => {
    const created = await create(
      t.apiKey,
      newPatient({ first_name: 'Zebediah' }, { phone_number: '2125550199' }),
    );
    await call(h.server, 'GET', '/patients', {
      query: {
        subdomain: t.subdomain,
        location_id: t.locationId,
        name: 'Zebediah',
        email: created.body.data.user.email,
      },
      auth: t.apiKey,
    });
    const printed = JSON.stringify(await auditLog());
    for (const secret of [
      'Zebediah',
      created.body.data.user.email,
      '2125550199',
      created.body.data.user.last_name,
    ])
      expect(printed).not.toContain(secret);
  }, 60_000);

  it('filters by patient and by time, and refuses a mistyped filter with one line', async () => {
    const a = await create();
    const b = await create();
    const aId = a.body.data.user.id as number;
    await call(h.server, 'GET', `/patients/${aId}`, { query: { subdomain: t.subdomain }, auth: t.apiKey });
    const forA = await auditLog('--patient-id', String(aId));
    expect(forA.map((e) => e.action)).toEqual(['patient.create', 'patient.read']);
    expect(forA.every((e) => e.patient_ids.includes(aId))).toBe(true);
    // Oldest first, and --since keeps what came at or after it.
    const all = await auditLog();
    const times = all.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    const bAt = entryOf(all, b.headers.get('x-request-id')).at;
    const since = await auditLog('--since', bAt);
    expect(since.every((e) => e.at >= bAt)).toBe(true);
    expect(since.map((e) => e.request_id)).toContain(b.headers.get('x-request-id'));
    expect(since.map((e) => e.request_id)).not.toContain(a.headers.get('x-request-id'));

    for (const [flag, value, said] of [
      ['--since', 'yesterday', '--since yesterday: not a time'],
      ['--patient-id', 'abc', '--patient-id abc: not a patient id'],
    ]) {
      const failed = await run(
        'npx',
        ['tsx', 'src/cli/admin.ts', 'audit-log', '--subdomain', t.subdomain, flag!, value!],
        {
          cwd: API_DIR,
          env: { ...process.env, DATABASE_URL: h.database.url },
        },
      ).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
      expect(failed?.stderr).toContain(said);
    }
  }, 60_000);

  it('is append-only: the database itself refuses to change or delete an entry', async () => {
    const { knex } = h.server.db;
    const before = await knex('audit_log').count({ n: '*' }).first();
    expect(Number(before?.n)).toBeGreaterThan(0);
    await expect(knex('audit_log').update({ status: 200 })).rejects.toThrow(/append-only/);
    await expect(knex('audit_log').delete()).rejects.toThrow(/append-only/);
    const after = await knex('audit_log').count({ n: '*' }).first();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });
});
