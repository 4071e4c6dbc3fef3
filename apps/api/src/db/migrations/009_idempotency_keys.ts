// Idempotency-Key (SPEC 4.3): the first answer to a POST made with a key, kept 24 hours per API key, so that a
// client retrying after a timeout gets that answer again instead of making the change twice. In the database,
// not in memory, so a restart between the two tries changes nothing.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.integer('api_key_id').notNullable();
    t.string('key', 255).notNullable();
    // The operation and its validated input, digested: "the same request" (SHA-256, hex).
    t.string('fingerprint', 64).notNullable();
    // When the first request came; the key lapses 24 hours later.
    t.string('created_at', 24).notNullable();
    // Null while the first request is being answered; then its outcome (JSON) and status.
    t.integer('status').nullable();
    t.text('outcome').nullable();
    t.primary(['api_key_id', 'key']);
    t.index(['created_at'], 'idempotency_keys_by_age');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
