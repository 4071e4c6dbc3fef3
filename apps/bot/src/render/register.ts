// /patient register: the possible matches with their choices, and each way the registration can end.
import type { ExistingMatch, Gender, Patient } from '@patients/core';
import { type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { buttonId } from './customIds';
import { displayName, formatPhone } from './format';
import { patientListField, patientRecordEmbed } from './patient';
import { COLOURS, truncate, type View } from './view';

/** What staff typed, checked and normalised (input.ts). */
export interface NewPatient {
  first_name: string;
  last_name: string;
  middle_name?: string | undefined;
  preferred_name?: string | undefined;
  date_of_birth: string;
  gender: Gender;
  email?: string | undefined;
  phone_number?: string | undefined;
  provider_id: number;
}

/** One "Use this patient" button per match fits in one row of five. */
export const MAX_MATCH_CHOICES = 5;

function describeNew(p: NewPatient): string {
  const parts = [`born ${p.date_of_birth}`];
  if (p.phone_number) parts.push(formatPhone(p.phone_number));
  if (p.email) parts.push(p.email);
  return `**${displayName({ ...p, preferred_name: p.preferred_name ?? null })}** (${parts.join(', ')})`;
}

export function possibleMatchesView(entered: NewPatient, matches: Patient[], session: string): View {
  const shown = matches.slice(0, MAX_MATCH_CHOICES);
  const useButtons: APIButtonComponent[] = shown.map((p) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: truncate(`Use this patient: ${p.first_name} ${p.last_name} (ID ${p.id})`, 80),
    custom_id: buttonId({ action: 'use', session, patientId: p.id }),
  }));
  const more = matches.length - shown.length;
  return {
    content: `Before registering ${describeNew(entered)}, please check: ${
      matches.length === 1
        ? 'this patient is already on file and may be the same person'
        : `these ${matches.length} patients are already on file and may be the same person`
    }.${more > 0 ? ` (The ${shown.length} closest are shown.)` : ''}`,
    embeds: [
      {
        title: matches.length === 1 ? 'Possible match' : 'Possible matches',
        color: COLOURS.warning,
        fields: shown.map((p, i) => patientListField(p, i + 1)),
        footer: { text: 'Pick the patient if it is them, or register a new patient if it is someone else.' },
      },
    ],
    components: [
      { type: ComponentType.ActionRow, components: useButtons },
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: 'Register as new',
            custom_id: buttonId({ action: 'new', session }),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Cancel',
            custom_id: buttonId({ action: 'cancel', session }),
          },
        ],
      },
    ],
  };
}

export function registeredView(p: Patient, timeZone: string): View {
  return {
    content: `Registered a new patient, ID ${p.id}.`,
    embeds: [{ ...patientRecordEmbed(p, timeZone, 'New patient'), color: COLOURS.success }],
    components: [],
  };
}

/** The API's reasons for a duplicate, as a short line ("Same: date of birth, phone; Bob is short for Robert"). */
export function duplicateReasonsLine(reasons: readonly string[]): string {
  return reasons.length ? `Why: ${reasons.join(', ')}.` : '';
}

/**
 * The API refused the create as a duplicate: say so plainly, say why (the API's reasons), and show who is
 * already on file; a match found only in the practice's health record system has no record here yet.
 */
export function duplicateRefusedView(
  existing: Patient | null,
  timeZone: string,
  match?: ExistingMatch,
): View {
  const why = duplicateReasonsLine(match?.reasons ?? []);
  const sentences = (...parts: string[]) => parts.filter(Boolean).join(' ');
  if (!existing) {
    const where = match
      ? `It is already in the practice's records (${match.foreign_id_type} record ${match.foreign_id}).`
      : 'Search for them with /patient search to find the record.';
    return {
      content: sentences('This patient is already registered, so nothing new was created.', where, why),
      components: [],
    };
  }
  return {
    content: sentences(
      `This patient is already registered (ID ${existing.id}), so nothing new was created.`,
      why,
      'Here is the existing record:',
    ),
    embeds: [patientRecordEmbed(existing, timeZone, 'Already registered')],
    components: [],
  };
}

export function usingExistingView(p: Patient, timeZone: string): View {
  return {
    content: `Using the existing patient, ID ${p.id}. Nothing new was created.`,
    embeds: [patientRecordEmbed(p, timeZone)],
    components: [],
  };
}

export const CANCELLED: View = {
  content: 'Registration cancelled. Nothing was saved.',
  embeds: [],
  components: [],
};
