// Embeds that show patients: one line-block per search result, and the full record for /patient show.
import type { Patient } from '@patients/core';
import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { Display } from './dates';
import { andList, displayName, fieldLabel, formatPhone, insertionStatus } from './format';
import { plainReasons } from './reasons';
import { COLOURS, truncate } from './view';

/**
 * The block a patient gets in a list (search results, possible matches): why it matched in plain words;
 * the closeness only when staff asked for it (`details`), as a percentage, never the raw score.
 */
export function patientListField(p: Patient, d: Display, position?: number, details = false): APIEmbedField {
  const lines = [
    `Born ${d.date(p.bio.date_of_birth)} · ${formatPhone(p.bio.phone_number)}`,
    `ID ${p.id} · ${insertionStatus(p)}${p.inactive ? ' · inactive' : ''}`,
  ];
  const why = p.match ? plainReasons(p.match.reasons) : '';
  if (why) lines.push(`Why: ${why}`);
  if (details && p.match) lines.push(`Closeness: ${Math.round(p.match.score * 100)}%`);
  if (p.demographics_defaulted.length) lines.push(defaultedLine(p));
  return {
    name: truncate(`${position === undefined ? '' : `${position}. `}${displayName(p)}`, 256),
    value: truncate(lines.join('\n'), 1024),
  };
}

function defaultedLine(p: Patient): string {
  return `⚠️ To complete: ${andList(p.demographics_defaulted.map(fieldLabel))} (practice defaults; /patient complete id:${p.id})`;
}

/** How many upcoming appointments the record lists before "and N more". */
export const MAX_APPOINTMENTS_SHOWN = 10;

export function upcomingAppointmentsText(p: Patient, d: Display): string {
  if (p.upcoming_appts.length === 0) return 'None';
  const lines = p.upcoming_appts
    .slice(0, MAX_APPOINTMENTS_SHOWN)
    .map((a) => `${d.dateTime(a.start_time)} — ${a.provider_name}${a.confirmed ? ' (confirmed)' : ''}`);
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
export function patientRecordEmbed(p: Patient, d: Display, title?: string): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Patient ID', value: String(p.id), inline: true },
    { name: 'Date of birth', value: d.date(p.bio.date_of_birth), inline: true },
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
      value: `${andList(p.demographics_defaulted.map(fieldLabel))}: filled from the practice's defaults. Ask the patient, then use /patient complete id:${p.id}.`,
    });
  }
  fields.push({ name: `Upcoming appointments (${d.timeZone})`, value: upcomingAppointmentsText(p, d) });
  return {
    title: truncate(title ? `${title}: ${displayName(p)}` : displayName(p), 256),
    color: p.demographics_defaulted.length ? COLOURS.warning : COLOURS.info,
    fields,
    footer: { text: `Record created ${d.day(p.created_at)} · updated ${d.day(p.updated_at)}` },
  };
}
