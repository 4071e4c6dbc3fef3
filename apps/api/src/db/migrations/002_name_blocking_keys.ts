// The name index becomes blocking keys (core's searchKeys: a surname form joined with a given initial), kept in
// a table clustered by key: WITHOUT ROWID on SQLite, and a bytewise ("C") collation on PostgreSQL so key
// prefixes are index ranges. Existing patients are re-keyed here, in batches.
import { nameSearchKeys } from '@patients/core';
import type { Knex } from 'knex';

const BATCH = 2000;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('patient_name_keys');
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE TABLE patient_name_keys (
      institution_id integer NOT NULL,
      key text COLLATE "C" NOT NULL,
      patient_id integer NOT NULL REFERENCES patients(id),
      PRIMARY KEY (institution_id, key, patient_id))`);
  } else {
    await knex.raw(`CREATE TABLE patient_name_keys (
      institution_id integer NOT NULL,
      key text NOT NULL,
      patient_id integer NOT NULL REFERENCES patients(id),
      PRIMARY KEY (institution_id, key, patient_id)) WITHOUT ROWID`);
  }
  await knex.raw('CREATE INDEX patient_name_keys_patient_id_index ON patient_name_keys (patient_id)');

  let after = 0;
  for (;;) {
    const rows = await knex('patients')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'institution_id', 'first_name', 'last_name', 'preferred_name');
    if (!rows.length) break;
    const keys = rows.flatMap((r) =>
      nameSearchKeys(r).map((key) => ({ institution_id: r.institution_id, key, patient_id: r.id })),
    );
    for (let i = 0; i < keys.length; i += 300) await knex('patient_name_keys').insert(keys.slice(i, i + 300));
    after = rows.at(-1).id;
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex('patient_name_keys').delete();
}
