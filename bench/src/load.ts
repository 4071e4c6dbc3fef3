// The bench institution made directly through the repositories, for the sync benchmark only (it measures a
// sync, not a state a practice's database is in). Populations for search and creates are made through the
// admin command line (databases.ts, product.ts).
import { type Database, institutionsRepo, practiceRepo } from './api';

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
