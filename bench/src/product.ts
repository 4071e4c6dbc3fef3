import { readPatients } from './files';
import type { PatientRecord } from './generate';
import type { Random } from './random';
import { admin, type RunningServer, request, TimeoutError } from './server';

export interface BenchTenant {
  institutionId: number;
  locationId: number;
  providerId: number;
  subdomain: string;
}

export interface ProductTenant extends BenchTenant {
  apiKey: string;
}

/** create-institution, create-location, create-provider and create-api-key, as README "Administration". */
export async function setupTenant(databaseUrl: string, subdomain: string): Promise<ProductTenant> {
  const inst = await admin(databaseUrl, [
    'create-institution',
    '--subdomain',
    subdomain,
    '--name',
    'Bench Dental',
  ]);
  const loc = await admin(databaseUrl, ['create-location', '--subdomain', subdomain, '--name', 'Main St']);
  const locationId = Number(loc.location_id);
  const provider = await admin(databaseUrl, [
    'create-provider',
    '--subdomain',
    subdomain,
    '--location-id',
    String(locationId),
    '--name',
    'Dr. Bench',
  ]);
  const key = await admin(databaseUrl, ['create-api-key', '--subdomain', subdomain, '--label', 'bench']);
  return {
    institutionId: Number(inst.institution_id),
    locationId,
    providerId: Number(provider.provider_id),
    subdomain,
    apiKey: String(key.api_key),
  };
}

export interface ImportSummary {
  created: number;
  rejected: number;
  duplicates: number;
  /** Wall-clock seconds of the whole command, npm and start-up included. */
  seconds: number;
  /** The command's own figure. */
  reported: Record<string, unknown>;
}

/** `npm run -s admin -- import --subdomain S --location-id L FILE`, as a child process. */
export async function adminImport(
  databaseUrl: string,
  tenant: BenchTenant,
  file: string,
): Promise<ImportSummary> {
  const started = performance.now();
  const reported = await admin(databaseUrl, [
    'import',
    '--subdomain',
    tenant.subdomain,
    '--location-id',
    String(tenant.locationId),
    file,
  ]);
  return {
    created: Number(reported.created),
    rejected: Number(reported.rejected),
    duplicates: Number(reported.duplicates),
    seconds: (performance.now() - started) / 1000,
    reported,
  };
}

/** The body of `POST /patients`, as in the README's walk-through. */
export function createBody(p: PatientRecord, providerId?: number) {
  return {
    ...(providerId ? { provider: { provider_id: providerId } } : {}),
    patient: {
      first_name: p.first_name,
      last_name: p.last_name,
      ...(p.middle_name ? { middle_name: p.middle_name } : {}),
      ...(p.preferred_name ? { preferred_name: p.preferred_name } : {}),
      email: p.email,
      bio: { phone_number: p.phone_number, date_of_birth: p.date_of_birth, gender: p.gender },
    },
  };
}

export type CreateOutcome = { created: number } | { refused: true } | { error: string };

export async function createOverHttp(
  server: RunningServer,
  tenant: ProductTenant,
  p: PatientRecord,
  withProvider = true,
): Promise<CreateOutcome> {
  try {
    const res = await request(
      server.url,
      'POST',
      `/patients?subdomain=${tenant.subdomain}&location_id=${tenant.locationId}`,
      tenant.apiKey,
      createBody(p, withProvider ? tenant.providerId : undefined),
    );
    if (res.status === 201) return { created: Number(JSON.parse(res.body).data.user.id) };
    if (/already exists/.test(res.body)) return { refused: true };
    return { error: `${res.status} ${res.body.slice(0, 200)}` };
  } catch (e) {
    return { error: e instanceof TimeoutError ? 'timeout' : String(e) };
  }
}

export interface CreateRun {
  /** The people created, with their ids. */
  created: Array<PatientRecord & { id: number }>;
  refused: number;
  errors: number;
  firstError?: string;
  times: number[];
  seconds: number;
}

/**
 * Creates people over HTTP with `inFlight` requests at once until `count` were tried or `seconds` passed
 * (whichever comes first; both bound the run).
 */
export async function createMany(
  server: RunningServer,
  tenant: ProductTenant,
  people: Iterator<PatientRecord>,
  options: { inFlight: number; count?: number; seconds?: number; onProgress?: (done: number) => void },
): Promise<CreateRun> {
  const run: CreateRun = { created: [], refused: 0, errors: 0, times: [], seconds: 0 };
  const count = options.count ?? Number.POSITIVE_INFINITY;
  const deadline = performance.now() + (options.seconds ?? 24 * 3600) * 1000;
  let tried = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.inFlight }, async () => {
      while (tried < count && performance.now() < deadline) {
        const next = people.next();
        if (next.done) return;
        const number = ++tried;
        const t = performance.now();
        const outcome = await createOverHttp(server, tenant, next.value);
        run.times.push(performance.now() - t);
        if ('created' in outcome) run.created.push({ ...next.value, id: outcome.created });
        else if ('refused' in outcome) run.refused++;
        else {
          run.errors++;
          run.firstError ??= outcome.error;
        }
        if (number % 5000 === 0) options.onProgress?.(number);
      }
    }),
  );
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

/** The query string of `GET /patients` for the tenant's location, one page of 10. */
export function searchPath(tenant: BenchTenant, fields: Record<string, string>): string {
  const q = new URLSearchParams({
    subdomain: tenant.subdomain,
    location_id: String(tenant.locationId),
    per_page: '10',
    ...fields,
  });
  return `/patients?${q}`;
}

/**
 * Sequential searches (one caller), after `warmUp` unmeasured ones, until the items run out or the budget is
 * spent; the times in milliseconds. A non-200 answer throws: a figure of failures is no figure.
 */
export async function timedSearches(
  server: RunningServer,
  tenant: ProductTenant,
  items: readonly Record<string, string>[],
  budgetMs: number,
  warmUp = 2,
): Promise<number[]> {
  const one = async (fields: Record<string, string>) => {
    const res = await request(server.url, 'GET', searchPath(tenant, fields), tenant.apiKey);
    if (res.status !== 200)
      throw new Error(`search ${JSON.stringify(fields)}: ${res.status} ${res.body.slice(0, 200)}`);
  };
  for (const item of items.slice(0, warmUp)) await one(item);
  const out: number[] = [];
  const started = performance.now();
  for (const item of items) {
    const t = performance.now();
    await one(item);
    out.push(performance.now() - t);
    if (performance.now() - started > budgetMs) break;
  }
  return out;
}

/** `n` records of a generated file drawn at random (by line), with their line number as id. */
export async function sampleFile(
  file: string,
  size: number,
  n: number,
  random: Random,
): Promise<Array<PatientRecord & { id: number }>> {
  const wanted = new Set<number>();
  const target = Math.min(n, size);
  for (let i = 0; wanted.size < target && i < target * 20; i++) wanted.add(random.int(1, size));
  const out: Array<PatientRecord & { id: number }> = [];
  let line = 0;
  for await (const p of readPatients(file)) {
    line++;
    if (wanted.has(line)) out.push({ ...p, id: line });
  }
  return out;
}
