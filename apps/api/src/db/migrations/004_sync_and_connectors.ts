// Sync with the health record system (SPEC 7, issue 6): where each institution's connector is configured,
// where each sync stream stands, and who holds the sync lease.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per institution with a configured connector; no row means the embedded reference system.
  await knex.schema.createTable('institution_connectors', (t) => {
    t.integer('institution_id').primary().references('institutions.id');
    t.string('type', 32).notNullable();
    t.text('settings').notNullable().defaultTo('{}').comment('JSON: base URL, location map, sync interval');
    t.text('sealed_secrets')
      .nullable()
      .comment('AES-256-GCM sealed JSON of the keys; see connectors/secrets');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
  });

  // Where each stream (patients, appointments) of an institution's sync stands. `cursor` is the health
  // record system's own clock at the start of the last complete read; `pending_cursor` and `page` describe
  // a read in progress, committed with each page so a killed sync resumes where it stopped.
  await knex.schema.createTable('sync_streams', (t) => {
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('stream', 32).notNullable();
    t.text('cursor').nullable();
    t.text('pending_cursor').nullable();
    t.text('page').nullable();
    t.string('updated_at', 24).notNullable();
    t.primary(['institution_id', 'stream']);
  });

  // The last run of each institution (for the scheduler and `sync` status) and, on SQLite, the lease that
  // keeps two processes from syncing one institution at once (PostgreSQL uses an advisory lock instead).
  await knex.schema.createTable('sync_runs', (t) => {
    t.integer('institution_id').primary().references('institutions.id');
    t.string('lease_owner', 64).nullable();
    t.string('lease_expires_at', 24).nullable();
    t.string('last_started_at', 24).nullable();
    t.string('last_finished_at', 24).nullable();
    t.text('last_summary').nullable();
  });

  // Providers pulled from the health record system are matched by its id.
  await knex.schema.alterTable('providers', (t) => {
    t.string('foreign_id', 64).nullable();
    t.index(['institution_id', 'foreign_id']);
  });
  // Synced patients are found by their foreign id and source.
  await knex.schema.alterTable('patients', (t) => {
    t.index(['institution_id', 'foreign_id_type', 'foreign_id']);
  });
  await knex.schema.alterTable('appointments', (t) => {
    t.index(['institution_id', 'foreign_id']);
  });

  // The reference system keeps what a real one does: where and with whom an appointment is, and a change
  // time sync can read by.
  await knex.schema.alterTable('ref_hrs_appointments', (t) => {
    t.integer('location_id').nullable();
    t.string('note', 128).nullable();
    t.index(['institution_id', 'updated_at']);
  });
  await knex.schema.alterTable('ref_hrs_patients', (t) => {
    t.integer('guarantor_id').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ref_hrs_patients', (t) => t.dropColumn('guarantor_id'));
  await knex.schema.alterTable('ref_hrs_appointments', (t) => {
    t.dropIndex(['institution_id', 'updated_at']);
    t.dropColumn('note');
    t.dropColumn('location_id');
  });
  await knex.schema.alterTable('appointments', (t) => t.dropIndex(['institution_id', 'foreign_id']));
  await knex.schema.alterTable('patients', (t) =>
    t.dropIndex(['institution_id', 'foreign_id_type', 'foreign_id']),
  );
  await knex.schema.alterTable('providers', (t) => {
    t.dropIndex(['institution_id', 'foreign_id']);
    t.dropColumn('foreign_id');
  });
  await knex.schema.dropTable('sync_runs');
  await knex.schema.dropTable('sync_streams');
  await knex.schema.dropTable('institution_connectors');
}
