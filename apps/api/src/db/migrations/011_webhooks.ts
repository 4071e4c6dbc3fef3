// Webhooks (SPEC 11): an institution's endpoints and what each subscribes to, and the deliveries, written in
// the same transaction as the change that causes them (the outbox: none lost when the process stops, none
// for a change that rolled back), with every attempt kept so an integrator can see why one failed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.increments('id').primary();
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('target_url', 2000).notNullable();
    // The signing secret ("whsec_" + base64), shown to the caller once, when the endpoint is made.
    t.string('secret', 100).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['institution_id', 'id']);
  });
  await knex.schema.createTable('webhook_subscriptions', (t) => {
    t.increments('id').primary();
    t.integer('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.integer('institution_id').notNullable();
    t.string('resource_type', 32).notNullable();
    t.string('event', 64).notNullable();
    t.string('created_at', 24).notNullable();
    t.unique(['endpoint_id', 'event']);
    // A change asks: who in this institution listens to this event?
    t.index(['institution_id', 'event']);
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.increments('id').primary();
    t.integer('institution_id').notNullable();
    t.integer('endpoint_id').notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.string('event', 64).notNullable();
    t.string('resource_type', 32).notNullable();
    t.integer('resource_id').notNullable();
    // pending, delivered, failed (given up after the last retry).
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    // JSON array of { at, status, error, response } (the answer's first 200 characters).
    t.text('attempt_log').notNullable().defaultTo('[]');
    t.string('next_attempt_at', 24).nullable();
    // A worker's claim: no other process delivers it until then.
    t.string('locked_until', 24).nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['endpoint_id', 'status', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_deliveries');
  await knex.schema.dropTable('webhook_subscriptions');
  await knex.schema.dropTable('webhook_endpoints');
}
