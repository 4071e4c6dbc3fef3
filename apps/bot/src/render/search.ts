// /patient search results: up to a page of matches, a footer with the total, and paging buttons.
import { type Patient, readSearchBox } from '@patients/core';
import { ButtonStyle, ComponentType } from 'discord.js';
import { buttonId } from './customIds';
import type { Display } from './dates';
import { formatPhone } from './format';
import { patientListField } from './patient';
import { COLOURS, truncate, type View } from './view';

export const SEARCH_PAGE_SIZE = 10;

export interface SearchCriteria {
  /** The one search box (the API's `q`): everything in one line, ANDed. */
  q?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  phone_number?: string | undefined;
  date_of_birth?: string | undefined;
}

/** What was searched for, as read (a date of birth in the practice's format, never as typed in ISO form). */
export function describeCriteria(c: SearchCriteria, d: Display): string {
  if (c.q) {
    const box = readSearchBox(c.q);
    return box.ok ? describeCriteria(box.parts, d) : `“${c.q}”`;
  }
  const parts: string[] = [];
  if (c.name) parts.push(`name “${c.name}”`);
  if (c.date_of_birth) parts.push(`date of birth ${d.date(c.date_of_birth)}`);
  if (c.phone_number) parts.push(`phone ${formatPhone(c.phone_number)}`);
  if (c.email) parts.push(`email ${c.email}`);
  return parts.join(', ');
}

export interface SearchPage {
  patients: Patient[];
  count: number;
  page: number;
}

export function searchResultsView(
  criteria: SearchCriteria,
  result: SearchPage,
  d: Display,
  session?: string,
  details = false,
): View {
  const { patients, count, page } = result;
  if (count === 0 || patients.length === 0) {
    return {
      content:
        count === 0
          ? `No patients match ${describeCriteria(criteria, d)}. Check the spelling, or try fewer details (a name alone, or a date of birth).`
          : `There are no more results (page ${page}). ${count} patient${count === 1 ? '' : 's'} matched in all.`,
    };
  }
  const first = (page - 1) * SEARCH_PAGE_SIZE + 1;
  const last = first + patients.length - 1;
  const pages = Math.max(1, Math.ceil(count / SEARCH_PAGE_SIZE));
  const view: View = {
    embeds: [
      {
        title: truncate(`Patients matching ${describeCriteria(criteria, d)}`, 256),
        color: COLOURS.info,
        fields: patients.map((p, i) => patientListField(p, d, first + i, details)),
        footer: {
          text: `${count === 1 ? '1 match' : `Showing ${first}–${last} of ${count} matches`}${pages > 1 ? ` · page ${page} of ${pages}` : ''} · best match first`,
        },
      },
    ],
  };
  if (pages > 1 && session) {
    // Ids stay distinct even for a disabled button (Discord refuses two buttons with one id): page 0 and
    // page `pages + 1` are never pressable.
    view.components = [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: '◀ Previous',
            custom_id: buttonId({ action: 'page', session, page: page - 1 }),
            disabled: page <= 1,
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Next ▶',
            custom_id: buttonId({ action: 'page', session, page: page + 1 }),
            disabled: page >= pages,
          },
        ],
      },
    ];
  }
  return view;
}
