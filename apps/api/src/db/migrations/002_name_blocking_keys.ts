// The name index becomes blocking keys (core's searchKeys: a surname form joined with a given initial), kept in
// a table clustered by key: WITHOUT ROWID on SQLite, and a bytewise ("C") collation on PostgreSQL so key
// prefixes are index ranges. Existing patients are re-keyed here, in batches. The table has no other index and
// no foreign key: each would cost a look-up per key row on every insert (16 rows a patient), and a patient's
// keys are found again from its names when they change (patientsRepo.update).

import type { Knex } from 'knex';
import { isPostgres } from '../dialect';
import { rebuildNameKeys } from '../search/rebuildNameKeys';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('patient_name_keys');
  if (isPostgres(knex)) {
    await knex.raw(`CREATE TABLE patient_name_keys (
      institution_id integer NOT NULL,
      key text COLLATE "C" NOT NULL,
      patient_id integer NOT NULL,
      PRIMARY KEY (institution_id, key, patient_id))`);
  } else {
    await knex.raw(`CREATE TABLE patient_name_keys (
      institution_id integer NOT NULL,
      key text NOT NULL,
      patient_id integer NOT NULL,
      PRIMARY KEY (institution_id, key, patient_id)) WITHOUT ROWID`);
  }

  await rebuildNameKeys(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex('patient_name_keys').delete();
}
