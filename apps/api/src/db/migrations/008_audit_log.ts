// The audit log (SPEC 3 "Audit log"): who read, searched, created, edited, booked or cancelled which
// patients, when, and what they were answered. Append-only: no repository method changes or deletes an
// entry, and the triggers below refuse an UPDATE or DELETE from anything else that shares the database
// (a script, a hand-run statement), on both engines.
import type { Knex } from 'knex';
import { isPostgres } from '../dialect';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.string('at', 24).notNullable();
    // Null for a request whose credentials were refused: no institution can be named for it.
    t.integer('institution_id').nullable();
    t.integer('api_key_id').nullable();
    t.string('acting_user', 128).nullable();
    t.string('action', 32).notNullable();
    // The patient ids as ",4,17,": one entry per answer stays one row (a search answers up to a page of
    // patients), and `--patient-id 4` is a LIKE '%,4,%' within the institution's entries.
    t.text('patient_ids').notNullable();
    t.integer('status').notNullable();
    t.string('request_id', 64).notNullable();
    // Read oldest first, from a time on (`admin audit-log --since`).
    t.index(['institution_id', 'at', 'id'], 'audit_log_by_institution');
  });
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$`);
    await knex.raw(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await knex.raw(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  } else {
    for (const event of ['UPDATE', 'DELETE']) {
      await knex.raw(`
        CREATE TRIGGER audit_log_no_${event.toLowerCase()} BEFORE ${event} ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  if (isPostgres(knex)) await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only()');
}
