// The hot queries' plans must not depend on the planner's statistics (issue 11): a practice's database is
// never analysed by hand, may have grown 100x since it last was, or may have fresh statistics. For each hot
// query the SQL the code really sends is captured (knex's `query` event while the real service or repository
// runs) and explained on a database grown through the repository's insert path: with no statistics, after
// ANALYZE, and with statistics taken when it was 50 times smaller. Each check names the index (and, for the
// name search's join, which side is the outer loop) it must use; reordering the join or dropping the forced
// shape makes it fail.
import { nameQueryPlan, searchPatientsInput } from '@patients/core';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type EngineName, freshDatabase, type TestDatabase } from '../../test/harness';
import { referenceConnector } from '../connectors/reference';
import { searchPatients } from '../services/searchPatients';
import { type Database, migrate, openDatabase } from './connect';
import { institutionsRepo } from './repositories/institutions';
import { patientsRepo } from './repositories/patients';
import { practiceRepo } from './repositories/practice';
import { nameCandidates } from './search/patientSearch';

const SURNAMES = [
  'Smith',
  'Johnson',
  'Garcia-Lopez',
  'Nguyen',
  'Brown',
  'Miller',
  'Davis',
  "O'Brien",
  'Wilson',
];
const GIVEN = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'Siobhan'];

/** Patients written as the API writes them (name keys included), `from`..`to`. */
async function grow(db: Database, institutionId: number, locationId: number, from: number, to: number) {
  for (let start = from; start < to; start += 500) {
    const rows = Array.from({ length: Math.min(500, to - start) }, (_, j) => {
      const i = start + j;
      // One patient in a thousand has a rare name, so that a search can have the few candidates a real one has.
      const rare = i % 1000 === 500;
      return {
        first_name: rare ? 'Zebulon' : GIVEN[i % GIVEN.length]!,
        last_name: rare
          ? 'Quixley'
          : `${SURNAMES[(i * 7) % SURNAMES.length]}${i % 13 === 0 ? '' : String.fromCharCode(97 + (i % 26))}`,
        email: `patient${i}@example.com`,
        phone_number: `212${String(5_000_000 + i).padStart(7, '0')}`,
        date_of_birth: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
        gender: 'Female' as const,
        demographics_defaulted: [],
      };
    });
    await db.knex.transaction((trx) => patientsRepo(trx).insertMany(institutionId, locationId, rows));
  }
}

/** The SQL statements `work` sends, with their bindings. */
async function captured(knex: Knex, work: () => Promise<unknown>) {
  const seen: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) =>
    seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.off('query', listener);
  }
  return seen;
}

