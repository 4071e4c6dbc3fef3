// The admin `import` command, run as a person runs it (a child process on the same database as a running server):
// validation with the API's messages, duplicates against the database and earlier rows, CSV quoting, JSON Lines,
// re-runs, and an import killed half-way.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../src/cli/importCsv';
import { addReferencePatient } from '../src/connectors/reference';
import { institutionsRepo } from '../src/db/repositories/institutions';
import { call, createTenant, ENGINES, type Harness, startHarness, type Tenant } from './harness';

const API_DIR = new URL('..', import.meta.url).pathname;
const HEADER =
  'first_name,last_name,middle_name,preferred_name,email,phone_number,date_of_birth,gender,address_line_1,city,state,zip_code';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: Record<string, any>;
  rejects: Record<string, string>[];
}

function parseCsv(text: string): Record<string, string>[] {
  const parser = new CsvParser();
  const [header, ...records] = [...parser.push(text), ...parser.end()];
  return records.map((r) => Object.fromEntries(header!.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

/** A CSV file of `n` distinct people (unique names, emails and phones; birth dates spread over years). */
function people(n: number, from = 0): string {
  const lines = [HEADER];
  for (let i = from; i < from + n; i++) {
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const year = 1940 + (Math.floor(i / 336) % 70);
    lines.push(
      `Person${toLetters(i)},Family${toLetters(i * 7 + 3)},,,p${i}@example.com,212${String(2000000 + i).slice(-7)},${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${i % 2 ? 'Male' : 'Female'},${i} Elm St,Springfield,IL,62701`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function toLetters(n: number): string {
  let s = '';
  do {
    s += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

describe.each(ENGINES)('admin import on %s', (engine) => {
  let h: Harness;
  let t: Tenant;
  let dir: string;
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const env = () => ({ ...process.env, DATABASE_URL: h.database.url });
  const args = (file: string, extra: string[] = [], tenant = t) => [
    'import',
    '--subdomain',
    tenant.subdomain,
    '--location-id',
    String(tenant.locationId),
    ...extra,
    file,
  ];

  /** Runs the import to its end; the summary must be exactly one JSON line on stdout. */
  const runImport = (file: string, extra: string[] = [], tenant = t) =>
    new Promise<Run>((resolve) => {
      execFile(
        'npx',
        ['tsx', 'src/cli/admin.ts', ...args(file, extra, tenant)],
        { cwd: API_DIR, env: env(), maxBuffer: 1 << 24 },
        (err, stdout, stderr) => {
          const lines = stdout.split('\n').filter(Boolean);
          const code = err ? ((err as { code?: number }).code ?? 1) : 0;
          let summary: Record<string, any> = {};
          if (code === 0) {
            expect(lines).toHaveLength(1);
            expect(stdout.endsWith('\n')).toBe(true);
            summary = JSON.parse(lines[0]!);
          }
          const rejectsFile = summary.rejects_file as string | undefined;
          const rejects =
            rejectsFile && existsSync(rejectsFile) ? parseCsv(readFileSync(rejectsFile, 'utf8')) : [];
          resolve({ code, stdout, stderr, summary, rejects });
        },
      );
    });

  const search = async (query: Record<string, string | number | boolean>, tenant = t) => {
    const res = await call(h.server, 'GET', '/patients', {
      query: { subdomain: tenant.subdomain, location_id: tenant.locationId, per_page: 100, ...query },
      auth: `Bearer ${tenant.apiKey}`,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const countOf = async (institutionId: number) => {
    const row = await h.server.db
      .knex('patients')
      .where({ institution_id: institutionId })
      .count({ n: '*' })
      .first();
    return Number(row?.n ?? 0);
  };
  let tenants = 0;
  const newTenant = () => createTenant(h.server, `imp${++tenants}`);

  beforeAll(async () => {
    h = await startHarness(engine);
    t = await createTenant(h.server, 'imp');
    dir = mkdtempSync(join(tmpdir(), 'patients-import-'));
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports good rows, findable through GET /patients, and reports each bad row with the API messages', async () => {
    const file = write(
      'basic.csv',
      [
        HEADER,
        'Ana,Silva,,,ana.silva@example.com,(212) 555-0142,1990-04-12,Female,,,,',
        'Zebulon,Quackenbush,Q,Zeb,ZEB.Q@Example.com, +1 646-555-0199 ,1955-07-30,Male,1 Main St,Springfield,IL,62701',
        ',Nolast,,,x@example.com,2125550101,1980-01-01,Male,,,,',
        'Future,Born,,,future@example.com,2125550102,2999-01-01,Female,,,,',
        'Bad,Email,,,not-an-email,12,1980-01-01,male,,,,',
        'No,Email,,,,2125550103,1980-01-01,Female,,,,',
      ].join('\n'),
    );
    const run = await runImport(file);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({
      read: 6,
      created: 2,
      rejected: 4,
      duplicates: 0,
      skipped_existing: 0,
      batches: 1,
      rejects_file: `${file}.rejects.csv`,
    });
    expect(Object.keys(run.summary)).toEqual([
      'read',
      'created',
      'rejected',
      'duplicates',
      'skipped_existing',
      'batches',
      'seconds',
      'rejects_file',
    ]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      ['4', 'first_name is required'],
      ['5', 'bio.date_of_birth must not be in the future'],
      [
        '6',
        'email must be a valid email address; bio.phone_number must be a valid phone number; bio.gender must be one of: Male, Female, Other',
      ],
      ['7', 'email is required'],
    ]);
    // The row as it was, beside the reasons.
    expect(run.rejects[1]).toMatchObject({
      first_name: 'Future',
      last_name: 'Born',
      date_of_birth: '2999-01-01',
    });

    // The same messages as the API gives for the same fields.
    const api = await call(h.server, 'POST', '/patients', {
      query: { subdomain: t.subdomain, location_id: t.locationId },
      auth: `Bearer ${t.apiKey}`,
      body: {
        patient: {
          first_name: 'Bad',
          last_name: 'Email',
          email: 'not-an-email',
          bio: { phone_number: '12', date_of_birth: '1980-01-01', gender: 'male' },
        },
      },
    });
    expect(api.status).toBe(400);
    expect(api.body.error.join('; ')).toBe(run.rejects[2]!.reason);

    // Normalised as the API normalises, at the location, and found by name and by email.
    const byName = await search({ name: 'zeb quakenbush', location_strict: true });
    expect(byName.count).toBe(1);
    expect(byName.data.patients[0]).toMatchObject({
      first_name: 'Zebulon',
      middle_name: 'Q',
      preferred_name: 'Zeb',
      email: 'zeb.q@example.com',
      foreign_id_type: 'nex',
      location_ids: [t.locationId],
      bio: { phone_number: '6465550199', date_of_birth: '1955-07-30', gender: 'Male', city: 'Springfield' },
    });
    const byEmail = await search({ email: 'ana.silva@example.com' });
    expect(byEmail.data.patients.map((p: any) => p.name)).toEqual(['Ana Silva']);
  }, 120_000);

  it('refuses duplicates of earlier rows and of existing patients, and accepts twins and families', async () => {
    const tenant = await newTenant();
    const existing = await call(h.server, 'POST', '/patients', {
      query: { subdomain: tenant.subdomain, location_id: tenant.locationId },
      auth: `Bearer ${tenant.apiKey}`,
      body: {
        patient: {
          first_name: 'Elizabeth',
          last_name: 'Garcia',
          email: 'liz@example.com',
          bio: { phone_number: '3125550111', date_of_birth: '1988-02-29', gender: 'Female' },
        },
      },
    });
    expect(existing.status).toBe(201);
    const hrs = await addReferencePatient(h.server.db.knex, tenant.institutionId, {
      first_name: 'Theodore',
      last_name: 'Kowalski',
      middle_name: null,
      preferred_name: null,
      email: 'ted.k@example.com',
      phone_number: '7735550123',
      date_of_birth: '1949-06-01',
      gender: 'Male',
    });
    const file = write(
      'dups.csv',
      [
        HEADER,
        'Robert,Johnson,,,robert.j@example.com,(212) 555-0102,1971-11-12,Male,,,,',
        // The same man as a nickname, another email and the phone written another way: refused.
        'Bob,Johnson,,,bob.j@work.example.com,212.555.0102,1971-11-12,Male,,,,',
        // Twins: same birth date, surname, phone and email, different first names: two people.
        'Mary,Olsen,,,olsen.family@example.com,2125550177,2001-06-13,Female,,,,',
        'Ashley,Olsen,,,olsen.family@example.com,2125550177,2001-06-13,Female,,,,',
        // Their father shares the phone and email, not the birth date.
        'Mary,Olsen,,,olsen.family@example.com,2125550177,1970-01-02,Male,,,,',
        // A nickname of a patient already in the database: refused.
        'Liz,Garcia,,,elizabeth.g@example.com,3125550999,1988-02-29,Female,,,,',
        // Exactly a patient already in the database: nothing to do, not an error.
        'Elizabeth,Garcia,,,liz@example.com,3125550111,1988-02-29,Female,,,,',
        // A patient known only to the health record system: refused, as a create would be.
        'Ted,Kowalski,,,ted.k@example.com,7735550123,1949-06-01,Male,,,,',
      ].join('\n'),
    );
    const run = await runImport(file, [], tenant);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({
      read: 8,
      created: 4,
      rejected: 0,
      duplicates: 3,
      skipped_existing: 1,
    });
    expect(run.rejects.map((r) => [r.line, r.reason, r.duplicate_of, r.first_name])).toEqual([
      ['3', 'A patient with that information already exists', 'line 2', 'Bob'],
      ['7', 'A patient with that information already exists', `patient ${existing.body.data.user.id}`, 'Liz'],
      ['9', 'A patient with that information already exists', `ReferenceHRS ${hrs.foreign_id}`, 'Ted'],
    ]);
    const olsens = await search({ name: 'olsen' }, tenant);
    expect(olsens.data.patients.map((p: any) => `${p.first_name} ${p.bio.date_of_birth}`).sort()).toEqual([
      'Ashley 2001-06-13',
      'Mary 1970-01-02',
      'Mary 2001-06-13',
    ]);
    expect(await countOf(tenant.institutionId)).toBe(5);
  }, 120_000);

  it('finds an earlier row through each part of the rule: email, phone, a surname typo, a part of a double surname', async () => {
    // The import keeps earlier rows compact and checks the rule only where a cheap pre-check says it could
    // match: each of these must get through it.
    const tenant = await newTenant();
    const file = write(
      'earlier.csv',
      [
        HEADER,
        'Katherine,Novak,,,kat@example.com,3125550001,1990-03-04,Female,,,,',
        'Kathy,Smith,,,KAT@example.com,3125550002,1990-03-04,Female,,,,',
        'Katherine,Brown,,,other@example.com,(312) 555-0001,1990-03-04,Female,,,,',
        'Katherine,Nowak,,,kn@example.com,3125550003,1990-03-04,Female,,,,',
        'Katherine,Lee-Novak,,,kl@example.com,3125550004,1990-03-04,Female,,,,',
        // Everything the same but the gender: another person.
        'Katherine,Novak,,,kat@example.com,3125550001,1990-03-04,Male,,,,',
        // A surname two letters longer with no word in common and another email and phone: another person.
        'Katherine,Novakova,,,kn2@example.com,3125550005,1990-03-04,Female,,,,',
      ].join('\n'),
    );
    const run = await runImport(file, [], tenant);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ read: 7, created: 3, duplicates: 4 });
    expect(run.rejects.map((r) => [r.line, r.duplicate_of, r.last_name])).toEqual([
      ['3', 'line 2', 'Smith'],
      ['4', 'line 2', 'Brown'],
      ['5', 'line 2', 'Nowak'],
      ['6', 'line 2', 'Lee-Novak'],
    ]);
  }, 120_000);

  it('reads quoted fields with commas, quotes and line breaks, CRLF and a byte-order mark', async () => {
    const tenant = await newTenant();
    const file = write(
      'quoted.csv',
      `\ufeff${[
        'last_name,first_name,address_line_1,city,email,phone_number,date_of_birth,gender',
        '"O\'Brien","Siobhan","12 Main St, Apt 4","Boston, MA",s.obrien@example.com,6175550100,1966-03-17,Female',
        '"Smith ""The Elder""",John,"Line one',
        'line two",Springfield,j.smith@example.com,2175550100,1950-05-05,Male',
        'Broken,Row,only three fields',
        'Doe,Jane,,Springfield,jane@example.com,2175550101,1991-09-09,Female',
      ].join('\r\n')}\r\n`,
    );
    const run = await runImport(file, [], tenant);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ read: 4, created: 3, rejected: 1 });
    // The record after a two-line record starts on line 5.
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      ['5', 'the row has 3 fields; the header has 8'],
    ]);
    const obrien = await search({ email: 's.obrien@example.com' }, tenant);
    expect(obrien.data.patients[0]).toMatchObject({
      last_name: "O'Brien",
      first_name: 'Siobhan',
      bio: { address_line_1: '12 Main St, Apt 4', city: 'Boston, MA' },
    });
    const smith = await search({ email: 'j.smith@example.com' }, tenant);
    expect(smith.data.patients[0]).toMatchObject({
      last_name: 'Smith "The Elder"',
      bio: { address_line_1: 'Line one\r\nline two' },
    });
    expect((await search({ name: 'jane doe' }, tenant)).count).toBe(1);
  }, 120_000);

  it('imports JSON Lines, rejecting lines that are not JSON objects or carry unknown fields', async () => {
    const tenant = await newTenant();
    const file = write(
      'rows.jsonl',
      [
        JSON.stringify({
          first_name: 'Grace',
          last_name: 'Hopper',
          email: 'grace@example.com',
          phone_number: '2025550100',
          date_of_birth: '1880-12-09',
          gender: 'Female',
        }),
        '',
        JSON.stringify({
          first_name: 'Alan',
          last_name: 'Turing',
          email: 'alan@example.com',
          phone_number: '+44 20 7946 0958',
          date_of_birth: '1912-06-23',
          gender: 'Male',
          zip_code: 'NW1',
        }),
        '{"first_name": "Broken"',
        '["not", "an", "object"]',
        JSON.stringify({ first_name: 'Ada', last_name: 'King', favourite_colour: 'green' }),
        JSON.stringify({
          first_name: 'Edsger',
          last_name: 'Dijkstra',
          email: 'ewd@example.com',
          phone_number: '2025550101',
          date_of_birth: '1930-05-11',
          gender: 'Male',
          zip_code: 12345,
        }),
      ].join('\n'),
    );
    const run = await runImport(file, [], tenant);
    expect(run.code).toBe(0);
    // A birth date more than 130 years ago: refused like a create.
    expect(run.summary).toMatchObject({ read: 6, created: 1, rejected: 5 });
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      ['1', 'bio.date_of_birth must not be more than 130 years ago'],
      ['4', 'the line is not valid JSON'],
      ['5', 'the line is not a JSON object'],
      ['6', 'favourite_colour is not a known field'],
      ['7', 'bio.zip_code must be a string'],
    ]);
    expect(run.rejects[1]!.row).toBe('{"first_name": "Broken"');
    const turing = await search({ name: 'alan turing' }, tenant);
    expect(turing.data.patients[0].bio).toMatchObject({ phone_number: '+442079460958', zip_code: 'NW1' });
  }, 120_000);

  it('refuses a file with unknown columns before writing anything', async () => {
    const tenant = await newTenant();
    const file = write(
      'unknown.csv',
      `${HEADER},favourite_colour\nAna,Silva,,,a@example.com,2125550142,1990-04-12,Female,,,,,green\n`,
    );
    const run = await runImport(file, [], tenant);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unknown column "favourite_colour"');
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    expect(await countOf(tenant.institutionId)).toBe(0);

    const noType = write('foreign.csv', 'first_name,last_name,foreign_id\nAna,Silva,77\n');
    const refused = await runImport(noType, [], tenant);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--foreign-id-type');
  }, 120_000);

  it('completes practice defaults and imports patients of another system with their foreign ids', async () => {
    const tenant = await newTenant();
    await institutionsRepo(h.server.db.knex).saveSettings(tenant.institutionId, {
      demographic_defaults: { email: 'none@clinic.example', gender: 'Other' },
    });
    const file = write(
      'foreign.csv',
      [
        'foreign_id,first_name,last_name,phone_number,date_of_birth,email,gender',
        'OD-1,Walter,White,5055550100,1958-09-07,,Male',
        'OD-2,Skyler,White,5055550100,1970-08-11,,',
        'OD-2,Skyler,Lambert,5055550101,1970-08-11,sky@example.com,Female',
      ].join('\n'),
    );
    const run = await runImport(file, ['--foreign-id-type', 'OpenDental'], tenant);
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ read: 3, created: 2, duplicates: 1 });
    expect(run.rejects[0]).toMatchObject({ line: '4', duplicate_of: 'line 3' });
    const walter = await search({ foreign_id: 'OD-1' }, tenant);
    expect(walter.data.patients[0]).toMatchObject({
      foreign_id: 'OD-1',
      foreign_id_type: 'OpenDental',
      new_patient: false,
      email: 'none@clinic.example',
      demographics_defaulted: ['email'],
    });
    const again = await runImport(file, ['--foreign-id-type', 'OpenDental'], tenant);
    expect(again.summary).toMatchObject({ read: 3, created: 0, skipped_existing: 2, duplicates: 1 });
  }, 120_000);

  it('creates nothing new when the same file is imported again', async () => {
    const tenant = await newTenant();
    const file = write('again.csv', people(250));
    const first = await runImport(file, ['--batch-size', '100'], tenant);
    expect(first.summary).toMatchObject({ read: 250, created: 250, batches: 3 });
    const second = await runImport(file, ['--batch-size', '100'], tenant);
    expect(second.summary).toMatchObject({ read: 250, created: 0, skipped_existing: 250, duplicates: 0 });
    expect(second.rejects).toEqual([]);
    expect(await countOf(tenant.institutionId)).toBe(250);
  }, 120_000);

  /** Starts the importer itself (not through npx, so a signal reaches it) and waits for its first batch. */
  async function startAndWaitForFirstBatch(tenant: Tenant, file: string) {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/admin.ts', ...args(file, ['--batch-size', '20'], tenant)],
      { cwd: API_DIR, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let committed = 0;
    while (committed === 0) {
      await new Promise((r) => setTimeout(r, 10));
      committed = await countOf(tenant.institutionId);
    }
    return { child, exited, output: () => stdout };
  }

  it('keeps every committed batch of an import killed half-way, and a re-run completes it without duplicates', async () => {
    const tenant = await newTenant();
    const total = 6000;
    const file = write('killed.csv', people(total));
    const { child, exited } = await startAndWaitForFirstBatch(tenant, file);
    child.kill('SIGKILL');
    await exited;
    const kept = await countOf(tenant.institutionId);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(total);
    expect(kept % 20).toBe(0); // whole batches only

    const rerun = await runImport(file, [], tenant);
    expect(rerun.summary).toMatchObject({
      read: total,
      created: total - kept,
      skipped_existing: kept,
      duplicates: 0,
    });
    expect(await countOf(tenant.institutionId)).toBe(total);
    const distinct = await h.server.db
      .knex('patients')
      .where({ institution_id: tenant.institutionId })
      .countDistinct({ n: 'email' })
      .first();
    expect(Number(distinct?.n)).toBe(total);
  }, 180_000);

  it('stops after the batch being written on SIGINT and says so in its summary', async () => {
    const tenant = await newTenant();
    const total = 6000;
    const file = write('interrupted.csv', people(total, 100_000));
    const { child, exited, output } = await startAndWaitForFirstBatch(tenant, file);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const lines = output().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(summary.interrupted).toBe(true);
    expect(summary.created).toBeLessThan(total);
    expect(await countOf(tenant.institutionId)).toBe(summary.created);
  }, 180_000);
});
