// SPEC 7 sync, with the embedded reference system as the health record system: records typed straight into
// it (as front-desk staff would) come in, overwrite our copies, link the online registrant, never link twins,
// and bring appointments; killed or failing runs resume without loss; one run per institution at a time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorUnreachable, type HealthRecordConnector } from '../src/connectors/connector';
import { addReferencePatient, referenceConnector } from '../src/connectors/reference';
import { connectorRegistry } from '../src/connectors/registry';

// The reference system's own clock: these rows stand for changes made in the health record system.
const nowIso = () => new Date().toISOString();

import { syncInstitution } from '../src/sync/runSync';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

describe.each(ENGINES)('sync with the reference system on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let other: Tenant;
  const auth = () => `Bearer ${t.apiKey}`;
  const sync = (connector?: HealthRecordConnector, institutionId = t.institutionId) =>
    syncInstitution(
      {
        db: h.server.db,
        connectorFor: connector ? async () => connector : connectorRegistry(h.server.db, undefined),
      },
      institutionId,
    );
  const knex = () => h.server.db.knex;
  const search = async (query: Record<string, string>) =>
    call(h.server, 'GET', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId, ...query },
      auth: auth(),
    });
  const frontDesk = (
    p: Partial<Parameters<typeof addReferencePatient>[2]> & { first_name: string; last_name: string },
    inst = t,
  ) =>
    addReferencePatient(knex(), inst.institutionId, {
      middle_name: null,
      preferred_name: null,
      email: null,
      phone_number: null,
      date_of_birth: null,
      gender: null,
      ...p,
    });
  /** Changes a record in the reference system as its own staff would: new values, new change time. */
  const editThere = (id: string, fields: Record<string, unknown>) =>
    knex()('ref_hrs_patients')
      .where({ id: Number(id) })
      .update({ ...fields, updated_at: nowIso() });

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'syncer');
    other = await createTenant(h.server, 'elsewhere');
  });
  afterAll(async () => h.stop());
  // Each test starts from a synced state, so counts speak only of what the test did.
  beforeEach(async () => {
    await sync();
  });

  it('brings in a patient created in the health record system, findable by search at once', async () => {
    const hrs = await frontDesk({
      first_name: 'Theodora',
      last_name: 'Quillfeather',
      date_of_birth: '1977-03-04',
      phone_number: '(646) 555-0199',
    });
    const s = await sync();
    expect(s).toMatchObject({ ran: true, data_source: 'ReferenceHRS', created: 1, errors: 0 });
    const found = await search({ name: 'theodora quilfeather' });
    expect(found.body.data.patients).toHaveLength(1);
    expect(found.body.data.patients[0]).toMatchObject({
      first_name: 'Theodora',
      foreign_id: hrs.foreign_id,
      foreign_id_type: 'ReferenceHRS',
      bio: { phone_number: '6465550199', date_of_birth: '1977-03-04' },
    });
    expect(found.body.data.patients[0].last_sync_time).toEqual(expect.any(String));
  });

  it('overwrites the copy of an inserted patient (the health record system wins) and maps statuses', async () => {
    const hrs = await frontDesk({
      first_name: 'Ada',
      last_name: 'Overwrite',
      date_of_birth: '1960-01-02',
      email: 'ada@old.example',
    });
    await sync();
    await editThere(hrs.foreign_id, { email: 'Ada@New.Example', status: 'Inactive' });
    expect(await sync()).toMatchObject({ updated: 1, created: 0 });
    let [p] = (await search({ foreign_id: hrs.foreign_id })).body.data.patients;
    expect(p).toMatchObject({ email: 'ada@new.example', inactive: true, non_patient: false });
    await editThere(hrs.foreign_id, { status: 'NonPatient' });
    await sync();
    [p] = (await search({ foreign_id: hrs.foreign_id })).body.data.patients;
    expect(p).toMatchObject({ inactive: false, non_patient: true });
  });

  it('renaming there moves the patient in search (the name keys follow)', async () => {
    const hrs = await frontDesk({ first_name: 'Petra', last_name: 'Oldname', date_of_birth: '1981-05-06' });
    await sync();
    await editThere(hrs.foreign_id, { last_name: 'Newname' });
    await sync();
    expect((await search({ name: 'petra newname' })).body.data.patients).toHaveLength(1);
    expect((await search({ name: 'petra oldname' })).body.data.patients).toHaveLength(0);
  });

  it('a second run changes nothing', async () => {
    await frontDesk({ first_name: 'Idem', last_name: 'Potent', date_of_birth: '1990-09-09' });
    expect((await sync()).created).toBe(1);
    const again = await sync();
    expect(again).toMatchObject({ created: 0, updated: 0, linked: 0, skipped: 0, errors: 0 });
  });

  it('links the online registrant instead of keeping two records', async () => {
    const created = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        provider: { provider_id: t.providerId },
        patient: newPatient(
          { first_name: 'Robert', last_name: 'Linkletter', email: 'bob.link@example.com' },
          { date_of_birth: '1971-11-12', phone_number: '212-555-0142', gender: 'Male' },
        ),
      },
      auth: auth(),
    });
    expect(created.status).toBe(201);
    const id = created.body.data.user.id;
    const hrs = await frontDesk({
      first_name: 'Bob',
      last_name: 'Linkletter',
      date_of_birth: '1971-11-12',
      phone_number: '(212) 555 0142',
      gender: 'Male',
    });
    const before = await knex()('patients')
      .where({ institution_id: t.institutionId })
      .count({ n: '*' })
      .first();

    const s = await sync();
    expect(s).toMatchObject({ linked: 1, created: 0 });
    expect(s.links).toEqual([{ patient_id: id, foreign_id: hrs.foreign_id }]);
    const after = await knex()('patients')
      .where({ institution_id: t.institutionId })
      .count({ n: '*' })
      .first();
    expect(Number(after!.n)).toBe(Number(before!.n));
    const got = await call(h.server, 'GET', `/patients/${id}`, {
      query: { subdomain: t.subdomain },
      auth: auth(),
    });
    expect(got.body.data).toMatchObject({
      foreign_id: hrs.foreign_id,
      foreign_id_type: 'ReferenceHRS',
      first_name: 'Bob',
      bio: { gender: 'Male', phone_number: '2125550142' },
    });
  });

  it('never links twins, or family sharing a phone and email', async () => {
    const shared = { date_of_birth: '2015-06-01', phone_number: '212-555-0177' };
    const created = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      body: {
        patient: newPatient(
          { first_name: 'Ella', last_name: 'Twinning', email: 'twins@example.com' },
          shared,
        ),
      },
      auth: auth(),
    });
    expect(created.status).toBe(201);
    await frontDesk({ first_name: 'Emma', last_name: 'Twinning', email: 'twins@example.com', ...shared });
    const s = await sync();
    expect(s).toMatchObject({ linked: 0, created: 1 });
    const ella = await call(h.server, 'GET', `/patients/${created.body.data.user.id}`, {
      query: { subdomain: t.subdomain },
      auth: auth(),
    });
    expect(ella.body.data.foreign_id_type).toBe('nex');
  });

  it('brings appointments booked and cancelled there into upcoming_appts', async () => {
    const hrs = await frontDesk({
      first_name: 'Apollonia',
      last_name: 'Booker',
      date_of_birth: '1955-12-12',
    });
    await sync();
    const [appt] = await knex()('ref_hrs_appointments')
      .insert({
        institution_id: t.institutionId,
        ref_patient_id: Number(hrs.foreign_id),
        provider_id: t.providerId,
        location_id: t.locationId,
        start_time: inDays(3),
        end_time: inDays(3.02),
        status: 'Scheduled',
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .returning('id');
    expect(await sync()).toMatchObject({ appointments: { created: 1 } });
    const [p] = (await search({ foreign_id: hrs.foreign_id })).body.data.patients;
    const shown = await call(h.server, 'GET', `/patients/${p.id}`, {
      query: { subdomain: t.subdomain },
      auth: auth(),
    });
    expect(shown.body.data.upcoming_appts).toHaveLength(1);
    expect(shown.body.data.upcoming_appts[0]).toMatchObject({
      provider_id: t.providerId,
    });

    await knex()('ref_hrs_appointments')
      .where({ id: appt.id ?? appt })
      .update({ status: 'Broken', updated_at: nowIso() });
    expect(await sync()).toMatchObject({ appointments: { updated: 1 } });
    const after = await call(h.server, 'GET', `/patients/${p.id}`, {
      query: { subdomain: t.subdomain },
      auth: auth(),
    });
    expect(after.body.data.upcoming_appts).toHaveLength(0);
  });

  it("never brings another institution's records in", async () => {
    await frontDesk({ first_name: 'Otto', last_name: 'Elsewhere', date_of_birth: '1966-06-06' }, other);
    await sync();
    expect((await search({ name: 'otto elsewhere' })).body.data.patients).toHaveLength(0);
    expect(await sync(undefined, other.institutionId)).toMatchObject({ created: 1 });
  });

  it('a run that fails mid-way keeps the pages it committed and the next run resumes without duplicates', async () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => ({
      institution_id: t.institutionId,
      first_name: `Bulk${i}`,
      last_name: 'Pagewise',
      date_of_birth: '1999-01-01',
      status: 'Patient',
      created_at: nowIso(),
      updated_at: nowIso(),
    }));
    for (let i = 0; i < rows.length; i += 300)
      await knex()('ref_hrs_patients').insert(rows.slice(i, i + 300));
    let calls = 0;
    const failsOnSecondPage: HealthRecordConnector = {
      ...referenceConnector,
      async patientsChangedSince(scope, since, page) {
        if (++calls === 2) throw new ConnectorUnreachable('connection reset');
        return referenceConnector.patientsChangedSince(scope, since, page);
      },
    };
    const first = await sync(failsOnSecondPage);
    // One page of 500 committed (a few of them re-reads of earlier tests' records: the overlap).
    expect(first).toMatchObject({ errors: 1, patients: { pages: 1, pulled: 500 } });
    const second = await sync();
    expect(second).toMatchObject({ errors: 0 });
    expect(first.patients!.created + second.patients!.created).toBe(1_200);
    const n = await knex()('patients')
      .where({ institution_id: t.institutionId, last_name: 'Pagewise' })
      .count({ n: '*' })
      .first();
    expect(Number(n!.n)).toBe(1_200);
  });

  it('two runs of one institution at once: one runs, the other says so and does nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: HealthRecordConnector = {
      ...referenceConnector,
      async patientsChangedSince(scope, since, page) {
        await gate;
        return referenceConnector.patientsChangedSince(scope, since, page);
      },
    };
    const first = sync(slow);
    await new Promise((r) => setTimeout(r, 100));
    const second = await sync();
    expect(second).toMatchObject({ ran: false });
    release();
    expect(await first).toMatchObject({ ran: true });
    // Free again afterwards.
    expect(await sync()).toMatchObject({ ran: true });
  });
});
