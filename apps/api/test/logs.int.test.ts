// Patient data never appears in a log line (names, emails, phones, dates of birth, notes), even on errors.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server';
import { call, createTenant, freshDatabase, type Tenant, type TestDatabase } from './harness';

describe('request logs', () => {
  const lines: string[] = [];
  let server: RunningServer;
  let db: TestDatabase;
  let t: Tenant;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    server = await startServer({
      databaseUrl: db.url,
      logLevel: 'info',
      logDestination: sink,
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
