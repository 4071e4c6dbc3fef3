// Keys an administrator can tell apart and see in use (SPEC 3 "Keys"): the first characters of each new key
// (never enough to use it; older keys have none) and when it was last used (kept at most once a minute).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.string('prefix', 16).nullable();
    t.string('last_used_at', 24).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropColumn('prefix');
    t.dropColumn('last_used_at');
  });
}
