// Compatibility with NexHealth's Patients API (issue 14 item 8): the requests a NexHealth v3 integration sends,
// replayed against a real server with only the base URL changed, and every patient in the answers validated
// against NexHealth's own published patient schema (compat/nexhealth-patient.schema.json, copied from their
// OpenAPI, v20240412) with Ajv, not by hand. The README's "NexHealth compatibility" table lists what differs.
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, ENGINES, type Harness, startHarness, type Tenant } from './harness';

const schema = JSON.parse(
  readFileSync(new URL('./compat/nexhealth-patient.schema.json', import.meta.url), 'utf8'),
);

// Their schema is OpenAPI's dialect of JSON Schema: `nullable`, `example`, and int32/int64 formats.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('int32', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 31,
});
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
ajv.addSchema(schema, 'nexhealth');
const asPatient = ajv.getSchema('nexhealth#/definitions/patient')!;
const asCreatedPatient = ajv.getSchema('nexhealth#/definitions/created_patient')!;

/** NexHealth's example bio lists every field they may return: each must be in ours. */
const NEXHEALTH_BIO_FIELDS = Object.keys(schema.definitions.patient.properties.bio.example).sort();

describe('the NexHealth schema as loaded', () => {
  it('can fail: a patient with a wrong type or a missing required bio field is refused', () => {
    expect(asPatient({ id: 'seven', first_name: 'A', last_name: 'B', bio: {} })).toBe(false);
    expect(asPatient({ id: 7, first_name: 'A', last_name: 'B', email: 12, bio: {} })).toBe(false);
    expect(asPatient({ id: 7, first_name: 'A', last_name: 'B', bio: {}, location_ids: ['x'] })).toBe(false);
  });
});

function expectValid(validate: ValidateFunction, value: unknown) {
  const ok = validate(value);
  expect(ok ? [] : validate.errors).toEqual([]);
  const bio = (value as { bio: Record<string, unknown> }).bio;
  expect(NEXHEALTH_BIO_FIELDS.filter((f) => !(f in bio))).toEqual([]);
}

/** What a NexHealth client sends on every request (their docs' Accept header), with only the base URL ours. */
function nexhealthClient(base: string) {
  let token = '';
  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.Nexhealth+json;version=2',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return {
    async authenticate(apiKey: string) {
      const res = await fetch(`${base}/authenticates`, {
        method: 'POST',
        headers: { accept: 'application/vnd.Nexhealth+json;version=2', authorization: apiKey },
      });
      const body = (await res.json()) as any;
      token = body.data.token;
      return { status: res.status, body };
    },
    request,
  };
}

/** NexHealth's envelope: code, description, error (an array), data, and count on lists. */
function expectEnvelope(body: any, ok: boolean) {
  expect(typeof body.code).toBe('boolean');
  expect(body.code).toBe(ok);
  expect(typeof body.description).toBe('string');
  expect(Array.isArray(body.error)).toBe(true);
  expect('data' in body).toBe(true);
}

describe.each(ENGINES)('NexHealth compatibility on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let client: ReturnType<typeof nexhealthClient>;
  let created: any;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'nexcompat');
    client = nexhealthClient(h.server.url);
    const auth = await client.authenticate(t.apiKey);
    expect(auth.status).toBe(200);
    expectEnvelope(auth.body, true);
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('POST /patients: their documented body (ids as strings, the full bio) gives their created_patient', async () => {
    const res = await client.request(
      'POST',
      `/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`,
      {
        provider: { provider_id: String(t.providerId) },
        patient: {
          first_name: 'John',
          middle_name: 'Anthony',
          last_name: 'Compatson',
          email: 'john.compatson@example.com',
          bio: {
            phone_number: '5163042196',
            cell_phone_number: '(516) 304-2197',
            home_phone_number: '',
            work_phone_number: null,
            date_of_birth: '1964-05-03',
            gender: 'Male',
            street_address: '1 Main St',
            address_line_1: '1 Main St',
            address_line_2: '',
            city: 'New York',
            state: 'NY',
            zip_code: '10001',
          },
        },
      },
    );
    expect(res.status).toBe(201);
    expectEnvelope(res.body, true);
    created = res.body.data.user;
    expectValid(asCreatedPatient, created);
    expectValid(asPatient, created);
  });

  it('GET /patients/:id gives their patient, with upcoming appointments once booked', async () => {
    const booked = await client.request(
      'POST',
      `/appointments?subdomain=${t.subdomain}&location_id=${t.locationId}`,
      {
        appt: {
          patient_id: String(created.id),
          provider_id: String(t.providerId),
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
    );
    expect(booked.status).toBe(201);
    const res = await client.request(
      'GET',
      `/patients/${created.id}?subdomain=${t.subdomain}&include[]=upcoming_appts`,
    );
    expect(res.status).toBe(200);
    expectEnvelope(res.body, true);
    expectValid(asPatient, res.body.data);
    expect(res.body.data.upcoming_appts).toHaveLength(1);
  });

  it('GET /patients with their search parameters gives a list of their patients and a count', async () => {
    // Booked above, so now in the health record system: its foreign id is that system's.
    const now = (await client.request('GET', `/patients/${created.id}?subdomain=${t.subdomain}`)).body.data;
    for (const query of [
      `name=john%20compatson`,
      `email=john.compatson@example.com`,
      `phone_number=5163042196`,
      `date_of_birth=1964-05-03`,
      `foreign_id=${now.foreign_id}&foreign_id_type=${now.foreign_id_type}`,
      `inactive=false&non_patient=false&location_strict=false&new_patient=false&include[]=upcoming_appts&include[]=procedures`,
    ]) {
      const res = await client.request(
        'GET',
        `/patients?subdomain=${t.subdomain}&location_id=${t.locationId}&page=1&per_page=5&${query}`,
      );
      expect(res.status).toBe(200);
      expectEnvelope(res.body, true);
      expect(typeof res.body.count).toBe('number');
      expect(res.body.data.patients.length).toBeGreaterThan(0);
      for (const p of res.body.data.patients) expectValid(asPatient, p);
    }
  });

  it('PATCH /patients/:id of a patient not yet inserted gives their patient', async () => {
    const res = await client.request(
      'POST',
      `/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`,
      {
        patient: {
          first_name: 'Jane',
          last_name: 'Compatson',
          email: 'jane.compatson@example.com',
          bio: { phone_number: '5163042198', date_of_birth: '1990-01-02', gender: 'Female' },
        },
      },
    );
    const edited = await client.request(
      'PATCH',
      `/patients/${res.body.data.user.id}?subdomain=${t.subdomain}`,
      {
        patient: { bio: { ...res.body.data.user.bio, city: 'Boston', state: 'MA' } },
      },
    );
    expect(edited.status).toBe(200);
    expectEnvelope(edited.body, true);
    expectValid(asPatient, edited.body.data);
  });

  it('refusals come in their envelope: code false, the messages in error, data null or the details', async () => {
    const res = await client.request(
      'POST',
      `/patients?subdomain=${t.subdomain}&location_id=${t.locationId}`,
      {
        patient: { first_name: 'Only' },
      },
    );
    expect(res.status).toBe(400);
    expectEnvelope(res.body, false);
    expect(res.body.error.length).toBeGreaterThan(1);
  });
});
