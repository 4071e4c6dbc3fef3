// SPEC 4.1's bio object: every field of NexHealth's bio stored, returned (always present, null when unknown)
// and accepted on create and edit; every phone normalised and checked under its own name; a phone search
// matches any of a patient's phones; the read-only flags accepted only when they agree; the reference health
// record system keeps the fields, so they travel to it at insertion and back from it with sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorRegistry } from '../src/connectors/registry';
import { syncInstitution } from '../src/sync/runSync';
import { call, createTenant, ENGINES, type Harness, newPatient, startHarness, type Tenant } from './harness';

const BIO_KEYS = [
  'address_line_1',
  'address_line_2',
  'cell_phone_number',
  'city',
  'date_of_birth',
  'gender',
  'home_phone_number',
  'new_patient',
  'non_patient',
  'phone_number',
  'state',
  'street_address',
  'work_phone_number',
  'zip_code',
];

describe.each(ENGINES)('bio fields on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  const q = () => ({ subdomain: t.subdomain, location_id: t.locationId });
  const create = (patient: unknown) =>
    call(h.server, 'POST', '/patients', { query: q(), body: { patient }, auth: t.apiKey });
  const patch = (id: number, patient: unknown) =>
    call(h.server, 'PATCH', `/patients/${id}`, {
      query: { subdomain: t.subdomain },
      body: { patient },
      auth: t.apiKey,
    });
  const byPhone = async (phone: string) =>
    (
      await call(h.server, 'GET', '/patients', { query: { ...q(), phone_number: phone }, auth: t.apiKey })
    ).body.data.patients.map((p: { id: number }) => p.id);

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'biofields');
  }, 60_000);
  afterAll(async () => {
    await h.stop();
  });

  it('stores and returns every bio field, normalised, and null for what was not given', async () => {
    const full = await create(
      newPatient(
        { last_name: 'Fullbio' },
        {
          cell_phone_number: '(917) 555-0181',
          home_phone_number: '+1 718.555.0182',
          work_phone_number: '646-555-0183',
          street_address: '12 Elm St, Apt 4',
          address_line_1: '12 Elm St',
          address_line_2: 'Apt 4',
          city: 'Brooklyn',
          state: 'NY',
          zip_code: '11201',
          new_patient: true,
          non_patient: false,
        },
      ),
    );
    expect(full.status).toBe(201);
    const bio = full.body.data.user.bio;
    expect(Object.keys(bio).sort()).toEqual(BIO_KEYS);
    expect(bio).toMatchObject({
      cell_phone_number: '9175550181',
      home_phone_number: '7185550182',
      work_phone_number: '6465550183',
      street_address: '12 Elm St, Apt 4',
      city: 'Brooklyn',
      new_patient: true,
      non_patient: false,
    });
    const read = await call(h.server, 'GET', `/patients/${full.body.data.user.id}`, {
      query: { subdomain: t.subdomain },
      auth: t.apiKey,
    });
    expect(read.body.data.bio).toEqual(bio);

    const bare = await create(newPatient({ last_name: 'Barebio' }));
    expect(Object.keys(bare.body.data.user.bio).sort()).toEqual(BIO_KEYS);
    expect(bare.body.data.user.bio).toMatchObject({
      cell_phone_number: null,
      street_address: null,
      zip_code: null,
    });
  });

  it('names each malformed phone by its own field, with every other problem', async () => {
    const bad = await create(
      newPatient({ last_name: 'Badphones' }, { cell_phone_number: '123', work_phone_number: 'call me' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual([
      'bio.cell_phone_number must be a valid phone number',
      'bio.work_phone_number must be a valid phone number',
    ]);
  });

  it('finds a patient by any of their phones', async () => {
    const made = await create(
      newPatient(
        { last_name: 'Manyphones' },
        {
          phone_number: '2125550191',
          cell_phone_number: '9175550192',
          home_phone_number: '7185550193',
          work_phone_number: '6465550194',
        },
      ),
    );
    const id = made.body.data.user.id;
    for (const phone of ['(212) 555-0191', '917 555 0192', '+17185550193', '646.555.0194'])
      expect(await byPhone(phone)).toEqual([id]);
  });

  it('accepts the read-only flags only when they agree with the record', async () => {
    const refused = await create(
      newPatient({ last_name: 'Flagged' }, { new_patient: false, non_patient: true }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual([
      'bio.new_patient is read-only (it is true for this patient)',
      'bio.non_patient is read-only (it is false for this patient)',
    ]);
    const made = await create(newPatient({ last_name: 'Flagged' }));
    const id = made.body.data.user.id;
    // A client sending the bio back as it got it, with one change, is not refused.
    const echoed = await patch(id, { bio: { ...made.body.data.user.bio, city: 'Queens' } });
    expect(echoed.status).toBe(200);
    expect(echoed.body.data.bio.city).toBe('Queens');
    const changed = await patch(id, { bio: { non_patient: true } });
    expect(changed.status).toBe(400);
    expect(changed.body.error).toEqual(['bio.non_patient is read-only (it is false for this patient)']);
  });

  it('edits bio fields one by one, leaving the rest', async () => {
    const made = await create(newPatient({ last_name: 'Editbio' }, { city: 'Albany', zip_code: '12207' }));
    const edited = await patch(made.body.data.user.id, {
      bio: { cell_phone_number: '917-555-0170', zip_code: null },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data.bio).toMatchObject({
      cell_phone_number: '9175550170',
      city: 'Albany',
      zip_code: null,
    });
  });

  it('inserts the fields into the reference system at booking, and brings its changes back with sync', async () => {
    const made = await create(
      newPatient(
        { last_name: 'Roundtrip' },
        {
          cell_phone_number: '9175550161',
          address_line_1: '1 Main St',
          city: 'Troy',
          state: 'NY',
          zip_code: '12180',
        },
      ),
    );
    const id = made.body.data.user.id;
    const booked = await call(h.server, 'POST', '/appointments', {
      query: q(),
      body: {
        appt: {
          patient_id: id,
          provider_id: t.providerId,
          start_time: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      auth: t.apiKey,
    });
    expect(booked.status).toBe(201);
    const patient = (
      await call(h.server, 'GET', `/patients/${id}`, { query: { subdomain: t.subdomain }, auth: t.apiKey })
    ).body.data;
    const { knex } = h.server.db;
    const there = await knex('ref_hrs_patients')
      .where({ id: Number(patient.foreign_id) })
      .first();
    expect(there).toMatchObject({
      cell_phone_number: '9175550161',
      address_line_1: '1 Main St',
      city: 'Troy',
      zip_code: '12180',
    });

    // The practice's staff change the address there; the next sync brings it here.
    await knex('ref_hrs_patients').where({ id: there.id }).update({
      address_line_1: '9 River Rd',
      work_phone_number: '5185550162',
      updated_at: new Date().toISOString(),
    });
    await syncInstitution(
      { db: h.server.db, connectorFor: connectorRegistry(h.server.db, undefined) },
      t.institutionId,
    );
    const after = await call(h.server, 'GET', `/patients/${id}`, {
      query: { subdomain: t.subdomain },
      auth: t.apiKey,
    });
    expect(after.body.data.bio).toMatchObject({
      address_line_1: '9 River Rd',
      work_phone_number: '5185550162',
      cell_phone_number: '9175550161',
      city: 'Troy',
    });
    expect(await byPhone('518-555-0162')).toEqual([id]);
  });
});
