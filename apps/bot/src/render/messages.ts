// The words the bot says when it cannot help: refusals, bad input, expired buttons, API failures.
// None of them shows patient data, so they are safe anywhere (they are still sent ephemerally).
import type { ApiFailure } from '../api';
import { humanize } from './fields';
import type { View } from './view';

export const NOT_IN_GUILD =
  "Sorry, this bot only works in the practice's Discord server. Please use it there.";
export const NOT_STAFF =
  'Sorry, only practice staff can use this command. If you are staff, ask an administrator for the staff role.';
export const NOT_YOUR_BUTTONS = 'Only the staff member who ran this command can use these buttons.';
export const EXPIRED = 'These buttons have expired (they last a few minutes). Please run the command again.';
export const UNKNOWN_BUTTON = 'This button is no longer in use. Please run the command again.';
export const INTERNAL_ERROR = 'Sorry, something went wrong on our side. Please try again in a moment.';

export function badInput(messages: string[]): View {
  return {
    content: `Please check ${messages.length === 1 ? 'this value' : 'these values'} and try again:\n${messages.map((m) => `• ${m}`).join('\n')}`,
  };
}

/** A short, polite sentence for an API failure; a refusal lists the API's own messages, in people's words. */
export function apiFailureMessage(failure: ApiFailure | null): string {
  if (failure === null) return INTERNAL_ERROR;
  switch (failure.kind) {
    case 'refused':
      return `The patient service did not accept that:\n${failure.messages.map((m) => `• ${humanize(m)}`).join('\n')}`;
    case 'not_found':
      return failure.messages.length
        ? `The patient service could not find that: ${failure.messages.map(humanize).join('; ')}.`
        : 'The patient service could not find that record.';
    case 'credentials':
      return "The patient service did not accept the bot's credentials. Please ask an administrator to check the bot's API key and practice settings.";
    case 'server':
      return failure.status === 502
        ? "The practice's health record system is not answering right now. Please try again in a few minutes."
        : 'The patient service had a problem with that request. Please try again in a moment.';
    case 'unreachable':
      return 'The patient service cannot be reached right now. Please try again in a few minutes.';
  }
}
