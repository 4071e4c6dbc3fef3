// Patient data never appears in a log line (names, emails, phones, dates of birth, notes), even on errors.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDentalConnector } from '../src/connectors/opendental/connector';
import { type RunningServer, startServer } from '../src/server';
import { call, createTenant, freshDatabase, type Tenant, type TestDatabase } from './harness';
import { type OpenDentalStandIn, startOpenDentalStandIn } from './support/openDentalStandIn';

/** A log destination that keeps each line written to it. */
function linesInto(lines: string[]): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
}

describe('request logs', () => {
  const lines: string[] = [];
  let server: RunningServer;
  let db: TestDatabase;
  let t: Tenant;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    server = await startServer({
      databaseUrl: db.url,
      logLevel: 'info',
      logDestination: linesInto(lines),
      tokenSecret: 's',
    });
    t = await createTenant(server, 'logs');
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('logs one structured line per request with method, path, status, time and id, and no patient data', async () => {
    const auth = `Bearer ${t.apiKey}`;
    const patient = {
      first_name: 'Ximena',
      last_name: 'Quillfeather',
      email: 'ximena.q@example.com',
      bio: { phone_number: '2125550187', date_of_birth: '1977-03-04', gender: 'Female' },
    };
    const created = await call(server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient },
      auth,
    });
    expect(created.status).toBe(201);
    await call(server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient },
      auth,
    });
    await call(server, 'GET', '/patients', {
      query: {
        subdomain: t.subdomain,
        location_id: t.locationId,
        name: 'Ximena Quillfeather',
        email: 'ximena.q@example.com',
        phone_number: '2125550187',
        date_of_birth: '1977-03-04',
      },
      auth,
    });
    await call(server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        appt: {
          patient_id: created.body.data.user.id,
          provider_id: t.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
          note: 'Toothache Quillfeather',
        },
      },
      auth,
    });
    await call(server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      rawBody: '{"patient": {"first_name": "Ximena"',
      auth,
    });
    await new Promise((r) => setTimeout(r, 50));

    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.req);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const r of requests) {
      expect(r).toMatchObject({
        req: { method: expect.any(String), path: expect.any(String), id: expect.any(String) },
        res: { statusCode: expect.any(Number) },
      });
      expect(typeof r.ms).toBe('number');
    }
    const all = lines.join('\n');
    for (const secret of [
      'Ximena',
      'Quillfeather',
      'ximena.q',
      '2125550187',
      '555-0187',
      '1977-03-04',
      'Toothache',
      t.apiKey,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

// SPEC 9 / issue 16: a health record system that fails is the operator's to fix, so its 502 is logged at warn
// with the cause (which system, the status it answered with), on REST and tRPC alike, and no patient data.
describe('a health record system that fails', () => {
  const lines: string[] = [];
  let server: RunningServer;
  let db: TestDatabase;
  let standIn: OpenDentalStandIn;
  let t: Tenant;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    standIn = await startOpenDentalStandIn({ developerKey: 'right-dev', customerKey: 'right-cust' });
    server = await startServer({
      databaseUrl: db.url,
      logLevel: 'info',
      logDestination: linesInto(lines),
      tokenSecret: 's',
      // Keys Open Dental does not know: every call there is answered 401.
      connectorFor: async () =>
        openDentalConnector({
          settings: {
            base_url: standIn.url,
            locations: [{ location_id: t.locationId, clinic_num: null, operatory: 1, time_zone: 'UTC' }],
          },
          keys: { developer_key: 'wrong-dev', customer_key: 'wrong-cust' },
          timeoutMs: 2_000,
          retries: 0,
          retryBaseMs: 1,
        }),
    });
    t = await createTenant(server, 'upstream');
  });
  afterAll(async () => {
    await server.close();
    await standIn.close();
    await db.drop();
  });

  it('logs the 502 at warn with the system and its status, never the patient', async () => {
    const auth = `Bearer ${t.apiKey}`;
    const created = await call(server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        patient: {
          first_name: 'Oriel',
          last_name: 'Brackenridge',
          email: 'oriel.b@example.com',
          bio: { phone_number: '2125550143', date_of_birth: '1969-07-20', gender: 'Female' },
        },
      },
      auth,
    });
    expect(created.status).toBe(201);
    const appt = {
      patient_id: created.body.data.user.id,
      provider_id: t.providerId,
      start_time: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const rest = await call(server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { appt },
      auth,
    });
    expect(rest.status).toBe(502);
    const trpc = await call(server, 'POST', '/trpc/appointments.book', {
      body: { subdomain: t.subdomain, location_id: t.locationId, appt },
      auth,
    });
    expect(trpc.status).toBe(502);
    await new Promise((r) => setTimeout(r, 50));

    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.res?.statusCode === 502);
    expect(failed.map((l) => l.req.path)).toEqual(['/appointments', '/trpc/appointments.book']);
    for (const line of failed) {
      expect(line.level).toBe(40);
      expect(line.upstream).toEqual({
        connector: 'OpenDental',
        failure: 'ConnectorMisconfigured',
        status: 401,
      });
    }
    const all = lines.join('\n');
    for (const secret of [
      'Oriel',
      'Brackenridge',
      'oriel.b@example.com',
      '2125550143',
      '1969-07-20',
      'wrong-cust',
    ])
      expect(all).not.toContain(secret);
  });
});
