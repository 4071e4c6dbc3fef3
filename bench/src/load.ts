// Writes generated patients into a database through the patients repository, in batched transactions, so
// the name index (whatever tables the engine keeps) is written exactly as the service writes it. Uses the
// repository's batched insertMany.
import { type Database, institutionsRepo, type PatientWrite, patientsRepo, practiceRepo } from './api';
import { type PatientRecord, toRecord } from './generate';

const BATCH = 1000;

function fields(p: PatientRecord): PatientWrite {
  return { ...toRecord(p), demographics_defaulted: [] };
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
    await db.knex.transaction((trx) => patientsRepo(trx).insertMany(institutionId, locationId, current));
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
