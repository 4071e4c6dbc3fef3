// Sync with Open Dental, end to end over real HTTP: the connector is configured as an operator does it
// (set-connector's code, keys sealed under CONNECTOR_SECRETS_KEY) and built by the registry, against the local
// stand-in of Open Dental's API. Covers new patients, overwrites, statuses, linking the online registrant,
// never linking twins, appointments, a sync process killed mid-way, two sync processes at once, and 10,000
// patients.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setConnector } from '../src/cli/connectorCommands';
import { connectorRegistry } from '../src/connectors/registry';
import { syncInstitution } from '../src/sync/runSync';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';
import { type OpenDentalStandIn, startOpenDentalStandIn } from './support/openDentalStandIn';

const API_DIR = new URL('..', import.meta.url).pathname;
const ZONE = 'America/Chicago';
const KEYS = { developerKey: 'dev-7f3a', customerKey: 'cust-91bc' };
process.env.CONNECTOR_SECRETS_KEY ??= randomBytes(32).toString('base64');

/** An office-local appointment time `days` from now, as Open Dental writes it. */
const officeTime = (days: number) =>
  DateTime.now().setZone(ZONE).plus({ days }).startOf('hour').toFormat('yyyy-MM-dd HH:mm:ss');

/** The admin CLI's `sync`, as its own process (so it can be killed like one). */
function syncProcess(
  databaseUrl: string,
  subdomain: string,
): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/admin.ts', 'sync', '--subdomain', subdomain],
    {
      cwd: API_DIR,
      env: { ...process.env, DATABASE_URL: databaseUrl, SYNC_LEASE_SECONDS: '1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  const output = new Promise<string>((resolve) => child.on('exit', () => resolve(out)));
  return { child, output };
}

async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('sync with Open Dental on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let od: OpenDentalStandIn;
  const auth = () => `Bearer ${t.apiKey}`;
  const sync = () =>
    syncInstitution(
      { db: h.server.db, connectorFor: connectorRegistry(h.server.db, process.env.CONNECTOR_SECRETS_KEY) },
      t.institutionId,
    );
  const search = async (query: Record<string, string>) =>
    (
      await call(h.server, 'GET', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId, ...query },
        auth: auth(),
      })
    ).body.data.patients;
  const copies = async () =>
    Number(
      (
        await h.server.db
          .knex('patients')
          .where({ institution_id: t.institutionId, foreign_id_type: 'OpenDental' })
          .count({ n: '*' })
          .first()
      )?.n,
    );
  const pagesRead = () =>
    od.calls.filter((c) => c.path === '/patients/Simple' && c.query.includes('Offset')).length;

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'odsync');
    od = await startOpenDentalStandIn({ ...KEYS, timeZone: ZONE });
    // The office and our location keep the same clock.
    await h.server.db.knex('locations').where({ id: t.locationId }).update({ time_zone: ZONE });
    await setConnector(
      h.server.db,
      t.institutionId,
      {
        type: 'opendental',
        'base-url': od.url,
        'developer-key': KEYS.developerKey,
        'customer-key': KEYS.customerKey,
        map: [`${t.locationId}:1`],
      },
      { connectorSecretsKey: process.env.CONNECTOR_SECRETS_KEY },
    );
  });
  afterAll(async () => {
    await od.close();
    await h.stop();
  });

  it('keeps the keys sealed: the stored row shows neither', async () => {
    const row = await h.server.db
      .knex('institution_connectors')
      .where({ institution_id: t.institutionId })
      .first();
    expect(row.type).toBe('opendental');
    expect(JSON.stringify(row)).not.toContain(KEYS.developerKey);
    expect(JSON.stringify(row)).not.toContain(KEYS.customerKey);
  });

  it('brings in patients created in Open Dental, statuses mapped, findable at once', async () => {
    const active = od.addPatient({
      FName: 'Wilhelmina',
      LName: 'Vanderbeck',
      Birthdate: '1969-04-03',
      WirelessPhone: '(312)555-0161',
    });
    od.addPatient({ FName: 'Ignatius', LName: 'Gone', Birthdate: '1930-01-01', PatStatus: 'Inactive' });
    od.addPatient({ FName: 'Norma', LName: 'Guarantor', Birthdate: '1950-01-01', PatStatus: 'NonPatient' });
    const s = await sync();
    expect(s).toMatchObject({ ran: true, data_source: 'OpenDental', errors: 0 });
    expect(s.patients!.created).toBeGreaterThanOrEqual(3);
    const [w] = await search({ name: 'wilhelmina vanderbek' });
    expect(w).toMatchObject({
      foreign_id: String(active.PatNum),
      foreign_id_type: 'OpenDental',
      bio: { phone_number: '3125550161' },
    });
    expect((await search({ name: 'ignatius gone', inactive: 'true' }))[0]).toMatchObject({ inactive: true });
    expect((await search({ name: 'norma guarantor', non_patient: 'true' }))[0]).toMatchObject({
      non_patient: true,
    });
    expect(await sync()).toMatchObject({ created: 0, updated: 0, linked: 0 });
  });

  it('overwrites our copy when Open Dental changes it', async () => {
    const p = od.addPatient({
      FName: 'Otto',
      LName: 'Overwritten',
      Birthdate: '1972-02-02',
      Email: 'otto@old.example',
    });
    await sync();
    od.updatePatient(p.PatNum, { Email: 'otto@new.example', PatStatus: 'Archived' });
    expect(await sync()).toMatchObject({ patients: { updated: 1 } });
    expect((await search({ foreign_id: String(p.PatNum) }))[0]).toMatchObject({
      email: 'otto@new.example',
      inactive: true,
    });
  });

  it('links the patient registered online to the record the front desk typed, and never links twins', async () => {
    const post = (patient: unknown) =>
      call(h.server, 'POST', '/patients', {
        query: { subdomain: t.subdomain, location_id: t.locationId },
        body: { patient },
        auth: auth(),
      });
    const online = await post(
      newPatient(
        { first_name: 'Katherine', last_name: 'Linkwood', email: 'kate@example.com' },
        { date_of_birth: '1988-08-08', phone_number: '773-555-0140' },
      ),
    );
    const twin = await post(
      newPatient(
        { first_name: 'Lena', last_name: 'Twinley', email: 'twinley@example.com' },
        { date_of_birth: '2012-03-03', phone_number: '773-555-0150' },
      ),
    );
    expect([online.status, twin.status]).toEqual([201, 201]);
    const kate = od.addPatient({
      FName: 'Kate',
      LName: 'Linkwood',
      Birthdate: '1988-08-08',
      WirelessPhone: '(773)555-0140',
      Gender: 'Female',
    });
    od.addPatient({
      FName: 'Lana',
      LName: 'Twinley',
      Birthdate: '2012-03-03',
      WirelessPhone: '(773)555-0150',
      Email: 'twinley@example.com',
      Gender: 'Female',
    });
    const s = await sync();
    expect(s.links).toEqual([{ patient_id: online.body.data.user.id, foreign_id: String(kate.PatNum) }]);
    expect(s.patients).toMatchObject({ linked: 1, created: 1 });
    const lena = await call(h.server, 'GET', `/patients/${twin.body.data.user.id}`, {
      query: { subdomain: t.subdomain },
      auth: auth(),
    });
    expect(lena.body.data.foreign_id_type).toBe('nex');
  });

  it('brings appointments booked and broken in Open Dental into upcoming_appts', async () => {
    const p = od.addPatient({ FName: 'Agatha', LName: 'Appointed', Birthdate: '1961-06-16' });
    const appt = od.addAppointment({
      PatNum: p.PatNum,
      AptDateTime: officeTime(4),
      Op: 1,
      ProvNum: 2,
      Pattern: 'XXXXXX',
    });
    expect(await sync()).toMatchObject({ appointments: { created: 1 }, errors: 0 });
    const [local] = await search({ foreign_id: String(p.PatNum) });
    const shown = async () =>
      (
        await call(h.server, 'GET', `/patients/${local.id}`, {
          query: { subdomain: t.subdomain },
          auth: auth(),
        })
      ).body.data;
    const [up] = (await shown()).upcoming_appts;
    expect(Date.parse(up.end_time) - Date.parse(up.start_time)).toBe(30 * 60_000);
    expect(up.start_time).toBe(
      DateTime.fromFormat(appt.AptDateTime, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }).toUTC().toISO(),
    );
    od.updateAppointment(appt.AptNum, { AptStatus: 'Broken' });
    expect(await sync()).toMatchObject({ appointments: { updated: 1 } });
    expect((await shown()).upcoming_appts).toEqual([]);
  });

  it('a booking made here comes back from Open Dental unchanged', async () => {
    const made = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: { patient: newPatient({ first_name: 'Boris', last_name: 'Bookedhere' }) },
      auth: auth(),
    });
    const booked = await call(h.server, 'POST', '/appointments', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        appt: {
          patient_id: made.body.data.user.id,
          provider_id: t.providerId,
          start_time: DateTime.now().plus({ days: 3 }).startOf('hour').toUTC().toISO(),
        },
      },
      auth: auth(),
    });
    expect(booked.status).toBe(201);
    const s = await sync();
    // The appointment comes back as booked; the patient once, with what Open Dental adds to what we sent:
    // the phone we gave went in as the wireless phone, so it now reads as the cell phone too (SPEC 4.1).
    expect(s, JSON.stringify(s)).toMatchObject({ errors: 0, created: 0 });
    expect(s.appointments).toMatchObject({ created: 0, updated: 0 });
    expect(s.patients?.updated).toBeLessThanOrEqual(1);
    const again = await sync();
    expect(again, JSON.stringify(again)).toMatchObject({ errors: 0, created: 0, updated: 0 });
    const appt = await h.server.db.knex('appointments').where({ id: booked.body.data.appt.id }).first();
    expect(appt.provider_id).toBe(t.providerId);
  });

  it('a sync process killed mid-way resumes at the next page, losing nothing and duplicating nothing', async () => {
    const before = await copies();
    od.addPatients(1_000, 7);
    od.setDelay(150);
    const pagesBefore = pagesRead();
    const { child, output } = syncProcess(h.database.url, t.subdomain);
    await until(() => pagesRead() - pagesBefore >= 4);
    child.kill('SIGKILL');
    await output;
    od.setDelay(0);
    const committed = (await copies()) - before;
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(1_000);
    const stream = await h.server.db
      .knex('sync_streams')
      .where({ institution_id: t.institutionId, stream: 'patients' })
      .first();
    expect(stream.page).not.toBeNull();

    // The killed run's lock goes with it (its connection on PostgreSQL, a 1-second lease on SQLite).
    let resumed = await sync();
    await until(async () => {
      if (!resumed.ran) resumed = await sync();
      return resumed.ran;
    }, 10_000);
    expect(resumed).toMatchObject({ errors: 0 });
    expect(resumed.patients!.pages).toBeLessThan(10);
    expect(await copies()).toBe(before + 1_000);
    const distinct = await h.server.db
      .knex('patients')
      .where({ institution_id: t.institutionId, foreign_id_type: 'OpenDental' })
      .countDistinct({ n: 'foreign_id' })
      .first();
    expect(Number(distinct!.n)).toBe(before + 1_000);
  });

  it('two sync processes at once: one runs, the other says another is running', async () => {
    od.addPatients(300, 8);
    od.setDelay(300);
    const calls = od.calls.length;
    const first = syncProcess(h.database.url, t.subdomain);
    await until(() => od.calls.length > calls); // the first holds the lock once it reads
    const second = syncProcess(h.database.url, t.subdomain);
    const secondOut = JSON.parse(await second.output);
    od.setDelay(0);
    const firstOut = JSON.parse(await first.output);
    expect(secondOut).toMatchObject({ ran: false, reason: 'another sync of this institution is running' });
    expect(firstOut).toMatchObject({ ran: true, errors: 0 });
  });

  it('10,000 patients in Open Dental sync in one run', async () => {
    const before = await copies();
    od.addPatients(10_000, 9);
    const s = await sync();
    expect(s).toMatchObject({ errors: 0 });
    expect(s.patients!.pages).toBeGreaterThanOrEqual(100);
    expect(await copies()).toBe(before + 10_000);
  }, 180_000);
});
