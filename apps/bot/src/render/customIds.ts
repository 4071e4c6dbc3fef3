// Button ids: `patient:<action>:<session>[:<argument>]`. The session key points into the bot's in-memory
// store (sessions.ts), which holds who may press the button and what it acts on; the id itself holds
// nothing about the patient beyond a numeric record id.
export type ButtonAction =
  | { action: 'page'; session: string; page: number }
  | { action: 'use'; session: string; patientId: number }
  | { action: 'new'; session: string }
  /** Register without the contact details left empty: screen for duplicates, then create with defaults. */
  | { action: 'screen'; session: string }
  /** /patient complete: open the form. */
  | { action: 'fill'; session: string }
  | { action: 'cancel'; session: string };

/** Forms (modals): the registration's details, and /patient complete's missing demographics. */
export type ModalAction = { action: 'form' | 'complete'; session: string };

const PREFIX = 'patient';

export function buttonId(a: ButtonAction): string {
  switch (a.action) {
    case 'page':
      return `${PREFIX}:page:${a.session}:${a.page}`;
    case 'use':
      return `${PREFIX}:use:${a.session}:${a.patientId}`;
    case 'new':
    case 'screen':
    case 'fill':
    case 'cancel':
      return `${PREFIX}:${a.action}:${a.session}`;
  }
}

export function modalId(a: ModalAction): string {
  return `${PREFIX}:${a.action}:${a.session}`;
}

/** Reads a form id back; null for an id this bot did not make. */
export function parseModalId(id: string): ModalAction | null {
  const [prefix, action, session, ...rest] = id.split(':');
  if (prefix !== PREFIX || !session || !SESSION.test(session) || rest.length) return null;
  return action === 'form' || action === 'complete' ? { action, session } : null;
}

const SESSION = /^[A-Za-z0-9_-]{1,32}$/;
const NUMBER = /^[1-9]\d{0,9}$/;
const PAGE = /^\d{1,6}$/;

/** Reads a button id back; null for an id this bot did not make. */
export function parseButtonId(id: string): ButtonAction | null {
  const [prefix, action, session, arg, ...rest] = id.split(':');
  if (prefix !== PREFIX || !session || !SESSION.test(session) || rest.length) return null;
  switch (action) {
    case 'page':
      return arg && PAGE.test(arg) ? { action, session, page: Number(arg) } : null;
    case 'use':
      return arg && NUMBER.test(arg) ? { action, session, patientId: Number(arg) } : null;
    case 'new':
    case 'screen':
    case 'fill':
    case 'cancel':
      return arg === undefined ? { action, session } : null;
    default:
      return null;
  }
}
