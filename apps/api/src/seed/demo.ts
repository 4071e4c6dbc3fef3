// The demo institution a fresh start seeds (SPEC 9), so a newcomer can call the API at once. Every name,
// phone and email here is invented (555-01xx numbers, example.com addresses).
import { createPatientInput } from '@patients/core';
import { addReferencePatient, referenceConnector } from '../connectors/reference';
import type { Database } from '../db/connect';
import { institutionsRepo } from '../db/repositories/institutions';
import { practiceRepo } from '../db/repositories/practice';
import { systemClock } from '../db/repositories/time';
import { bookAppointment } from '../services/appointments';
import { createPatient } from '../services/createPatient';
import type { ServiceDeps } from '../services/deps';

type Sample = [
  first: string,
  last: string,
  dob: string,
  gender: 'Male' | 'Female' | 'Other',
  phone: string,
  email: string,
  preferred?: string,
];

const SAMPLES: Sample[] = [
  ['Jonathan', 'Smith', '1964-05-03', 'Male', '(212) 555-0101', 'jon.smith@example.com', 'Jon'],
  ['Robert', 'Johnson', '1971-11-12', 'Male', '212-555-0102', 'bob.johnson@example.com', 'Bob'],
  ['Elizabeth', 'Garcia-Lopez', '1988-02-29', 'Female', '+1 212 555 0103', 'liz.garcia@example.com', 'Liz'],
  ['José', 'Hernández', '1990-07-21', 'Male', '212.555.0104', 'jose.hernandez@example.com'],
  ['Thi', 'Nguyen', '1979-09-30', 'Female', '(212) 555-0105', 'thi.nguyen@example.com'],
  ['Aleksandr', 'Petrov', '1983-03-14', 'Male', '(212) 555-0106', 'a.petrov@example.com'],
  ['Siobhan', "O'Brien", '1995-12-01', 'Female', '(212) 555-0107', 'siobhan.obrien@example.com'],
  ['Margaret', 'Walker', '1950-06-18', 'Female', '(212) 555-0108', 'peggy.walker@example.com', 'Peggy'],
  // Twins: same birth date, phone and surname, different first names — two people.
  ['Daniel', 'Kim', '2012-04-09', 'Male', '(212) 555-0109', 'kim.family@example.com'],
  ['Daniela', 'Kim', '2012-04-09', 'Female', '(212) 555-0109', 'kim.family@example.com'],
  // Their mother shares the family phone and email, with her own birth date.
  ['Grace', 'Kim', '1981-08-25', 'Female', '(212) 555-0109', 'kim.family@example.com'],
  ['William', 'Brown', '1967-01-05', 'Male', '(212) 555-0110', 'bill.brown@example.com', 'Bill'],
];

export interface DemoTenant {
  institutionId: number;
  locationId: number;
  providerIds: number[];
  apiKey: string;
}

export async function seedDemo(db: Database): Promise<DemoTenant> {
  const { knex } = db;
  const institution = await institutionsRepo(knex).create('demo', 'Demo Dental');
  const practice = practiceRepo(knex);
  const location = await practice.createLocation(institution.id, 'Main Street Office', 'America/New_York');
  const providers = [
    await practice.createProvider(institution.id, 'Dr. Sarah Chen', [location.id]),
    await practice.createProvider(institution.id, 'Dr. Michael Okafor', [location.id]),
  ];
  const deps: ServiceDeps = { db, now: systemClock, connectorFor: async () => referenceConnector };

  const ids: number[] = [];
  for (const [first_name, last_name, date_of_birth, gender, phone_number, email, preferred_name] of SAMPLES) {
    // Through the same schema as a caller's create, so phones and emails are normalised the same way.
    const input = createPatientInput.parse({
      subdomain: 'demo',
      location_id: location.id,
      provider: { provider_id: providers[0]!.id },
      patient: { first_name, last_name, preferred_name, email, bio: { phone_number, date_of_birth, gender } },
    });
    const { user } = await createPatient(deps, institution.id, input);
    ids.push(user.id);
  }

  // One patient already inserted into the health record system, by booking their first appointment.
  const start = new Date(Date.now() + 7 * 24 * 3600_000);
  start.setUTCHours(14, 0, 0, 0);
  await bookAppointment(deps, institution.id, {
    subdomain: 'demo',
    location_id: location.id,
    appt: {
      patient_id: ids[1]!,
      provider_id: providers[0]!.id,
      start_time: start.toISOString(),
      note: 'Cleaning',
    },
  });

  // Patients the front desk typed straight into the health record system: they appear here after a sync.
  await addReferencePatient(knex, institution.id, {
    first_name: 'Priya',
    last_name: 'Patel',
    middle_name: null,
    preferred_name: null,
    email: 'priya.patel@example.com',
    phone_number: '2125550111',
    date_of_birth: '1992-10-10',
    gender: 'Female',
  });

  const apiKey = await institutionsRepo(knex).createApiKey(institution.id, 'demo');
  return {
    institutionId: institution.id,
    locationId: location.id,
    providerIds: providers.map((p) => p.id),
    apiKey,
  };
}
