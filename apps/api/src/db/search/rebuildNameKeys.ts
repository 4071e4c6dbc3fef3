// Re-keys every patient's name index from its stored names: what a migration runs when core's search keys
// change what they store.
import { nameSearchKeys } from '@patients/core';
import type { Knex } from 'knex';

const BATCH = 2000;

export async function rebuildNameKeys(knex: Knex): Promise<void> {
  await knex('patient_name_keys').delete();
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
