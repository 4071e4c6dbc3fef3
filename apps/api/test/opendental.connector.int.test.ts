// The Open Dental connector over real HTTP against the local stand-in of Open Dental's API: paging and
// cursors, retries and timeouts, errors, insertion exactly once when an answer is lost; then the whole
// service (REST -> booking -> insertion) with the connector behind it, on every engine.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorMisconfigured,
  ConnectorRefused,
  type ConnectorScope,
  ConnectorUnreachable,
  type HealthRecordConnector,
  type HrsPatientInput,
  type ReadScope,
} from '../src/connectors/connector';
import { openDentalConnector } from '../src/connectors/opendental/connector';
import type { OpenDentalSettings } from '../src/connectors/opendental/settings';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';
import { type OpenDentalStandIn, startOpenDentalStandIn } from './support/openDentalStandIn';

const KEYS = { developer_key: 'dev-key-7f3a', customer_key: 'cust-key-91bc' };
const ZONE = 'America/Chicago';
// Small timeouts and backoff keep the suite quick; nothing below asserts on how long anything took.
const FAST = { timeoutMs: 300, retries: 3, retryBaseMs: 5 };
const scope = {} as ConnectorScope;
const readScope = {} as ReadScope;

function settingsFor(standIn: OpenDentalStandIn, locationId = 1): OpenDentalSettings {
  return {
    base_url: standIn.url,
    locations: [
      { location_id: locationId, clinic_num: null, operatory: 1, time_zone: ZONE },
      { location_id: locationId + 1, clinic_num: null, operatory: 3, time_zone: 'America/New_York' },
    ],
  };
}

const jane: HrsPatientInput = {
  first_name: 'Jane',
  last_name: 'Smithfield',
  middle_name: null,
  preferred_name: null,
  email: 'jane.smithfield@example.com',
  phone_number: '5366245871',
  date_of_birth: '1976-05-24',
  gender: 'Female',
};

