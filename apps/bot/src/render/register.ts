// /patient register: the possible matches with their choices, and each way the registration can end.
import type { ExistingMatch, Gender, Patient } from '@patients/core';
import {
  type APIButtonComponent,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import { buttonId, modalId } from './customIds';
import type { Display } from './dates';
import { andList, displayName, fieldLabel, formatPhone } from './format';
import { patientListField, patientRecordEmbed } from './patient';
import { plainReasons } from './reasons';
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

/** What the slash command's options gave, before the form: the same fields, contact details maybe missing. */
export type PartialPatient = NewPatient;

/** One "Use this patient" button per match fits in one row of five. */
export const MAX_MATCH_CHOICES = 5;

function describeNew(p: NewPatient, d: Display): string {
  const parts = [`born ${d.date(p.date_of_birth)}`];
  if (p.phone_number) parts.push(formatPhone(p.phone_number));
  if (p.email) parts.push(p.email);
  return `**${displayName({ ...p, preferred_name: p.preferred_name ?? null })}** (${parts.join(', ')})`;
}

export function possibleMatchesView(
  entered: NewPatient,
  matches: Patient[],
  session: string,
  d: Display,
): View {
  const shown = matches.slice(0, MAX_MATCH_CHOICES);
  const useButtons: APIButtonComponent[] = shown.map((p) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: truncate(`Use this patient: ${p.first_name} ${p.last_name} (ID ${p.id})`, 80),
    custom_id: buttonId({ action: 'use', session, patientId: p.id }),
  }));
  const more = matches.length - shown.length;
  return {
    content: `Before registering ${describeNew(entered, d)}, please check: ${
      matches.length === 1
        ? 'this patient is already on file and may be the same person'
        : `these ${matches.length} patients are already on file and may be the same person`
    }.${more > 0 ? ` (The ${shown.length} closest are shown.)` : ''}`,
    embeds: [
      {
        title: matches.length === 1 ? 'Possible match' : 'Possible matches',
        color: COLOURS.warning,
        fields: shown.map((p, i) => patientListField(p, d, i + 1)),
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

export function registeredView(p: Patient, d: Display): View {
  const defaulted = p.demographics_defaulted.length
    ? ` ${capitalise(andList(p.demographics_defaulted.map(fieldLabel)))} came from the practice's defaults: complete them with /patient complete id:${p.id} once the patient tells you.`
    : '';
  return {
    content: `Registered a new patient, ID ${p.id}.${defaulted} Book them with /appointment book.`,
    embeds: [{ ...patientRecordEmbed(p, d, 'New patient'), color: COLOURS.success }],
    components: [],
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The API's reasons for a duplicate, as a short line ("Why: same birthday and phone; Bob is short for Robert."). */
export function duplicateReasonsLine(reasons: readonly string[]): string {
  const why = plainReasons(reasons);
  return why ? `Why: ${why}.` : '';
}

/**
 * The API refused the create as a duplicate: say so plainly, say why (the API's reasons), and show who is
 * already on file; a match found only in the practice's health record system has no record here yet.
 */
export function duplicateRefusedView(existing: Patient | null, d: Display, match?: ExistingMatch): View {
  const why = duplicateReasonsLine(match?.reasons ?? []);
  const sentences = (...parts: string[]) => parts.filter(Boolean).join(' ');
  if (!existing) {
    const where = match
      ? "They are already in the practice's records, and will appear here after the next sync."
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
    embeds: [patientRecordEmbed(existing, d, 'Already registered')],
    components: [],
  };
}

export function usingExistingView(p: Patient, d: Display): View {
  return {
    content: `Using the existing patient, ID ${p.id}. Nothing new was created.`,
    embeds: [patientRecordEmbed(p, d)],
    components: [],
  };
}

export const CANCELLED: View = {
  content: 'Registration cancelled. Nothing was saved.',
  embeds: [],
  components: [],
};

/** The registration form's inputs (ids are what the submit carries back). */
export const FORM_FIELDS = ['email', 'phone_number', 'middle_name', 'preferred_name'] as const;

/**
 * The form for what does not fit a slash command's options well: contact details (which a practice with
 * defaults may leave empty, so Discord does not insist on them) and the optional names, filled with what
 * the options already gave.
 */
export function registerFormModal(
  session: string,
  p: PartialPatient,
): APIModalInteractionResponseCallbackData {
  const input = (id: (typeof FORM_FIELDS)[number], label: string, placeholder: string, max: number) => ({
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: id,
        label,
        style: TextInputStyle.Short,
        required: false,
        max_length: max,
        placeholder,
        ...(p[id] ? { value: p[id] } : {}),
      },
    ],
  });
  return {
    custom_id: modalId({ action: 'form', session }),
    title: truncate(`Register ${p.first_name} ${p.last_name}`, 45),
    components: [
      input('email', 'Email', 'jane@example.com', 254),
      input('phone_number', 'Phone number', '(212) 555-0101', 40),
      input('middle_name', 'Middle name (optional)', '', 100),
      input('preferred_name', 'Preferred name (optional)', 'the name they go by, e.g. Bob', 100),
    ],
  };
}

/**
 * Contact details left empty on the form: said before any search. Staff can ask the patient and start
 * again, or register without them if the practice uses default values (they are flagged to complete).
 */
export function missingDetailsView(missing: string[], session: string): View {
  const what = andList(missing);
  return {
    content: `${capitalise(what)} ${missing.length === 1 ? 'is' : 'are'} missing. Ask the patient and run /patient register again, or, if they have none, press **Register without ${missing.length === 1 ? 'it' : 'them'}**: the practice's default ${missing.length === 1 ? 'value is' : 'values are'} used and the record is flagged to complete later (this works only if the practice has default values).`,
    embeds: [],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: `Register without ${missing.length === 1 ? 'it' : 'them'}`,
            custom_id: buttonId({ action: 'screen', session }),
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