/** SQLite: EXPLAIN QUERY PLAN's lines, outer loops first. PostgreSQL: the plan's nodes, depth first. */
async function explain(db: Database, sql: string, bindings: readonly unknown[]): Promise<string[]> {
  if (db.engine === 'sqlite') {
    const rows: Array<{ detail: string }> = await db.knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as never);
    return rows.map((r) => r.detail);
  }
  const result = await db.knex.raw(`EXPLAIN (FORMAT JSON) ${pgPlaceholders(sql)}`, bindings as never);
  const out: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    out.push(
      [
        node['Node Type'],
        node['Relation Name'],
        node['Index Name'],
        node['Parent Relationship'],
        node['Index Cond'] ? `[${node['Index Cond']}]` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(result.rows[0]['QUERY PLAN'][0].Plan);
  return out;
}

/** knex's `query` event gives PostgreSQL statements with $1..$n; knex.raw wants `?`. */
function pgPlaceholders(sql: string): string {
  return sql.replace(/\$\d+/g, '?');
}

type State = 'no statistics' | 'fresh statistics' | 'stale statistics';

describe.each(ENGINES)('%s: hot query plans', (engine: EngineName) => {
  // PostgreSQL's cost model rightly reads a table of 3,000 rows whole for a few hundred ids or scans an
  // institution's index range of 3,000 entries rather than a column index it cannot estimate without
  // statistics; at 30,000 the plans are the ones a large practice gets, and those are what is checked.
  const ROWS = engine === 'postgres' ? 30_000 : 3000;
  const states: Record<State, { db: Database; institutionId: number; locationId: number }> = {} as never;
  const databases: TestDatabase[] = [];

  async function make(state: State) {
    const database = await freshDatabase(engine);
    databases.push(database);
    const db = openDatabase(database.url);
    await migrate(db);
    if (engine === 'postgres') {
      // As before autovacuum's first visit: nothing may analyse these tables behind the test's back.
      for (const table of ['patients', 'patient_name_keys', 'patient_locations', 'ref_hrs_patients'])
        await db.knex.raw(`ALTER TABLE ${table} SET (autovacuum_enabled = off)`);
    }
    const inst = await institutionsRepo(db.knex).create(`plans${databases.length}`, 'Plans Dental');
    const location = await practiceRepo(db.knex).createLocation(inst.id, 'Main St');
    if (state === 'stale statistics') {
      await grow(db, inst.id, location.id, 0, ROWS / 50);
      await db.knex.raw('ANALYZE');
      await grow(db, inst.id, location.id, ROWS / 50, ROWS);
    } else {
      await grow(db, inst.id, location.id, 0, ROWS);
      if (state === 'fresh statistics') await db.knex.raw('ANALYZE');
    }
    states[state] = { db, institutionId: inst.id, locationId: location.id };
  }

  beforeAll(async () => {
    for (const state of ['no statistics', 'fresh statistics', 'stale statistics'] as const) await make(state);
  }, 120_000);
  afterAll(async () => {
    for (const { db } of Object.values(states)) await db.close();
    for (const d of databases) await d.drop();
  });

  const search = (state: State, fields: Record<string, unknown>) => {
    const { db, institutionId, locationId } = states[state];
    const input = searchPatientsInput.parse({ subdomain: 'x', location_id: locationId, ...fields });
    return searchPatients(
      { db, now: () => new Date(), connectorFor: async () => referenceConnector },
      institutionId,
      input,
    );
  };

  /** The plans of the statements `work` sends that match `pattern`. */
  async function plansOf(state: State, pattern: RegExp, work: () => Promise<unknown>) {
    const { db } = states[state];
    const statements = (await captured(db.knex, work)).filter((s) => pattern.test(s.sql));
    expect(statements.length).toBeGreaterThan(0);
    return Promise.all(statements.map((s) => explain(db, s.sql, s.bindings)));
  }

  // Each check holds on both engines in every state. On PostgreSQL a plan names an index and its condition
  // (`Index Scan patients patients_pkey [id = ANY ...]`); where PostgreSQL legitimately chooses between two
  // good paths on a table this small (the primary key or the (institution, id) index for a listing in id
  // order), either is accepted, and what is refused is the pathology: a sequential scan, a sort of the
  // institution, or a hash or merge join over the table.
  const sqlite = engine === 'sqlite';
  describe.each(['no statistics', 'fresh statistics', 'stale statistics'] as const)('%s', (state) => {
    it('name candidates: the key list outside, one key-index range per prefix inside', async () => {
      const { db, institutionId } = states[state];
      const [plan] = await plansOf(state, /patient_name_keys/, () =>
        nameCandidates(db.knex, institutionId, nameQueryPlan('jonh smtih')),
      );
      if (engine === 'sqlite') {
        expect(plan![0]).toMatch(/^SCAN r\b/); // json_each, the outer loop
        expect(plan![1]).toMatch(/^SEARCH k USING PRIMARY KEY \(institution_id=\? AND key>\? AND key<\?\)/);
      } else {
        expect(plan![0]).toBe('Nested Loop');
        expect(plan![1]).toMatch(/^Function Scan Outer/); // unnest, the outer loop
        expect(plan!.slice(2).join(' | ')).toMatch(/patient_name_keys_pkey/);
        expect(plan!.join(' | ')).not.toMatch(/Seq Scan|Materialize|Hash/);
      }
    });

    it('exact parameters: each through its own index, patients read by id', async () => {
      // Two statements: the ids, one index lookup per parameter; then the patients by id.
      const plans = await plansOf(state, /union all|patients\.id = m\.id/i, () =>
        search(state, {
          email: 'patient7@example.com',
          phone_number: '2125000008',
          date_of_birth: '1950-01-10',
        }),
      );
      const text = plans.flat().join(' | ');

      for (const index of ['email', 'phone_number', 'date_of_birth']) {
        expect(text).toMatch(new RegExp(`patients_institution_id_${index}_index`));
      }
      expect(text).not.toMatch(/SCAN patients|Seq Scan on patients|Seq Scan patients/);
    });

    it('polling by updated_since walks the updated_at index', async () => {
      const plans = await plansOf(state, /^select [`"]?patients[`"]?\.\*/i, () =>
        search(state, { per_page: 5, updated_since: '2100-01-01' }),
      );
      expect(plans.flat().join(' | ')).toMatch(/patients_institution_id_updated_at_index/);
    });

    it('name matches are read by id, never by scanning', async () => {
      const plans = await plansOf(state, /patients\.id = m\.id/, () =>
        search(state, { name: 'zebulon quixley' }),
      );
      const text = plans.flat().join(' | ');
      if (sqlite) {
        expect(text).toMatch(/SEARCH patients USING INTEGER PRIMARY KEY \(rowid=\?\)/);
        expect(text).not.toMatch(/SCAN patients/);
      } else {
        // The id list is the outer loop; each id one primary-key probe inside.
        for (const plan of plans) {
          expect(plan.slice(0, 2)).toEqual(['Nested Loop', 'Function Scan Outer']);
          expect(plan.join(' | ')).toMatch(/Index Scan patients patients_pkey Subquery \[\(id = m\.id\)\]/);
        }
        expect(text).not.toMatch(
          /Seq Scan|Hash Join|Merge Join|Bitmap Index Scan patients_institution_id_id_index/,
        );
      }
    });

    it('the duplicate check reads one birth date through its index', async () => {
      const { db, institutionId } = states[state];
      const [plan] = await plansOf(state, /date_of_birth/, () =>
        patientsRepo(db.knex).evidenceBornOn(institutionId, '1950-01-10'),
      );
      expect(plan!.join(' | ')).toMatch(/patients_institution_id_date_of_birth_index/);
    });

    it('sync finds a patient by its foreign id through the foreign-id index', async () => {
      const { db, institutionId } = states[state];
      const [plan] = await plansOf(state, /foreign_id/, () =>
        patientsRepo(db.knex).byForeignId(institutionId, 'OpenDental', '42'),
      );
      expect(plan!.join(' | ')).toMatch(/patients_institution_id_foreign_id_type_foreign_id_index/);
    });

    it('the plain listing walks the (institution, id) index in order, without sorting', async () => {
      const plans = await plansOf(state, /^select [`"]?patients[`"]?\.\*/i, () =>
        search(state, { per_page: 5 }),
      );
      const text = plans.flat().join(' | ');

      expect(text).toMatch(
        sqlite
          ? /patients_institution_id_id_index/
          : /Index Scan patients (patients_institution_id_id_index|patients_pkey)/,
      );
      expect(text).not.toMatch(/TEMP B-TREE|Sort|Seq Scan/);
    });
  });
});
