// The edit rules of SPEC 4.5 without a server: SQLite in memory (PostgreSQL too when PG_TEST_URL is set).
import { createPatientInput, searchPatientsInput, updatePatientInput } from '@patients/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, serviceDatabase } from '../../test/harness';
import { referenceConnector } from '../connectors/reference';
import type { Database } from '../db/connect';
import { institutionsRepo } from '../db/repositories/institutions';
import { patientsRepo } from '../db/repositories/patients';
import { createPatient } from './createPatient';
import type { ServiceDeps } from './deps';
import { searchPatients } from './searchPatients';
import { updatePatient } from './updatePatient';

describe.each(ENGINES)('updatePatient on %s', (engine) => {
  let close: () => Promise<void>;
  let db: Database;
  let institutionId: number;
  let locationId: number;
  const deps = (): ServiceDeps => ({
    db,
    now: () => new Date(),
    connectorFor: async () => referenceConnector,
  });
  const create = async (first_name: string, date_of_birth: string) =>
    (
      await createPatient(
        deps(),
        institutionId,
        createPatientInput.parse({
          subdomain: 'edits',
          location_id: locationId,
          patient: {
            first_name,
            last_name: 'Okafor',
            email: `${first_name.toLowerCase()}@example.com`,
            bio: { phone_number: '2125550188', date_of_birth, gender: 'Female' },
          },
        }),
      )
    ).user;
  const edit = (id: number, patient: Record<string, unknown>) =>
    updatePatient(deps(), institutionId, updatePatientInput.parse({ subdomain: 'edits', id, patient }));

  beforeAll(async () => {
    ({ db, institutionId, locationId, close } = await serviceDatabase(engine, 'edits'));
  });
  afterAll(async () => {
    await close();
  });

  it('merges bio field by field and keeps what the edit leaves out', async () => {
    const p = await create('Ngozi', '1985-03-04');
    const edited = await edit(p.id, { bio: { city: 'Brooklyn' } });
    expect(edited.bio.city).toBe('Brooklyn');
    expect(edited.bio.phone_number).toBe(p.bio.phone_number);
    expect(edited.first_name).toBe('Ngozi');
  });

  it('refuses an edit that makes the patient a duplicate of another, with the duplicate code', async () => {
    await create('Chioma', '1990-06-07');
    const other = await create('Adaeze', '1991-06-07');
    await expect(
      edit(other.id, { first_name: 'Chioma', bio: { date_of_birth: '1990-06-07' } }),
    ).rejects.toMatchObject({ code: 'duplicate' });
  });

  it('refuses any edit after insertion into the health record system, and changes nothing', async () => {
    const p = await create('Ifeoma', '1979-09-10');
    await patientsRepo(db.knex).update(institutionId, p.id, {
      foreign_id: '77',
      foreign_id_type: 'OpenDental',
    });
    await expect(edit(p.id, { first_name: 'Ify' })).rejects.toMatchObject({ code: 'not_editable' });
    const found = await searchPatients(
      deps(),
      institutionId,
      searchPatientsInput.parse({ subdomain: 'edits', location_id: locationId, name: 'Ifeoma Okafor' }),
    );
    expect(found.patients.map((x) => x.first_name)).toEqual(['Ifeoma']);
  });

  it("answers not_found for another institution's patient id", async () => {
    const elsewhere = (await institutionsRepo(db.knex).create('elsewhere', 'Elsewhere')).id;
    const p = await create('Amara', '1988-01-02');
    await expect(
      updatePatient(
        deps(),
        elsewhere,
        updatePatientInput.parse({ subdomain: 'elsewhere', id: p.id, patient: {} }),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
