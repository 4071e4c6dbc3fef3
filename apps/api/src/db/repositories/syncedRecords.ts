// The lookups a sync page needs, one query per page rather than one per record: local copies by their
// foreign id, the not-yet-inserted patients a pulled record could be linked to, appointments by foreign id.
import { NEX_FOREIGN_ID_TYPE } from '@patients/core';
import type { Knex } from 'knex';
import { type AppointmentRow, appointmentFromDb } from './appointments';
import { type PatientRow, patientFromDb } from './patients';

export function syncedRecordsRepo(db: Knex) {
  return {
    /** This institution's copies of these records of `dataSource`, by foreign id. */
    async patientsByForeignId(
      institutionId: number,
      dataSource: string,
      foreignIds: readonly string[],
    ): Promise<Map<string, PatientRow>> {
      if (!foreignIds.length) return new Map();
      const rows = await db('patients')
        .where({ institution_id: institutionId, foreign_id_type: dataSource })
        .whereIn('foreign_id', [...new Set(foreignIds)]);
      return new Map(rows.map((r) => [String(r.foreign_id), patientFromDb(r)]));
    },

    /** Patients registered here and not yet in the health record system, born on one of these dates. */
    async notInsertedBornOn(institutionId: number, dates: readonly string[]): Promise<PatientRow[]> {
      if (!dates.length) return [];
      const rows = await db('patients')
        .where({ institution_id: institutionId, foreign_id_type: NEX_FOREIGN_ID_TYPE })
        .whereIn('date_of_birth', [...new Set(dates)]);
      return rows.map(patientFromDb);
    },

    async appointmentsByForeignId(
      institutionId: number,
      dataSource: string,
      foreignIds: readonly string[],
    ): Promise<Map<string, AppointmentRow>> {
      if (!foreignIds.length) return new Map();
      const rows = await db('appointments')
        .where({ institution_id: institutionId, foreign_id_type: dataSource })
        .whereIn('foreign_id', [...new Set(foreignIds)]);
      return new Map(rows.map((r) => [String(r.foreign_id), appointmentFromDb(r)]));
    },
  };
}
