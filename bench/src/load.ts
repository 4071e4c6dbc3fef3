// Writes generated patients into a database through the patients repository, in batched transactions, so
// the name index (whatever tables the engine keeps) is written exactly as the service writes it. Uses the
// repository's batched insertMany when it has one, else one insert per row inside each batch's transaction.
import type { Knex } from 'knex';
import { type Database, institutionsRepo, type PatientWrite, patientsRepo, practiceRepo } from './api';
import type { PatientRecord } from './generate';

const BATCH = 1000;

type InsertMany = (institutionId: number, locationId: number, rows: PatientWrite[]) => Promise<unknown>;

function fields(p: PatientRecord): PatientWrite {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    middle_name: p.middle_name,
    preferred_name: p.preferred_name,
    email: p.email,
    phone_number: p.phone_number,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
    demographics_defaulted: [],
  };
}

async function writeBatch(
  trx: Knex.Transaction,
  institutionId: number,
  locationId: number,
  batch: PatientWrite[],
) {
  const repo = patientsRepo(trx) as ReturnType<typeof patientsRepo> & { insertMany?: InsertMany };
  if (typeof repo.insertMany === 'function') {
    await repo.insertMany(institutionId, locationId, batch);
    return;
  }
  for (const row of batch) await repo.insert(institutionId, locationId, row);
}

/** Loads the rows; returns how many were written. `onProgress` is told the running total after each batch. */
export async function loadPatients(
  db: Database,
  institutionId: number,
  locationId: number,
  rows: Iterable<PatientRecord> | AsyncIterable<PatientRecord>,
  onProgress?: (written: number) => void,
): Promise<number> {
  let batch: PatientWrite[] = [];
  let written = 0;
  const flush = async () => {
    if (!batch.length) return;
    const current = batch;
    batch = [];
    await db.knex.transaction((trx) => writeBatch(trx, institutionId, locationId, current));
    written += current.length;
    onProgress?.(written);
  };
  for await (const row of rows) {
    batch.push(fields(row));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return written;
}

export interface BenchTenant {
  institutionId: number;
  locationId: number;
  providerId: number;
  subdomain: string;
}

/** The institution (with one location and one provider) that a benchmark database holds, made on first use. */
export async function ensureTenant(db: Database, subdomain: string): Promise<BenchTenant> {
  const institutions = institutionsRepo(db.knex);
  const practice = practiceRepo(db.knex);
  const inst =
    (await institutions.bySubdomain(subdomain)) ?? (await institutions.create(subdomain, 'Bench Dental'));
  const location =
    (await practice.locations(inst.id))[0] ?? (await practice.createLocation(inst.id, 'Main St'));
  const provider =
    (await practice.providersAt(inst.id, location.id))[0] ??
    (await practice.createProvider(inst.id, 'Dr. Bench', [location.id]));
  return { institutionId: inst.id, locationId: location.id, providerId: provider.id, subdomain };
}

export async function patientCount(db: Database, institutionId: number): Promise<number> {
  const row = await db.knex('patients').where({ institution_id: institutionId }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
