// Small formatters for patient fields as front-desk staff read them.
import type { Patient } from '@patients/core';

/** US numbers as (212) 555-0101; anything else (E.164) as stored. */
export function formatPhone(phone: string | null): string {
  if (!phone) return '—';
  const m = /^(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : phone;
}

/** The patient's name with the preferred name, as staff say it: `Jonathan Smith ("Jon")`. */
export function displayName(p: Pick<Patient, 'first_name' | 'last_name' | 'preferred_name'>): string {
  const name = `${p.first_name} ${p.last_name}`;
  return p.preferred_name && p.preferred_name !== p.first_name ? `${name} ("${p.preferred_name}")` : name;
}

/** Whether the patient is in the practice's health record system yet (SPEC 1: insertion). */
export function insertionStatus(p: Pick<Patient, 'foreign_id' | 'foreign_id_type'>): string {
  return p.foreign_id_type === 'nex'
    ? 'not yet in the health record system'
    : `in ${p.foreign_id_type}${p.foreign_id ? ` (record ${p.foreign_id})` : ''}`;
}

const FIELD_LABELS: Record<string, string> = {
  email: 'email',
  phone_number: 'phone',
  date_of_birth: 'date of birth',
  gender: 'gender',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

/** An appointment time in the practice's time zone: `Wed, Dec 2, 2026, 9:00 AM EST`. */
export function formatAppointmentTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    // An unknown time zone name: show UTC rather than fail the whole reply.
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}