/** Every message of an error the connector threw, checked for the things it must never carry. */
function expectNoSecrets(err: unknown) {
  const text = String((err as Error)?.message);
  for (const secret of [KEYS.developer_key, KEYS.customer_key, 'Smithfield', '1976-05-24', jane.email!]) {
    expect(text).not.toContain(secret);
  }
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Open Dental connector against the stand-in', () => {
  let standIn: OpenDentalStandIn;
  let od: HealthRecordConnector;
  let clock: Date;

  beforeEach(async () => {
    clock = new Date('2024-07-01T14:00:00Z');
    standIn = await startOpenDentalStandIn({
      developerKey: KEYS.developer_key,
      customerKey: KEYS.customer_key,
      timeZone: ZONE,
      now: () => clock,
    });
    od = openDentalConnector({ settings: settingsFor(standIn), keys: KEYS, ...FAST });
  });
  afterEach(() => standIn.close());

  const gets = (path: string) => standIn.calls.filter((c) => c.method === 'GET' && c.path === path);
  const posts = (path: string) => standIn.calls.filter((c) => c.method === 'POST' && c.path === path);

  it('reads 250 changed patients over 3 pages; the cursor is the serverDateTime of the first page', async () => {
    standIn.addPatients(250, 7);
    clock = new Date('2024-07-01T14:00:30Z'); // 09:00:30 in Chicago
    const seen: string[] = [];
    let page: string | null = null;
    const cursors: string[] = [];
    do {
      const r = await od.patientsChangedSince(readScope, null, page);
      seen.push(...r.items.map((p) => p.foreign_id));
      cursors.push(r.cursor);
      page = r.next;
      clock = new Date(clock.getTime() + 1_000); // later pages answer with a later serverDateTime
    } while (page);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(cursors).toEqual(['2024-07-01 09:00:30', '2024-07-01 09:00:30', '2024-07-01 09:00:30']);
    const reads = gets('/patients/Simple');
    expect(reads.map((c) => new URLSearchParams(c.query).get('Offset'))).toEqual(['0', '100', '200']);
    expect(reads.every((c) => new URLSearchParams(c.query).get('Limit') === '100')).toBe(true);
    expect(reads.every((c) => !new URLSearchParams(c.query).has('DateTStamp'))).toBe(true);

    // Handed back, the cursor is read a few seconds early: only what changed since then comes back.
    clock = new Date('2024-07-01T14:05:00Z');
    const [a, b] = standIn.patients();
    standIn.updatePatient(a!.PatNum, { WirelessPhone: '(312)555-0199' });
    standIn.updatePatient(b!.PatNum, { PatStatus: 'Inactive' });
    const again = await od.patientsChangedSince(readScope, cursors[0]!, null);
    expect(again.items.map((p) => p.foreign_id).sort()).toEqual(
      [String(a!.PatNum), String(b!.PatNum)].sort(),
    );
    expect(again.items.find((p) => p.foreign_id === String(b!.PatNum))?.inactive).toBe(true);
    expect(again.next).toBeNull();
    expect(again.cursor).toBe('2024-07-01 09:05:00');
    expect(new URLSearchParams(gets('/patients/Simple').at(-1)!.query).get('DateTStamp')).toBe(
      '2024-07-01 09:00:25',
    );

    // A minute later the overlap re-reads those two once more (sync applies them again, harmlessly) ...
    clock = new Date('2024-07-01T14:06:00Z');
    const overlap = await od.patientsChangedSince(readScope, again.cursor, null);
    expect(overlap.items).toHaveLength(2);
    expect(overlap.cursor).toBe('2024-07-01 09:06:00');
    // ... and once nothing changed in the window, nothing comes back and the cursor stays where it was.
    const none = await od.patientsChangedSince(readScope, overlap.cursor, null);
    expect(none).toEqual({ items: [], next: null, cursor: '2024-07-01 09:06:00' });
  });

  it('caps Limit at 100, as Open Dental does', async () => {
    standIn.addPatients(150, 1);
    const res = await fetch(`${standIn.url}/patients/Simple?Limit=500`, {
      headers: { authorization: `ODFHIR ${KEYS.developer_key}/${KEYS.customer_key}` },
    });
    expect(((await res.json()) as unknown[]).length).toBe(100);
  });

  it('retries a read after 429 (honouring Retry-After) and 500, then succeeds', async () => {
    standIn.addPatient({ LName: 'Smith', FName: 'Ann', Birthdate: '1980-01-02' });
    standIn.injectFault({ kind: '429', method: 'GET', path: '/patients/Simple', retryAfter: 0 });
    standIn.injectFault({ kind: '500', method: 'GET', path: '/patients/Simple', nth: 2 });
    const found = await od.findByBirthDate(scope, {
      ...jane,
      date_of_birth: '1980-01-02',
      demographics_defaulted: [],
    });
    expect(found.map((p) => p.first_name)).toEqual(['Ann']);
    expect(gets('/patients/Simple').map((c) => c.outcome)).toEqual([429, 500, 200]);
  });

  it('gives up waiting on a hung call and tries again', async () => {
    standIn.injectFault({ kind: 'hang', method: 'GET', path: '/appointments' });
    const r = await od.appointmentsChangedSince(readScope, null, null);
    expect(r.items).toEqual([]);
    expect(gets('/appointments').map((c) => c.outcome)).toEqual(['hang', 200]);
  });

  it('tries again after a dropped connection', async () => {
    standIn.injectFault({ kind: 'drop', method: 'GET', path: '/patients/Simple' });
    await od.patientsChangedSince(readScope, null, null);
    expect(gets('/patients/Simple').map((c) => c.outcome)).toEqual(['drop', 200]);
  });

  it('out of retries: ConnectorUnreachable (a 502), naming no key and no patient', async () => {
    standIn.injectFault({ kind: '500', path: '/patients/Simple', times: 100 });
    const err = await caught(od.findByBirthDate(scope, { ...jane, demographics_defaulted: [] }));
    expect(err).toBeInstanceOf(ConnectorUnreachable);
    expect(err).not.toBeInstanceOf(ConnectorMisconfigured);
    expect((err as Error).message).toMatch(
      /GET \/patients\/Simple: server error 500; gave up after 4 attempts/,
    );
    expectNoSecrets(err);
    expect(gets('/patients/Simple')).toHaveLength(4);
  });

  it('wrong keys: ConnectorMisconfigured at once, pointing at set-connector', async () => {
    const wrong = openDentalConnector({
      settings: settingsFor(standIn),
      keys: { ...KEYS, customer_key: 'not-the-key' },
      ...FAST,
    });
    const err = await caught(wrong.insertPatient(scope, jane));
    expect(err).toBeInstanceOf(ConnectorMisconfigured);
    expect((err as Error).message).toMatch(/set-connector/);
    expect((err as Error).message).not.toContain('not-the-key');
    expectNoSecrets(err);
    expect(standIn.calls).toHaveLength(1);
    expect(standIn.patients()).toHaveLength(0);
  });

  it('a refusal is ConnectorRefused with Open Dental own explanation', async () => {
    const err = await caught(
      od.bookAppointment(scope, {
        foreign_patient_id: '999',
        provider_id: 1,
        location_id: 1,
        start_time: '2024-08-01T15:00:00.000Z',
        end_time: '2024-08-01T15:30:00.000Z',
        note: null,
      }),
    );
    expect(err).toBeInstanceOf(ConnectorRefused);
    expect((err as Error).message).toBe('Open Dental: Patient not found.');
  });

  it('a location with no operatory mapped is refused with a clear message, before any call', async () => {
    const err = await caught(
      od.bookAppointment(scope, {
        foreign_patient_id: '1',
        provider_id: 1,
        location_id: 42,
        start_time: '2024-08-01T15:00:00.000Z',
        end_time: '2024-08-01T15:30:00.000Z',
        note: null,
      }),
    );
    expect(err).toBeInstanceOf(ConnectorRefused);
    expect((err as Error).message).toMatch(/location 42 has no Open Dental operatory/);
    expect(standIn.calls).toHaveLength(0);
  });

  it('inserts a patient: looks first, then posts once', async () => {
    const { foreign_id } = await od.insertPatient(scope, jane);
    const [p] = standIn.patients();
    expect(foreign_id).toBe(String(p!.PatNum));
    expect(p).toMatchObject({
      LName: 'Smithfield',
      FName: 'Jane',
      Birthdate: '1976-05-24',
      Gender: 'Female',
      Email: 'jane.smithfield@example.com',
      WirelessPhone: '(536)624-5871',
    });
    expect(standIn.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /patients/Simple',
      'POST /patients',
    ]);
  });

  it('links to the same person already in Open Dental (a nickname, a stored phone) instead of a second record', async () => {
    const robert = standIn.addPatient({
      LName: 'Smithfield',
      FName: 'Robert',
      Birthdate: '1970-03-04',
      Gender: 'Male',
      HmPhone: '(212)555-0143',
    });
    const { foreign_id } = await od.insertPatient(scope, {
      ...jane,
      first_name: 'Bob',
      email: null,
      phone_number: '2125550143',
      date_of_birth: '1970-03-04',
      gender: 'Male',
    });
    expect(foreign_id).toBe(String(robert.PatNum));
    expect(posts('/patients')).toHaveLength(0);
    // A twin (same birth date and phone, another first name) is another person.
    await od.insertPatient(scope, {
      ...jane,
      first_name: 'Ronald',
      email: null,
      phone_number: '2125550143',
      date_of_birth: '1970-03-04',
      gender: 'Male',
    });
    expect(standIn.patients()).toHaveLength(2);
  });

  it.each([
    ['hang', 'the answer never comes'],
    ['drop', 'the connection drops'],
    ['500', 'a server error follows'],
  ] as const)(
    'inserts exactly once when, after Open Dental created the record, %s (%s)',
    async (kind, _how) => {
      standIn.injectFault({ kind, method: 'POST', path: '/patients', after: true });
      const { foreign_id } = await od.insertPatient(scope, jane);
      expect(standIn.patients()).toHaveLength(1);
      expect(foreign_id).toBe(String(standIn.patients()[0]!.PatNum));
      expect(posts('/patients')).toHaveLength(1);
    },
  );

  it('never posts twice without looking in between', async () => {
    standIn.injectFault({ kind: '500', method: 'POST', path: '/patients' }); // before anything was created
    await od.insertPatient(scope, jane);
    expect(standIn.calls.map((c) => `${c.method} ${c.path} ${c.outcome}`)).toEqual([
      'GET /patients/Simple 200',
      'POST /patients 500',
      'GET /patients/Simple 200',
      'POST /patients 201',
    ]);
    expect(standIn.patients()).toHaveLength(1);
  });

  it('a write out of retries is ConnectorUnreachable and leaves nothing behind', async () => {
    standIn.injectFault({ kind: 'drop', method: 'POST', path: '/patients', times: 100 });
    const err = await caught(od.insertPatient(scope, jane));
    expect(err).toBeInstanceOf(ConnectorUnreachable);
    expectNoSecrets(err);
    expect(posts('/patients')).toHaveLength(4);
    expect(standIn.patients()).toHaveLength(0);
  });

  it('books an appointment in the mapped operatory, office-local time and pattern; once when the answer is lost', async () => {
    const p = standIn.addPatient({ LName: 'Smithfield', FName: 'Jane' });
    standIn.injectFault({ kind: 'drop', method: 'POST', path: '/appointments', after: true });
    const { foreign_id } = await od.bookAppointment(scope, {
      foreign_patient_id: String(p.PatNum),
      provider_id: 9,
      provider_foreign_id: '3',
      location_id: 2, // operatory 3, New York
      start_time: '2024-08-01T15:00:00.000Z',
      end_time: '2024-08-01T15:45:00.000Z',
      note: 'Cleaning',
    });
    const appts = standIn.appointments();
    expect(appts).toHaveLength(1);
    expect(appts[0]).toMatchObject({
      AptNum: Number(foreign_id),
      PatNum: p.PatNum,
      Op: 3,
      AptDateTime: '2024-08-01 11:00:00',
      Pattern: 'XXXXXXXXX',
      ProvNum: 3,
      Note: 'Cleaning',
      AptStatus: 'Scheduled',
    });
    expect(posts('/appointments')).toHaveLength(1);
    const look = gets('/appointments').at(-1)!;
    expect(Object.fromEntries(new URLSearchParams(look.query))).toMatchObject({
      PatNum: String(p.PatNum),
      dateStart: '2024-08-01',
      dateEnd: '2024-08-01',
    });
  });

  it('reads changed appointments: provider names, locations, and a broken one as cancelled', async () => {
    const p = standIn.addPatient({ LName: 'Smithfield', FName: 'Jane' });
    const kept = standIn.addAppointment({
      PatNum: p.PatNum,
      AptDateTime: '2024-08-01 09:00:00',
      Op: 1,
      ProvNum: 1,
      Pattern: '/XXXX/',
    });
    const broken = standIn.addAppointment({
      PatNum: p.PatNum,
      AptDateTime: '2024-08-02 10:00:00',
      Op: 3,
      ProvNum: 2,
    });
    const res = await fetch(`${standIn.url}/appointments/${broken.AptNum}/Break`, {
      method: 'PUT',
      headers: {
        authorization: `ODFHIR ${KEYS.developer_key}/${KEYS.customer_key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ sendToUnscheduledList: 'true' }),
    });
    expect(res.status).toBe(200);
    const r = await od.appointmentsChangedSince(readScope, null, null);
    expect(r.items).toEqual([
      {
        foreign_id: String(kept.AptNum),
        foreign_patient_id: String(p.PatNum),
        provider_id: null,
        provider: { foreign_id: '1', name: 'Brian Albert' },
        location_id: 1,
        start_time: '2024-08-01T14:00:00.000Z',
        end_time: '2024-08-01T14:30:00.000Z',
        cancelled: false,
        confirmed: false,
        note: null,
      },
      expect.objectContaining({
        foreign_id: String(broken.AptNum),
        provider: { foreign_id: '2', name: 'Tina Jones' },
        location_id: 2,
        start_time: '2024-08-02T14:00:00.000Z',
        cancelled: true,
      }),
    ]);
    expect(r.cursor).toBe(standIn.serverDateTime());
  });

  it('bad settings fail each call as misconfigured, not where the connector is built', async () => {
    const broken = openDentalConnector({
      settings: { base_url: 'not a url', locations: [] },
      keys: KEYS,
    });
    const err = await caught(broken.patientsChangedSince(readScope, null, null));
    expect(err).toBeInstanceOf(ConnectorMisconfigured);
    expect((err as Error).message).toMatch(/base_url/);
  });
});

describe.each(ENGINES)('booking through the service with Open Dental behind it, on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let standIn: OpenDentalStandIn;
  let current: HealthRecordConnector;
  const auth = () => `Bearer ${t.apiKey}`;
  const inHours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();

  const createPatient = async (overrides: Record<string, unknown> = {}) => {
    const res = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: newPatient(overrides) },
      auth: auth(),
    });
    expect(res.status).toBe(201);
    return res.body.data.user;
  };
  const book = (patientId: number, start: string) =>
    call(h.server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        appt: { patient_id: patientId, provider_id: t.providerId, start_time: start, note: 'First visit' },
      },
      auth: auth(),
    });
  const getPatient = async (id: number) =>
    (await call(h.server, 'GET', `/patients/${id}`, { query: { subdomain: t.subdomain }, auth: auth() })).body
      .data;
  const appointmentsOf = async (patientId: number) =>
    (
      await call(h.server, 'GET', '/appointments', {
        query: {
          subdomain: t.subdomain,
          location_id: t.locationId,
          start: inHours(-1),
          end: inHours(24 * 30),
          'patient_ids[]': patientId,
        },
        auth: auth(),
      })
    ).body.data.appointments;

  beforeAll(async () => {
    standIn = await startOpenDentalStandIn({
      developerKey: KEYS.developer_key,
      customerKey: KEYS.customer_key,
      timeZone: ZONE,
    });
    h = await startHarness(engine, { connectorFor: async () => current });
    t = await createTenant(h.server, 'opendental');
    current = openDentalConnector({ settings: settingsFor(standIn, t.locationId), keys: KEYS, ...FAST });
  });
  afterAll(async () => {
    await h.stop();
    await standIn.close();
  });

  it('the first booking inserts the patient into Open Dental once; foreign_id is the PatNum', async () => {
    const p = await createPatient({ first_name: 'Olivia', last_name: 'Dentalworth' });
    const start = inHours(48);
    const res = await book(p.id, start);
    expect(res.status).toBe(201);
    const inOd = standIn.patients().filter((x) => x.LName === 'Dentalworth');
    expect(inOd).toHaveLength(1);
    const after = await getPatient(p.id);
    expect(after.foreign_id).toBe(String(inOd[0]!.PatNum));
    expect(after.foreign_id_type).toBe('OpenDental');
    const appts = standIn.appointments().filter((a) => a.PatNum === inOd[0]!.PatNum);
    expect(appts).toHaveLength(1);
    expect(appts[0]).toMatchObject({ Op: 1, Pattern: 'XXXXXX', Note: 'First visit' });
    expect(appts[0]!.AptDateTime).toBe(
      new Date(start).toLocaleString('sv-SE', { timeZone: ZONE }).slice(0, 19),
    );

    // A second booking only books: the patient is not inserted again.
    expect((await book(p.id, inHours(72))).status).toBe(201);
    expect(standIn.patients().filter((x) => x.LName === 'Dentalworth')).toHaveLength(1);
  });

  it('with Open Dental down: 502, the patient unchanged, nothing booked', async () => {
    const down = await startOpenDentalStandIn({ developerKey: 'x', customerKey: 'y' });
    const url = down.url;
    await down.close();
    const saved = current;
    current = openDentalConnector({
      settings: { ...settingsFor(standIn, t.locationId), base_url: url },
      keys: KEYS,
      ...FAST,
    });
    try {
      const p = await createPatient({ first_name: 'Dora', last_name: 'Downtime' });
      const res = await book(p.id, inHours(96));
      expect(res.status).toBe(502);
      expect(res.body.code).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain(KEYS.customer_key);
      const after = await getPatient(p.id);
      expect(after).toMatchObject({ foreign_id_type: 'nex', new_patient: true, upcoming_appts: [] });
      expect(await appointmentsOf(p.id)).toEqual([]);
    } finally {
      current = saved;
    }
  });

  const patchAppt = (id: number, appt: Record<string, unknown>) =>
    call(h.server, 'PATCH', `/appointments/${id}`, {
      query: { subdomain: t.subdomain },
      body: { appt },
      auth: auth(),
    });

  it('confirms and cancels an inserted appointment in Open Dental too (SPEC 5)', async () => {
    const p = await createPatient({ first_name: 'Conrad', last_name: 'Confirmer' });
    const booked = await book(p.id, inHours(150));
    expect(booked.status).toBe(201);
    const apt = () =>
      standIn.appointments().find((a) => String(a.AptNum) === booked.body.data.appt.foreign_id)!;

    const confirmed = await patchAppt(booked.body.data.appt.id, { confirmed: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data.appt).toMatchObject({ confirmed: true, cancelled: false });
    expect(apt().confirmed).toBe('Confirmed');

    const cancelled = await patchAppt(booked.body.data.appt.id, { cancelled: true });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.appt.cancelled).toBe(true);
    expect(apt().AptStatus).toBe('Broken');
  });

  it('a cancellation Open Dental refuses changes nothing here, with its reason (400)', async () => {
    const p = await createPatient({ first_name: 'Rhoda', last_name: 'Refused' });
    const booked = await book(p.id, inHours(160));
    const apt = standIn.appointments().find((a) => String(a.AptNum) === booked.body.data.appt.foreign_id)!;
    // Completed there meanwhile: Open Dental breaks only Scheduled appointments.
    await fetch(`${standIn.url}/appointments/${apt.AptNum}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `ODFHIR ${KEYS.developer_key}/${KEYS.customer_key}`,
      },
      body: JSON.stringify({ AptStatus: 'Complete' }),
    });
    const res = await patchAppt(booked.body.data.appt.id, { cancelled: true });
    expect(res.status).toBe(400);
    expect(res.body.error[0]).toMatch(
      /^The health record system refused the change: Open Dental: .*Scheduled/,
    );
    expect((await appointmentsOf(p.id))[0]).toMatchObject({ cancelled: false });
  });

  it('sends the bio details at insertion and reads them back', async () => {
    const p = await createPatient({ first_name: 'Bianca', last_name: 'Biodetail' });
    await call(h.server, 'PATCH', `/patients/${p.id}`, {
      query: { subdomain: t.subdomain },
      body: {
        patient: {
          bio: {
            cell_phone_number: '9175550151',
            address_line_1: '5 Oak Ave',
            city: 'Austin',
            state: 'TX',
            zip_code: '78701',
          },
        },
      },
      auth: auth(),
    });
    expect((await book(p.id, inHours(170))).status).toBe(201);
    const there = standIn.patients().find((x) => x.LName === 'Biodetail')!;
    expect(there).toMatchObject({
      WirelessPhone: '(917)555-0151',
      Address: '5 Oak Ave',
      City: 'Austin',
      State: 'TX',
      Zip: '78701',
    });
    const [mapped] = (
      await current.findByBirthDate(scope, { date_of_birth: p.bio.date_of_birth } as never)
    ).filter((r) => r.last_name === 'Biodetail');
    expect(mapped).toMatchObject({
      cell_phone_number: '9175550151',
      address_line_1: '5 Oak Ave',
      zip_code: '78701',
    });
  });

  it('with the first answer lost after Open Dental created the record: still one record', async () => {
    const p = await createPatient({ first_name: 'Lars', last_name: 'Lostanswer' });
    standIn.injectFault({ kind: 'drop', method: 'POST', path: '/patients', after: true });
    const res = await book(p.id, inHours(120));
    expect(res.status).toBe(201);
    const inOd = standIn.patients().filter((x) => x.LName === 'Lostanswer');
    expect(inOd).toHaveLength(1);
    expect((await getPatient(p.id)).foreign_id).toBe(String(inOd[0]!.PatNum));
  });
});

