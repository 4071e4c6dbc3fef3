// The create use case without a server: the service on a real database (SQLite in memory; PostgreSQL when
// PG_TEST_URL is set), its clock set by the test. Every time the service stores comes from that one clock.
import { createPatientInput, ServiceError } from '@patients/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, serviceDatabase } from '../../test/harness';
import { referenceConnector } from '../connectors/reference';
import type { Database } from '../db/connect';
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
});
