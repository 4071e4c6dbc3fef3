// Listing an institution's patients in id order (`GET /patients` with no match parameter, the default sort)
// walked a whole birth-date index and sorted it: 50 ms at a million patients. An index in (institution, id)
// order gives the first page at once (0.2 ms measured) and serves the count as well.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('patients', (t) => t.index(['institution_id', 'id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('patients', (t) => t.dropIndex(['institution_id', 'id']));
}