describe('the stand-in driven over HTTP (as a test does while a sync runs in a child process)', () => {
  let standIn: OpenDentalStandIn;
  beforeAll(async () => {
    standIn = await startOpenDentalStandIn({
      developerKey: KEYS.developer_key,
      customerKey: KEYS.customer_key,
    });
  });
  afterAll(() => standIn.close());
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${standIn.url}/_standin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('adds 10,000 patients in bulk, and the connector reads them all, page by page', async () => {
    const added = await control('POST', 'patients', { count: 10_000, seed: 42 });
    expect(added.body).toMatchObject({ added: 10_000, first: 1, last: 10_000 });
    const od = openDentalConnector({ settings: settingsFor(standIn), keys: KEYS, ...FAST });
    const ids = new Set<string>();
    let page: string | null = null;
    let pages = 0;
    do {
      const r = await od.patientsChangedSince(readScope, null, page);
      for (const p of r.items) ids.add(p.foreign_id);
      page = r.next;
      pages++;
    } while (page);
    expect(ids.size).toBe(10_000);
    expect(pages).toBe(101); // 100 full pages, then an empty one says it is over
    const state = await control('GET', 'state');
    expect(state.body).toMatchObject({ patients: 10_000, appointments: 0, providers: 3 });
    expect(state.body.calls).toHaveLength(101);
  });

  it('takes faults and a delay; answers 401 without the key pair', async () => {
    expect((await control('POST', 'faults', [{ kind: '500', path: '/providers' }])).body).toEqual({
      faults: 1,
    });
    expect((await control('POST', 'delay', { ms: 1 })).body).toEqual({ delay_ms: 1 });
    const headers = { authorization: `ODFHIR ${KEYS.developer_key}/${KEYS.customer_key}` };
    expect((await fetch(`${standIn.url}/providers`, { headers })).status).toBe(500);
    expect((await fetch(`${standIn.url}/providers`, { headers })).status).toBe(200);
    expect((await fetch(`${standIn.url}/providers`)).status).toBe(401);
    expect((await control('POST', 'delay', { ms: 0 })).body).toEqual({ delay_ms: 0 });
    await control('POST', 'faults', { kind: 'hang', path: '/patients*', times: 5 });
    expect((await control('DELETE', 'faults')).body).toEqual({ faults: 0 });
    expect((await control('GET', 'state')).body.faults).toEqual([]);
  });
});
