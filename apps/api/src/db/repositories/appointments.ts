// Appointment rows, filtered by institution in every method.
import type { Appointment } from '@patients/core';
import type { Knex } from 'knex';
import { bool, type Clock, systemClock } from './time';

export interface AppointmentRow {
  id: number;
  institution_id: number;
  location_id: number;
  patient_id: number;
  provider_id: number;
  start_time: string;
  end_time: string;
  note: string | null;
  confirmed: boolean;
  cancelled: boolean;
  foreign_id: string | null;
  foreign_id_type: string | null;
  created_at: string;
  updated_at: string;
}

function fromDb(raw: Record<string, unknown>): AppointmentRow {
  return {
    ...(raw as unknown as AppointmentRow),
    confirmed: bool(raw.confirmed),
    cancelled: bool(raw.cancelled),
  };
}

export interface AppointmentFilter {
  start: string;
  end: string;
  locationId: number;
  patientIds?: number[] | undefined;
  providerIds?: number[] | undefined;
  cancelled?: boolean | undefined;
}

export function appointmentsRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  function filtered(institutionId: number, f: AppointmentFilter) {
    const q = db('appointments')
      .where({ institution_id: institutionId, location_id: f.locationId })
      .where('start_time', '>=', f.start)
      .where('start_time', '<', f.end);
    if (f.patientIds?.length) q.whereIn('patient_id', f.patientIds);
    if (f.providerIds?.length) q.whereIn('provider_id', f.providerIds);
    if (f.cancelled !== undefined) q.where({ cancelled: f.cancelled });
    return q;
  }

  return {
    async insert(
      row: Omit<AppointmentRow, 'id' | 'created_at' | 'updated_at' | 'cancelled' | 'confirmed'> & {
        confirmed?: boolean;
        /** Only sync brings in an appointment already cancelled in the health record system. */
        cancelled?: boolean;
      },
    ): Promise<AppointmentRow> {
      const now = nowIso();
      const [raw] = await db('appointments')
        .insert({ confirmed: false, cancelled: false, ...row, created_at: now, updated_at: now })
        .returning('*');
      return fromDb(raw);
    },

    /** Sync's overwrite of an appointment with the health record system's version (it wins). */
    async updateSynced(
      institutionId: number,
      id: number,
      fields: Pick<
        AppointmentRow,
        'location_id' | 'provider_id' | 'start_time' | 'end_time' | 'cancelled' | 'note'
      >,
    ): Promise<void> {
      await db('appointments')
        .where({ institution_id: institutionId, id })
        .update({ ...fields, updated_at: nowIso() });
    },

    async byId(institutionId: number, id: number): Promise<AppointmentRow | undefined> {
      const raw = await db('appointments').where({ institution_id: institutionId, id }).first();
      return raw ? fromDb(raw) : undefined;
    },

    /** Cancels and/or confirms an appointment (SPEC 5). */
    async mark(
      institutionId: number,
      id: number,
      flags: { cancelled?: true; confirmed?: true },
    ): Promise<AppointmentRow | undefined> {
      const [raw] = await db('appointments')
        .where({ institution_id: institutionId, id })
        .update({ ...flags, updated_at: nowIso() })
        .returning('*');
      return raw ? fromDb(raw) : undefined;
    },

    /** Whether the provider has a non-cancelled appointment overlapping [start, end). */
    async providerBusy(
      institutionId: number,
      providerId: number,
      start: string,
      end: string,
    ): Promise<boolean> {
      const row = await db('appointments')
        .where({ institution_id: institutionId, provider_id: providerId, cancelled: false })
        .where('start_time', '<', end)
        .where('end_time', '>', start)
        .first('id');
      return Boolean(row);
    },

    async countForPatient(institutionId: number, patientId: number): Promise<number> {
      const row = await db('appointments')
        .where({ institution_id: institutionId, patient_id: patientId })
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },

    async list(institutionId: number, f: AppointmentFilter, page: number, perPage: number) {
      const [countRow, rows] = await Promise.all([
        filtered(institutionId, f).count({ n: '*' }).first(),
        filtered(institutionId, f)
          .orderBy([{ column: 'start_time' }, { column: 'id' }])
          .limit(perPage)
          .offset((page - 1) * perPage),
      ]);
      return { rows: rows.map(fromDb), count: Number(countRow?.n ?? 0) };
    },

    /** Future, non-cancelled appointments of these patients, soonest first (SPEC 4.1 upcoming_appts). */
    async upcoming(
      institutionId: number,
      patientIds: readonly number[],
      now: string,
    ): Promise<AppointmentRow[]> {
      if (!patientIds.length) return [];
      const rows = await db('appointments')
        .where({ institution_id: institutionId, cancelled: false })
        .whereIn('patient_id', patientIds)
        .where('start_time', '>', now)
        .orderBy([{ column: 'start_time' }, { column: 'id' }]);
      return rows.map(fromDb);
    },
  };
}
export type AppointmentsRepo = ReturnType<typeof appointmentsRepo>;

export function toAppointment(row: AppointmentRow, providerName: string): Appointment {
  return {
    id: row.id,
    patient_id: row.patient_id,
    provider_id: row.provider_id,
    provider_name: providerName,
    location_id: row.location_id,
    start_time: row.start_time,
    end_time: row.end_time,
    note: row.note,
    confirmed: row.confirmed,
    cancelled: row.cancelled,
    foreign_id: row.foreign_id,
    foreign_id_type: row.foreign_id_type,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
export { fromDb as appointmentFromDb };
