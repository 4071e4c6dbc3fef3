// Appointments (SPEC 5). Booking a patient's first appointment inserts the patient into the health record
// system in the same unit of work: if the system refuses or cannot be reached, nothing is booked or changed.
import {
  type Appointment,
  BIO_DETAIL_FIELDS,
  type BookAppointmentInput,
  conflictError,
  DEFAULT_APPOINTMENT_MINUTES,
  hrsRefusedError,
  hrsUnreachableError,
  isNewPatient,
  type ListAppointmentsInput,
  notFoundError,
  ServiceError,
  type UpdateAppointmentInput,
  validationError,
} from '@patients/core';
import { ConnectorRefused, ConnectorUnreachable, type UpstreamCause } from '../connectors/connector';
import { withInstitutionLock } from '../db/connect';
import { appointmentsRepo, toAppointment } from '../db/repositories/appointments';
import { patientsRepo } from '../db/repositories/patients';
import { practiceRepo } from '../db/repositories/practice';
import type { ChangeAudit } from './audit';
import type { ServiceDeps } from './deps';
import { emit } from './webhooks';

/**
 * A connector failure as SPEC 5's refusal: 400 with the system's reason, 502 when it cannot be reached. The
 * 502 carries, as its `cause`, what the operator's log line needs (which system, the status it answered
 * with, the kind of failure): never the message, which may quote the system's words about a patient.
 */
function connectorError(
  connector: string,
  err: unknown,
  refused = 'Appointment not booked',
  notDone = 'the appointment was not booked',
  what = 'the patient',
): never {
  if (err instanceof ConnectorRefused) {
    throw hrsRefusedError(`The health record system refused ${what}: ${err.message}`, refused);
  }
  if (err instanceof ConnectorUnreachable) {
    const answer = hrsUnreachableError(
      `The health record system could not be reached, so ${notDone}: ${err.message}`,
    );
    answer.cause = {
      connector,
      failure: err.constructor.name,
      ...(err.status !== undefined && { status: err.status }),
    } satisfies UpstreamCause;
    throw answer;
  }
  throw err;
}

export async function bookAppointment(
  deps: ServiceDeps,
  institutionId: number,
  input: BookAppointmentInput,
  audit?: ChangeAudit,
): Promise<Appointment> {
  const { knex } = deps.db;
  const { appt } = input;
  const practice = practiceRepo(knex);
  if (!(await practice.location(institutionId, input.location_id))) throw notFoundError('Location');
  const provider = await practice.provider(institutionId, appt.provider_id);
  if (!provider) throw notFoundError('Provider');

  const start = appt.start_time;
  const end =
    appt.end_time ?? new Date(Date.parse(start) + DEFAULT_APPOINTMENT_MINUTES * 60_000).toISOString();
  const problems: string[] = [];
  if (!provider.location_ids.includes(input.location_id))
    problems.push('provider_id does not work at this location');
  if (Date.parse(start) <= deps.now().getTime()) problems.push('start_time must be in the future');
  if (Date.parse(end) <= Date.parse(start)) problems.push('end_time must be after start_time');
  if (problems.length) throw validationError(problems, 'Appointment not booked');
  const connector = await deps.connectorFor(institutionId);

  const row = await withInstitutionLock(deps.db, institutionId, async (trx) => {
    const patients = patientsRepo(trx, deps.now);
    const appointments = appointmentsRepo(trx, deps.now);
    const patient = await patients.byId(institutionId, appt.patient_id);
    if (!patient) throw notFoundError('Patient');
    if (await appointments.providerBusy(institutionId, provider.id, start, end)) {
      throw conflictError(['The provider is already booked at that time'], 'Appointment not booked');
    }
    const scope = { trx, institutionId };
    try {
      let foreignPatientId = patient.foreign_id;
      if (isNewPatient(patient) || !foreignPatientId) {
        const inserted = await connector.insertPatient(scope, {
          first_name: patient.first_name,
          last_name: patient.last_name,
          middle_name: patient.middle_name,
          preferred_name: patient.preferred_name,
          email: patient.email,
          phone_number: patient.phone_number,
          date_of_birth: patient.date_of_birth,
          gender: patient.gender,
          demographics_defaulted: patient.demographics_defaulted,
          ...Object.fromEntries(BIO_DETAIL_FIELDS.map((f) => [f, patient[f] ?? null])),
        });
        foreignPatientId = inserted.foreign_id;
        await emit(trx, institutionId, 'patient_inserted', 'Patient', [patient.id], deps.now);
        await patients.update(institutionId, patient.id, {
          foreign_id: foreignPatientId,
          foreign_id_type: connector.dataSource,
          last_sync_time: deps.now().toISOString(),
        });
      }
      const booked = await connector.bookAppointment(scope, {
        foreign_patient_id: foreignPatientId,
        provider_id: provider.id,
        provider_foreign_id: await practiceRepo(trx).providerForeignId(institutionId, provider.id),
        location_id: input.location_id,
        start_time: start,
        end_time: end,
        note: appt.note ?? null,
      });
      await patients.addLocation(institutionId, patient.id, input.location_id);
      const row = await appointments.insert({
        institution_id: institutionId,
        location_id: input.location_id,
        patient_id: patient.id,
        provider_id: provider.id,
        start_time: start,
        end_time: end,
        note: appt.note ?? null,
        foreign_id: booked.foreign_id,
        foreign_id_type: connector.dataSource,
      });
      await emit(trx, institutionId, 'appointment_created', 'Appointment', [row.id], deps.now);
      await audit?.changed(trx, [patient.id], 201);
      return row;
    } catch (err) {
      if (err instanceof ServiceError) throw err;
      connectorError(connector.dataSource, err);
    }
  });
  return toAppointment(row, provider.name);
}

