// The initial schema. Times are ISO 8601 UTC strings with milliseconds on both engines: they sort and
// compare correctly as text, and reach the API exactly as SPEC 4.1 writes them.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('institutions', (t) => {
    t.increments('id');
    t.string('subdomain', 63).notNullable().unique();
    t.string('name', 200).notNullable();
    t.text('settings').notNullable().defaultTo('{}').comment('JSON: demographic defaults and other settings');
    t.integer('lock_version')
      .notNullable()
      .defaultTo(0)
      .comment('written first in a transaction to take the lock');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
  });

  await knex.schema.createTable('locations', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('name', 200).notNullable();
    t.string('time_zone', 64).notNullable().defaultTo('America/New_York');
    t.boolean('inactive').notNullable().defaultTo(false);
    t.string('created_at', 24).notNullable();
    t.index(['institution_id']);
  });

  await knex.schema.createTable('providers', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('name', 200).notNullable();
    t.boolean('inactive').notNullable().defaultTo(false);
    t.string('created_at', 24).notNullable();
    t.index(['institution_id']);
  });

  await knex.schema.createTable('provider_locations', (t) => {
    t.integer('provider_id').notNullable().references('providers.id');
    t.integer('location_id').notNullable().references('locations.id');
    t.primary(['provider_id', 'location_id']);
    t.index(['location_id']);
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('key_digest', 64)
      .notNullable()
      .unique()
      .comment('SHA-256 of the key; the key itself is never stored');
    t.string('label', 100).nullable();
    t.string('created_at', 24).notNullable();
    t.string('revoked_at', 24).nullable();
  });

  await knex.schema.createTable('secrets', (t) => {
    t.string('name', 64).primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('patients', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('first_name', 100).notNullable();
    t.string('middle_name', 100).nullable();
    t.string('last_name', 100).notNullable();
    t.string('preferred_name', 100).nullable();
    t.string('email', 254).nullable();
    t.string('phone_number', 20).nullable();
    t.string('date_of_birth', 10).nullable();
    t.string('gender', 10).nullable();
    t.string('address_line_1', 200).nullable();
    t.string('address_line_2', 200).nullable();
    t.string('city', 100).nullable();
    t.string('state', 50).nullable();
    t.string('zip_code', 20).nullable();
    t.boolean('inactive').notNullable().defaultTo(false);
    t.boolean('non_patient').notNullable().defaultTo(false);
    t.boolean('unsubscribe_sms').notNullable().defaultTo(false);
    t.string('foreign_id', 64).nullable();
    t.string('foreign_id_type', 64).notNullable().defaultTo('nex');
    t.integer('guarantor_id').nullable();
    t.integer('provider_id').nullable().references('providers.id');
    t.integer('created_location_id').notNullable().references('locations.id');
    t.string('last_sync_time', 24).nullable();
    t.text('demographics_defaulted').notNullable().defaultTo('[]').comment('JSON array of field names');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    // Exact match parameters: every index starts with the institution (tenancy at the bottom).
    t.index(['institution_id', 'email']);
    t.index(['institution_id', 'phone_number']);
    t.index(['institution_id', 'date_of_birth']);
    t.index(['institution_id', 'foreign_id']);
    t.index(['institution_id', 'updated_at']);
  });

  await knex.schema.createTable('patient_locations', (t) => {
    t.integer('patient_id').notNullable().references('patients.id');
    t.integer('location_id').notNullable().references('locations.id');
    t.primary(['patient_id', 'location_id']);
    t.index(['location_id', 'patient_id']);
  });

  // Fuzzy name candidates: one row per search key of a patient's names (see core's nameSearchKeys).
  await knex.schema.createTable('patient_name_keys', (t) => {
    t.integer('institution_id').notNullable();
    t.string('key', 64).notNullable();
    t.integer('patient_id').notNullable().references('patients.id');
    t.primary(['institution_id', 'key', 'patient_id']);
    t.index(['patient_id']);
  });

  await knex.schema.createTable('appointments', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.integer('location_id').notNullable().references('locations.id');
    t.integer('patient_id').notNullable().references('patients.id');
    t.integer('provider_id').notNullable().references('providers.id');
    t.string('start_time', 24).notNullable();
    t.string('end_time', 24).notNullable();
    t.string('note', 128).nullable();
    t.boolean('confirmed').notNullable().defaultTo(false);
    t.boolean('cancelled').notNullable().defaultTo(false);
    t.string('foreign_id', 64).nullable();
    t.string('foreign_id_type', 64).nullable();
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['institution_id', 'start_time']);
    t.index(['patient_id', 'start_time']);
    t.index(['provider_id', 'start_time']);
  });

  // The embedded reference health record system (SPEC 7): its own tables, its own ids.
  await knex.schema.createTable('ref_hrs_patients', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    t.string('preferred_name', 100).nullable();
    t.string('middle_name', 100).nullable();
    t.string('email', 254).nullable();
    t.string('phone_number', 20).nullable();
    t.string('date_of_birth', 10).nullable();
    t.string('gender', 10).nullable();
    t.string('status', 20).notNullable().defaultTo('Patient');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
    t.index(['institution_id', 'date_of_birth']);
    t.index(['institution_id', 'updated_at']);
  });

  await knex.schema.createTable('ref_hrs_appointments', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('institutions.id');
    t.integer('ref_patient_id').notNullable().references('ref_hrs_patients.id');
    t.integer('provider_id').notNullable();
    t.string('start_time', 24).notNullable();
    t.string('end_time', 24).notNullable();
    t.string('status', 20).notNullable().defaultTo('Scheduled');
    t.string('created_at', 24).notNullable();
    t.string('updated_at', 24).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'ref_hrs_appointments',
    'ref_hrs_patients',
    'appointments',
    'patient_name_keys',
    'patient_locations',
    'patients',
    'secrets',
    'api_keys',
    'provider_locations',
    'providers',
    'locations',
    'institutions',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
