// Embeds that show patients: one line-block per search result, and the full record for /patient show.
import type { Patient } from '@patients/core';
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { displayName, fieldLabel, formatAppointmentTime, formatPhone, insertionStatus } from './format';
import { COLOURS, truncate } from './view';

/** The block a patient gets in a list (search results, possible matches). */
export function patientListField(p: Patient, position?: number): APIEmbedField {
  const lines = [
    `Born ${p.bio.date_of_birth ?? '—'} · ${formatPhone(p.bio.phone_number)}`,
    `ID ${p.id} · ${insertionStatus(p)}${p.inactive ? ' · inactive' : ''}`,
  ];
  if (p.match?.reasons.length) lines.push(`Matched on: ${p.match.reasons.join(', ')}`);
  if (p.demographics_defaulted.length) lines.push(defaultedLine(p));
  return {
    name: truncate(`${position === undefined ? '' : `${position}. `}${displayName(p)}`, 256),
    value: truncate(lines.join('\n'), 1024),
  };
}

function defaultedLine(p: Patient): string {
  return `⚠️ To complete: ${p.demographics_defaulted.map(fieldLabel).join(', ')} (filled from practice defaults)`;
}

/** How many upcoming appointments the record lists before "and N more". */
export const MAX_APPOINTMENTS_SHOWN = 10;

export function upcomingAppointmentsText(p: Patient, timeZone: string): string {
  if (p.upcoming_appts.length === 0) return 'None';
  const lines = p.upcoming_appts
    .slice(0, MAX_APPOINTMENTS_SHOWN)
    .map(
      (a) =>
        `${formatAppointmentTime(a.start_time, timeZone)} — ${a.provider_name}${a.confirmed ? ' (confirmed)' : ''}`,
    );
  const more = p.upcoming_appts.length - MAX_APPOINTMENTS_SHOWN;
  if (more > 0) lines.push(`… and ${more} more`);
  return truncate(lines.join('\n'), 1024);
}

function address(p: Patient): string | null {
  const b = p.bio;
  const cityLine = [b.city, [b.state, b.zip_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const parts = [b.address_line_1, b.address_line_2, cityLine].filter((s): s is string => Boolean(s));
  return parts.length ? parts.join('\n') : null;
}

/** The full record, with upcoming appointments in the practice's time zone and defaulted fields flagged. */
export function patientRecordEmbed(p: Patient, timeZone: string, title?: string): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Patient ID', value: String(p.id), inline: true },
    { name: 'Date of birth', value: p.bio.date_of_birth ?? '—', inline: true },
    { name: 'Gender', value: p.bio.gender ?? '—', inline: true },
    { name: 'Phone', value: formatPhone(p.bio.phone_number), inline: true },
    { name: 'Email', value: truncate(p.email ?? '—', 1024), inline: true },
  ];
  if (p.middle_name) fields.push({ name: 'Middle name', value: truncate(p.middle_name, 1024), inline: true });
  if (p.preferred_name)
    fields.push({ name: 'Preferred name', value: truncate(p.preferred_name, 1024), inline: true });
  const addr = address(p);
  if (addr) fields.push({ name: 'Address', value: truncate(addr, 1024) });
  const status = [
    p.inactive ? 'Inactive' : 'Active',
    p.non_patient ? 'not a patient (contact/guarantor)' : null,
    insertionStatus(p),
    p.unsubscribe_sms ? 'unsubscribed from SMS' : null,
  ].filter(Boolean);
  fields.push({ name: 'Status', value: status.join(' · ') });
  if (p.demographics_defaulted.length) {
    fields.push({
      name: '⚠️ Needs completing',
      value: `${p.demographics_defaulted.map(fieldLabel).join(', ')}: filled from the practice's defaults, please ask the patient and update.`,
    });
  }
  fields.push({ name: `Upcoming appointments (${timeZone})`, value: upcomingAppointmentsText(p, timeZone) });
  return {
    title: truncate(title ? `${title}: ${displayName(p)}` : displayName(p), 256),
    color: p.demographics_defaulted.length ? COLOURS.warning : COLOURS.info,
    fields,
    footer: { text: `Record created ${p.created_at.slice(0, 10)} · updated ${p.updated_at.slice(0, 10)}` },
  };
}
