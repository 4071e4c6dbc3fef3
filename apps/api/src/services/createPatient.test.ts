// The create use case without a server: the service on a real database (SQLite in memory; PostgreSQL when
// PG_TEST_URL is set), its clock set by the test. Every time the service stores comes from that one clock.
import { createPatientInput, ServiceError } from '@patients/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, serviceDatabase } from '../../test/harness';
import { referenceConnector } from '../connectors/reference';
import type { Database } from '../db/connect';
import { auditLog } from './audit';
import { createPatient } from './createPatient';
import type { ServiceDeps } from './deps';

describe.each(ENGINES)('createPatient on %s', (engine) => {
  let close: () => Promise<void>;
  let db: Database;
  let institutionId: number;
  let locationId: number;
  let clock = new Date('2031-02-03T04:05:06.789Z');
  const deps = (): ServiceDeps => ({ db, now: () => clock, connectorFor: async () => referenceConnector });
  const input = (first_name: string, email: string) =>
    createPatientInput.parse({
      subdomain: 'clockwork',
      location_id: locationId,
      patient: {
        first_name,
        last_name: 'Tick',
        email,
        bio: { phone_number: '2125550177', date_of_birth: '1970-01-01', gender: 'Female' },
      },
    });

  beforeAll(async () => {
    ({ db, institutionId, locationId, close } = await serviceDatabase(engine, 'clockwork'));
  });
  afterAll(async () => {
    await close();
  });

  it('stamps the patient with the service clock, not the machine clock', async () => {
    const { user, created } = await createPatient(deps(), institutionId, input('Ada', 'ada@example.com'));
    expect(created).toBe(true);
    expect(user.created_at).toBe('2031-02-03T04:05:06.789Z');
    expect(user.updated_at).toBe('2031-02-03T04:05:06.789Z');
  });

  it('refuses the same person again with the duplicate code, whatever the clock says', async () => {
    clock = new Date('2031-02-04T00:00:00.000Z');
    const again = createPatient(deps(), institutionId, input('Ada', 'other@example.com'));
    await expect(again).rejects.toBeInstanceOf(ServiceError);
    await expect(again).rejects.toMatchObject({ code: 'duplicate' });
  });

  it('writes its audit entry in the same transaction as the patient (SPEC 3 "Audit log")', async () => {
    const caller = async () => ({ institutionId, apiKeyId: 7 });
    const audit = auditLog(db, () => clock).begin('patient.create', 'req-create-1', 'staff 1', caller);
    const { user } = await createPatient(deps(), institutionId, input('Bea', 'bea@example.com'), audit);
    const entries = await db.knex('audit_log').where({ request_id: 'req-create-1' });
    expect(entries).toEqual([
      expect.objectContaining({
        institution_id: institutionId,
        api_key_id: 7,
        acting_user: 'staff 1',
        action: 'patient.create',
        patient_ids: `,${user.id},`,
        status: 201,
        at: clock.toISOString(),
      }),
    ]);
  });

  it('leaves no patient when its audit entry cannot be written', async () => {
    const failing = {
      async changed() {
        throw new Error('the audit log cannot be written');
      },
    };
    const attempt = createPatient(deps(), institutionId, input('Cy', 'cy@example.com'), failing);
    await expect(attempt).rejects.toThrow('the audit log cannot be written');
    expect(await db.knex('patients').where({ email: 'cy@example.com' })).toEqual([]);
  });
});
