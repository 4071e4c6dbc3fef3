// Appointments (SPEC 5): the object, booking, listing and cancelling.
import { z } from 'zod';
import { dateTimeInput, id, idempotencyKey, idInput, isoDateTime, subdomain, timestamps } from './common';

export const appointment = z
  .object({
    id,
    patient_id: id,
    provider_id: id,
    provider_name: z.string(),
    location_id: id,
    start_time: isoDateTime,
    end_time: isoDateTime,
    note: z.string().nullable(),
    confirmed: z.boolean(),
    cancelled: z.boolean(),
    foreign_id: z.string().nullable().describe("the appointment's id in the health record system"),
    foreign_id_type: z.string().nullable(),
    ...timestamps,
  })
  .meta({ id: 'Appointment' });
export type Appointment = z.infer<typeof appointment>;

export const APPOINTMENT_NOTE_MAX = 128;
export const DEFAULT_APPOINTMENT_MINUTES = 30;

/** POST /appointments and appointments.book. `end_time` defaults to 30 minutes after the start. */
export const bookAppointmentInput = z.object({
  subdomain,
  location_id: id,
  appt: z
    .object({
      patient_id: idInput,
      provider_id: idInput,
      start_time: dateTimeInput,
      end_time: dateTimeInput.optional(),
      note: z.string().trim().max(APPOINTMENT_NOTE_MAX).nullish(),
    })
    .strict(),
  /** The Idempotency-Key header's value, for a client that cannot set headers (tRPC); SPEC 4.3. */
  idempotency_key: idempotencyKey.optional(),
});
export type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;

export const bookAppointmentOutput = z.object({ appt: appointment });

/** GET /appointments and appointments.list: appointments starting in [start, end). */
export const listAppointmentsInput = z.object({
  subdomain,
  location_id: id,
  start: dateTimeInput,
  end: dateTimeInput,
  patient_ids: z.array(id).max(1000).optional(),
  provider_ids: z.array(id).max(1000).optional(),
  cancelled: z.boolean().optional(),
  page: z.number().int().min(1).max(100_000).default(1),
  per_page: z.number().int().min(1).max(1000).default(100),
});
export type ListAppointmentsInput = z.infer<typeof listAppointmentsInput>;

export const listAppointmentsOutput = z.object({
  appointments: z.array(appointment),
  count: z.number().int().min(0),
});

/** PATCH /appointments/:id and appointments.cancel. */
/**
 * PATCH /appointments/:id (SPEC 5): cancel it, confirm it, or both; each in the health record system too once
 * the appointment is there.
 */
export const updateAppointmentInput = z.object({
  subdomain,
  id,
  appt: z
    .object({
      cancelled: z
        .literal(true, { error: 'must be true (an appointment can be cancelled, not un-cancelled)' })
        .optional(),
      confirmed: z
        .literal(true, { error: 'must be true (an appointment can be confirmed, not un-confirmed)' })
        .optional(),
    })
    .strict()
    .refine((a) => a.cancelled || a.confirmed, { error: 'needs cancelled: true or confirmed: true' }),
});
export type UpdateAppointmentInput = z.infer<typeof updateAppointmentInput>;
