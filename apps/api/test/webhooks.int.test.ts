// SPEC 11 webhooks against a real HTTP receiver on loopback, on both engines: each event arrives signed and
// verifies with the standardwebhooks library; a receiver that fails twice gets it on the third attempt and the
// delivery list shows both failures with their status and text; another institution's endpoint gets nothing;
// targets outside the rules are refused. (The retry schedule is shortened here; the server's is SPEC 11's.)
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReferencePatient } from '../src/connectors/reference';
import { connectorRegistry } from '../src/connectors/registry';
import { syncInstitution } from '../src/sync/runSync';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

const run = promisify(execFile);

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback that records what it gets and answers from a script (200 when the script is empty). */
async function receiver() {
  const got: Received[] = [];
  // Answers to give, per path (each endpoint has its own path): 200 once a path's list is used up.
  const script = new Map<string, Array<{ status: number; text: string }>>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      const next = script.get(req.url ?? '')?.shift() ?? { status: 200, text: 'ok' };
      res.writeHead(next.status, { 'content-type': 'text/plain' }).end(next.text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    got,
    script,
    close: () => new Promise<void>((r) => server.close(() => r())),
    /** Waits until `n` requests to `path` have come. */
    async waitFor(path: string, n: number): Promise<Received[]> {
      for (let i = 0; i < 200; i++) {
        const mine = got.filter((g) => g.path === path);
        if (mine.length >= n) return mine;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `expected ${n} deliveries to ${path}, got ${got.filter((g) => g.path === path).length}`,
      );
    },
  };
}

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  let rx: Awaited<ReturnType<typeof receiver>>;

  const api = (
    tenant: Tenant,
    method: string,
    path: string,
    body?: unknown,
    query: Record<string, string | number> = {},
  ) =>
    call(h.server, method, path, {
      query: { subdomain: tenant.subdomain, ...query },
      body,
      auth: tenant.apiKey,
    });
  const endpoint = async (tenant: Tenant, path: string, events: string[]) => {
    const made = await api(tenant, 'POST', '/webhook_endpoints', { target_url: `${rx.url}${path}` });
    expect(made.status).toBe(201);
    for (const event of events) {
      const resource_type = event.startsWith('patient') ? 'Patient' : 'Appointment';
      const sub = await api(tenant, 'POST', `/webhook_endpoints/${made.body.data.id}/webhook_subscriptions`, {
        resource_type,
        event,
      });
      expect(sub.status).toBe(201);
    }
    return made.body.data as { id: number; secret: string };
  };
  /** An endpoint's deliveries (newest first) once the newest has `status`: recorded just after its attempt. */
  const deliveriesOnceLatestIs = async (endpointId: number, status: string): Promise<any[]> => {
    let deliveries: any[] = [];
    for (let i = 0; i < 100 && deliveries[0]?.status !== status; i++) {
      if (i) await new Promise((r) => setTimeout(r, 25));
      deliveries = (await api(t, 'GET', `/webhook_endpoints/${endpointId}/deliveries`)).body.data.deliveries;
    }
    return deliveries;
  };
  const verified = (secret: string, r: Received) =>
    new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
      id: string;
      event: string;
      data: Record<string, any>;
    };

  beforeAll(async () => {
    rx = await receiver();
    h = await startHarness(engine, { webhookRetryDelaysMs: [50, 50, 50], webhookPollMs: 20 });
    t = await createTenant(h.server, 'hooked');
    other = await createTenant(h.server, 'unhooked');
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await rx.close();
  });

  it('registers an endpoint with a secret shown once, and lists it without', async () => {
    const made = await api(t, 'POST', '/webhook_endpoints', { target_url: `${rx.url}/listed` });
    expect(made.status).toBe(201);
    expect(made.body.data.secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const listed = await api(t, 'GET', '/webhook_endpoints');
    const mine = listed.body.data.webhook_endpoints.find((e: { id: number }) => e.id === made.body.data.id);
    expect(mine).toMatchObject({ target_url: `${rx.url}/listed`, active: true, subscriptions: [] });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.data.secret);
    // Another institution neither sees nor changes it.
    expect((await api(other, 'GET', '/webhook_endpoints')).body.data.webhook_endpoints).toEqual([]);
    expect((await api(other, 'DELETE', `/webhook_endpoints/${made.body.data.id}`)).status).toBe(404);
    expect((await api(t, 'DELETE', `/webhook_endpoints/${made.body.data.id}`)).status).toBe(200);
  });

  it('delivers each event signed, verifiable with the standardwebhooks library', async () => {
    const hook = await endpoint(t, '/all', [
      'patient_created',
      'patient_updated',
      'patient_inserted',
      'appointment_created',
      'appointment_cancelled',
    ]);
    const created = await api(
      t,
      'POST',
      '/patients',
      { patient: newPatient({ last_name: 'Hooked' }) },
      { location_id: t.locationId },
    );
    const id = created.body.data.user.id;
    await api(t, 'PATCH', `/patients/${id}`, { patient: { preferred_name: 'Hooky' } });
    const booked = await api(
      t,
      'POST',
      '/appointments',
      {
        appt: {
          patient_id: id,
          provider_id: t.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      { location_id: t.locationId },
    );
    await api(t, 'PATCH', `/appointments/${booked.body.data.appt.id}`, { appt: { cancelled: true } });
    const got = await rx.waitFor('/all', 5);
    const events = got.map((r) => verified(hook.secret, r));
    expect(events.map((e) => e.event)).toEqual([
      'patient_created',
      'patient_updated',
      'patient_inserted',
      'appointment_created',
      'appointment_cancelled',
    ]);
    expect(events[0]!.data.patient).toMatchObject({ id, last_name: 'Hooked' });
    expect(events[3]!.data.appt).toMatchObject({ id: booked.body.data.appt.id, patient_id: id });
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
    // A forged body fails the check.
    expect(() =>
      new Webhook(hook.secret).verify(`${got[0]!.body} `, got[0]!.headers as Record<string, string>),
    ).toThrow();
  });

  it('retries a failing receiver and shows why each attempt failed', async () => {
    const hook = await endpoint(t, '/flaky', ['patient_created']);
    rx.script.set('/flaky', [
      { status: 500, text: 'boom: database down' },
      { status: 503, text: 'still down' },
    ]);
    await api(
      t,
      'POST',
      '/patients',
      { patient: newPatient({ last_name: 'Retried' }) },
      { location_id: t.locationId },
    );
    const got = await rx.waitFor('/flaky', 3);
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(1);
    const deliveries = await deliveriesOnceLatestIs(hook.id, 'delivered');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: 'patient_created',
      status: 'delivered',
      next_attempt_at: null,
    });
    expect(deliveries[0].attempts.map((a: any) => [a.status, a.response])).toEqual([
      [500, 'boom: database down'],
      [503, 'still down'],
      [200, 'ok'],
    ]);

    // Sent again on request, with the same id.
    const again = await api(
      t,
      'POST',
      `/webhook_endpoints/${hook.id}/deliveries/${deliveries[0].id}/redeliver`,
    );
    expect(again.status).toBe(200);
    const four = await rx.waitFor('/flaky', 4);
    expect(four[3]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
  });

  it('writes no event for a change that was refused, and none for an endpoint that is off', async () => {
    const hook = await endpoint(t, '/refused', ['patient_created']);
    const patient = newPatient({ last_name: 'Onlyonce' });
    expect((await api(t, 'POST', '/patients', { patient }, { location_id: t.locationId })).status).toBe(201);
    // The same person again: refused as a duplicate, rolled back, so no event.
    expect((await api(t, 'POST', '/patients', { patient }, { location_id: t.locationId })).status).toBe(400);
    await rx.waitFor('/refused', 1);
    expect((await api(t, 'PATCH', `/webhook_endpoints/${hook.id}`, { active: false })).status).toBe(200);
    await api(
      t,
      'POST',
      '/patients',
      { patient: newPatient({ last_name: 'Whileoff' }) },
      { location_id: t.locationId },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.got.filter((g) => g.path === '/refused')).toHaveLength(1);
    const listed = (await api(t, 'GET', `/webhook_endpoints/${hook.id}/deliveries`)).body;
    expect(listed.count).toBe(1);
  });

  it('gives up after the last retry, and says so', async () => {
    const hook = await endpoint(t, '/down', ['patient_created']);
    rx.script.set(
      '/down',
      Array.from({ length: 4 }, () => ({ status: 502, text: 'bad gateway' })),
    );
    await api(
      t,
      'POST',
      '/patients',
      { patient: newPatient({ last_name: 'Givenup' }) },
      { location_id: t.locationId },
    );
    await rx.waitFor('/down', 4);
    const [d] = await deliveriesOnceLatestIs(hook.id, 'failed');
    expect(d).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(d.attempts).toHaveLength(4);
  });

  it('tells of patients and appointments that sync brings in or changes', async () => {
    const hook = await endpoint(t, '/sync', ['patient_created', 'patient_updated']);
    const there = await addReferencePatient(h.server.db.knex, t.institutionId, {
      first_name: 'Syncy',
      last_name: 'Frontdesk',
      middle_name: null,
      preferred_name: null,
      email: null,
      phone_number: null,
      date_of_birth: '1981-02-03',
      gender: null,
    });
    const sync = () =>
      syncInstitution(
        { db: h.server.db, connectorFor: connectorRegistry(h.server.db, undefined) },
        t.institutionId,
      );
    await sync();
    await h.server.db
      .knex('ref_hrs_patients')
      .where({ id: Number(there.foreign_id) })
      .update({ city: 'Albany', updated_at: new Date().toISOString() });
    await sync();
    const events = (await rx.waitFor('/sync', 2)).map((r) => verified(hook.secret, r));
    const mine = events.filter((e) => e.data.patient?.last_name === 'Frontdesk');
    expect(mine.map((e) => e.event)).toEqual(['patient_created', 'patient_updated']);
    expect(mine[1]!.data.patient.bio.city).toBe('Albany');
  });

  it("never sends one institution's events to another's endpoint", async () => {
    await endpoint(other, '/theirs', ['patient_created', 'patient_updated']);
    await endpoint(t, '/ours', ['patient_created']);
    await api(
      t,
      'POST',
      '/patients',
      { patient: newPatient({ last_name: 'Private' }) },
      { location_id: t.locationId },
    );
    await rx.waitFor('/ours', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.got.filter((g) => g.path === '/theirs')).toEqual([]);
  });

  it('admin list-webhooks shows each endpoint, its events and its deliveries, never the secret', async () => {
    const { stdout } = await run(
      'npx',
      ['tsx', 'src/cli/admin.ts', 'list-webhooks', '--subdomain', t.subdomain],
      {
        cwd: new URL('..', import.meta.url).pathname,
        env: { ...process.env, DATABASE_URL: h.database.url },
      },
    );
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const flaky = lines.find((l) => l.target_url === `${rx.url}/flaky`);
    expect(flaky).toMatchObject({ active: true, events: ['patient_created'], failed: 0 });
    expect(flaky.delivered).toBeGreaterThanOrEqual(1);
    const down = lines.find((l) => l.target_url === `${rx.url}/down`);
    expect(down).toMatchObject({ failed: 1 });
    expect(stdout).not.toContain('whsec_');
  }, 30_000);

  it('refuses targets outside the rules, naming why', async () => {
    for (const [url, why] of [
      ['http://example.com/hook', /must use https/],
      ['https://10.0.0.7/hook', /private or local address/],
      ['https://169.254.169.254/latest', /private or local address/],
      ['ftp://example.com/x', /absolute http\(s\) URL/],
    ] as const) {
      const res = await api(t, 'POST', '/webhook_endpoints', { target_url: url });
      expect(res.status).toBe(400);
      expect(res.body.error.join(' ')).toMatch(why);
    }
  });
});
