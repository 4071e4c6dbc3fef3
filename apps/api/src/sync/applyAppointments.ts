// Applies one page of appointments pulled from the health record system, inside the page's transaction.
// Booked or cancelled there, they show in the patient's upcoming_appts here after the sync. The health
// record system wins: its times, status and provider overwrite ours, and no double-booking check applies
// (the booking already happened there).
import { syncedAppointmentRecord } from '@patients/core';
import type { Knex } from 'knex';
import type { HrsAppointment } from '../connectors/connector';
import { appointmentsRepo } from '../db/repositories/appointments';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import { syncedRecordsRepo } from '../db/repositories/syncedRecords';
import type { Clock } from '../db/repositories/time';
import { emit } from '../services/webhooks';
import type { SyncTally } from './tally';

export interface AppointmentPageContext {
  trx: Knex.Transaction;
  /** The sync's clock, for every time it stores. */
  now: Clock;
  institutionId: number;
  dataSource: string;
  locationIds: ReadonlySet<number>;
}

/**
 * Our provider for the appointment: the connector's own answer, or the one we hold for the system's
 * provider id. Failing both, an appointment we already hold keeps its provider (booked here by a provider with
 * no id there yet, the system filled in a default of its own that we cannot tell from a real change); a new
 * one gets a new provider under the system's name, working at this location, so the booking still shows.
 * `set-connector --provider` maps our providers to theirs so bookings carry the right one both ways.
 */
async function providerFor(
  ctx: AppointmentPageContext,
  appt: HrsAppointment,
  locationId: number,
  bookedHere: number | undefined,
) {
  const practice = practiceRepo(ctx.trx);
  if (appt.provider_id != null && (await practice.provider(ctx.institutionId, appt.provider_id))) {
    return appt.provider_id;
  }
  if (!appt.provider) return bookedHere;
  const known = await practice.providerIdByForeignId(ctx.institutionId, appt.provider.foreign_id);
  if (known !== undefined) return known;
  if (bookedHere !== undefined) return bookedHere;
  const name = appt.provider.name.trim() || `Provider ${appt.provider.foreign_id}`;
  const added = await practice.createProvider(ctx.institutionId, name, [locationId]);
  await practice.setProviderForeignId(ctx.institutionId, added.id, appt.provider.foreign_id);
  return added.id;
}

export async function applyAppointmentPage(
  ctx: AppointmentPageContext,
  items: readonly HrsAppointment[],
  tally: SyncTally,
): Promise<void> {
  const { trx, institutionId, dataSource } = ctx;
  const lookups = syncedRecordsRepo(trx);
  tally.pulled(items.length);
  const ours = await lookups.appointmentsByForeignId(
    institutionId,
    dataSource,
    items.map((a) => a.foreign_id),
  );
  const patients = await lookups.patientsByForeignId(
    institutionId,
    dataSource,
    items.map((a) => a.foreign_patient_id),
  );

  for (const item of items) {
    const parsed = syncedAppointmentRecord.safeParse(item);
    if (!parsed.success) {
      tally.problem('appointments', item.foreign_id, 'appointment has no valid times; skipped');
      continue;
    }
    const appt = parsed.data;
    const patient = patients.get(appt.foreign_patient_id);
    if (!patient) {
      tally.problem('appointments', appt.foreign_id, 'its patient has not been synced; skipped');
      continue;
    }
    const existing = ours.get(appt.foreign_id);
    const locationId =
      item.location_id != null && ctx.locationIds.has(item.location_id)
        ? item.location_id
        : (existing?.location_id ?? patient.created_location_id);
    const providerId = await providerFor(ctx, item, locationId, existing?.provider_id);
    if (providerId === undefined) {
      tally.problem('appointments', appt.foreign_id, 'no provider; skipped');
      continue;
    }
    const fields = {
      location_id: locationId,
      provider_id: providerId,
      start_time: new Date(appt.start_time).toISOString(),
      end_time: new Date(appt.end_time).toISOString(),
      cancelled: appt.cancelled,
      note: appt.note,
      // The system's word for it when it has one (SPEC 5); otherwise what we hold.
      confirmed: appt.confirmed ?? existing?.confirmed ?? false,
    };
    if (existing) {
      const same = (Object.keys(fields) as (keyof typeof fields)[]).every((k) => existing[k] === fields[k]);
      if (same) {
        tally.count('unchanged');
        continue;
      }
      await appointmentsRepo(trx, ctx.now).updateSynced(institutionId, existing.id, fields);
      if (fields.cancelled && !existing.cancelled)
        await emit(trx, institutionId, 'appointment_cancelled', 'Appointment', [existing.id], ctx.now);
      tally.count('updated');
    } else {
      const made = await appointmentsRepo(trx, ctx.now).insert({
        ...fields,
        institution_id: institutionId,
        patient_id: patient.id,
        foreign_id: appt.foreign_id,
        foreign_id_type: dataSource,
      });
      await emit(trx, institutionId, 'appointment_created', 'Appointment', [made.id], ctx.now);
      tally.count('created');
    }
    // The patient is seen where they are booked (SPEC 4.2's location filter).
    await patientsRepo(trx, ctx.now).addLocation(institutionId, patient.id, locationId);
  }
}
