// Every field of NexHealth's bio object (SPEC 4.1): three more phones and a street address for patients, each
// phone indexed like phone_number (a phone search matches any of them); the embedded reference system keeps
// the same fields, so they travel both ways through insertion and sync; and its appointments carry the
// confirmation flag that `confirmed` reflects (SPEC 5).
import type { Knex } from 'knex';

const PHONES = ['cell_phone_number', 'home_phone_number', 'work_phone_number'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('patients', (t) => {
    for (const phone of PHONES) t.string(phone, 20).nullable();
    t.string('street_address', 200).nullable();
  });
  await knex.schema.alterTable('patients', (t) => {
    for (const phone of PHONES) t.index(['institution_id', phone], `patients_institution_id_${phone}_index`);
  });
  await knex.schema.alterTable('ref_hrs_patients', (t) => {
    for (const phone of PHONES) t.string(phone, 20).nullable();
    t.string('street_address', 200).nullable();
    t.string('address_line_1', 200).nullable();
    t.string('address_line_2', 200).nullable();
    t.string('city', 100).nullable();
    t.string('state', 50).nullable();
    t.string('zip_code', 20).nullable();
  });
  await knex.schema.alterTable('ref_hrs_appointments', (t) => {
    t.boolean('confirmed').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ref_hrs_appointments', (t) => t.dropColumn('confirmed'));
  await knex.schema.alterTable('ref_hrs_patients', (t) => {
    for (const c of [
      ...PHONES,
      'street_address',
      'address_line_1',
      'address_line_2',
      'city',
      'state',
      'zip_code',
    ])
      t.dropColumn(c);
  });
  await knex.schema.alterTable('patients', (t) => {
    for (const phone of PHONES)
      t.dropIndex(['institution_id', phone], `patients_institution_id_${phone}_index`);
  });
  await knex.schema.alterTable('patients', (t) => {
    for (const c of [...PHONES, 'street_address']) t.dropColumn(c);
  });
}