export async function listAppointments(
  deps: ServiceDeps,
  institutionId: number,
  input: ListAppointmentsInput,
) {
  const { knex } = deps.db;
  if (!(await practiceRepo(knex).location(institutionId, input.location_id))) throw notFoundError('Location');
  if (Date.parse(input.end) <= Date.parse(input.start)) throw validationError(['end must be after start']);
  const { rows, count } = await appointmentsRepo(knex).list(
    institutionId,
    {
      start: input.start,
      end: input.end,
      locationId: input.location_id,
      patientIds: input.patient_ids,
      providerIds: input.provider_ids,
      cancelled: input.cancelled,
    },
    input.page,
    input.per_page,
  );
  const names = await practiceRepo(knex).providerNames(
    institutionId,
    rows.map((r) => r.provider_id),
  );
  return { appointments: rows.map((r) => toAppointment(r, names.get(r.provider_id) ?? '')), count };
}

/**
 * PATCH /appointments/:id (SPEC 5): cancel and/or confirm. An appointment already in the health record system
 * is cancelled or confirmed there first, inside the same unit of work: when the system refuses or cannot be
 * reached, nothing changes here (400 / 502 with its reason).
 */
export async function updateAppointment(
  deps: ServiceDeps,
  institutionId: number,
  input: UpdateAppointmentInput,
  audit?: ChangeAudit,
): Promise<Appointment> {
  const connector = await deps.connectorFor(institutionId);
  const row = await withInstitutionLock(deps.db, institutionId, async (trx) => {
    const appointments = appointmentsRepo(trx, deps.now);
    const current = await appointments.byId(institutionId, input.id);
    if (!current) throw notFoundError('Appointment');
    // Only what changes is asked of the system: a repeated PATCH is a no-op there too.
    const cancel = input.appt.cancelled === true && !current.cancelled;
    const confirm = input.appt.confirmed === true && !current.confirmed;
    if (current.foreign_id && current.foreign_id_type === connector.dataSource) {
      const scope = { trx, institutionId };
      try {
        if (confirm) await connector.confirmAppointment(scope, current.foreign_id);
        if (cancel) await connector.cancelAppointment(scope, current.foreign_id);
      } catch (err) {
        connectorError(
          connector.dataSource,
          err,
          'Appointment not changed',
          'the appointment was not changed',
          'the change',
        );
      }
    }
    const changed = await appointments.mark(institutionId, current.id, {
      ...(cancel && { cancelled: true as const }),
      ...(confirm && { confirmed: true as const }),
    });
    if (cancel)
      await emit(trx, institutionId, 'appointment_cancelled', 'Appointment', [current.id], deps.now);
    await audit?.changed(trx, [current.patient_id], 200);
    return changed!;
  });
  const names = await practiceRepo(deps.db.read).providerNames(institutionId, [row.provider_id]);
  return toAppointment(row, names.get(row.provider_id) ?? '');
}
