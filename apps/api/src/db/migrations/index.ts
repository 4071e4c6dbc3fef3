// Migrations are the only way the schema changes. They are listed here (not globbed from disk) so they
// run the same under tsx, vitest and any bundler.
import type { Knex } from 'knex';
import * as m001 from './001_initial';
import * as m002 from './002_name_blocking_keys';
import * as m003 from './003_surname_probes';
import * as m004 from './004_sync_and_connectors';
import * as m005 from './005_given_name_in_surname_keys';
import * as m006 from './006_patients_by_institution_and_id';
import * as m007 from './007_api_key_use';
import * as m008 from './008_audit_log';
import * as m009 from './009_idempotency_keys';
import * as m010 from './010_bio_fields';
import * as m011 from './011_webhooks';

const migrations: Record<string, { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }> = {
  '001_initial': m001,
  '002_name_blocking_keys': m002,
  '003_surname_probes': m003,
  '004_sync_and_connectors': m004,
  '005_given_name_in_surname_keys': m005,
  '006_patients_by_institution_and_id': m006,
  '007_api_key_use': m007,
  '008_audit_log': m008,
  '009_idempotency_keys': m009,
  '010_bio_fields': m010,
  '011_webhooks': m011,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
