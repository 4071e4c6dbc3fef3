// The error vocabulary (SPEC 2): every refusal the service answers with has one of these stable codes and
// the human messages both faces carry (the REST envelope's `error`, tRPC's `data.errors`). Clients, and the
// bot, decide on the code, never on the sentence. The HTTP status and tRPC code of each code are set in one
// place, apps/api/src/errors.ts.
import { NOT_EDITABLE_MESSAGE } from './rules/lifecycle';

export const ERROR_CODES = [
  /** A field missing or malformed, an unknown field or parameter, a body that is not JSON. */
  'validation',
  /** The patient already exists (SPEC 4.3). */
  'duplicate',
  /** The patient is in the health record system and can no longer be edited here (SPEC 4.5). */
  'not_editable',
  /** A rule of the practice refused it: the provider is booked then, or does not work at that location. */
  'conflict',
  /** The health record system refused the change, with its reason (SPEC 5). */
  'hrs_refused',
  'unauthorized',
  /** An unknown subdomain or another institution's: the same answer for both (SPEC 3). */
  'forbidden',
  /** No such record in this institution, including ids that cannot be one. */
  'not_found',
  'too_large',
  /** The health record system could not be reached (SPEC 5). */
  'hrs_unreachable',
  /** The database stayed busy with other work past what a request may wait. */
  'unavailable',
  /** An Idempotency-Key reused with a different request (SPEC 4.3): 422. */
  'idempotency_mismatch',
  /** The first request with this Idempotency-Key is still being answered (SPEC 4.3): 409. */
  'in_progress',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A refusal: its code, a short description (the envelope's) and one message per problem. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly messages: string[] = [description],
    /** What the refusal can tell beyond its words (the duplicate's `existing`): the envelope's `data`. */
    readonly data: Record<string, unknown> | null = null,
  ) {
    super(messages.join('; '));
    this.name = 'ServiceError';
  }
}

/** SPEC 4.3's duplicate refusal, word for word. */
export const DUPLICATE_MESSAGE = 'A patient with that information already exists';

export const validationError = (messages: string[], description = 'The request is not valid') =>
  new ServiceError('validation', description, messages);
/** The patient a create or edit was refused for (SPEC 4.3): ours (`id`), or only the health record system's. */
export interface ExistingMatch {
  id: number | null;
  foreign_id: string;
  foreign_id_type: string;
  reasons: string[];
}

export const duplicateError = (existing?: ExistingMatch) =>
  new ServiceError(
    'duplicate',
    'Patient already exists',
    [DUPLICATE_MESSAGE],
    existing ? { existing } : null,
  );
export const notEditableError = () =>
  new ServiceError('not_editable', 'Patient cannot be edited', [NOT_EDITABLE_MESSAGE]);
export const conflictError = (messages: string[], description: string) =>
  new ServiceError('conflict', description, messages);
export const hrsRefusedError = (message: string, description: string) =>
  new ServiceError('hrs_refused', description, [message]);
export const hrsUnreachableError = (message: string) =>
  new ServiceError('hrs_unreachable', 'The health record system could not be reached', [message]);
export const unauthorizedError = () =>
  new ServiceError('unauthorized', 'Unauthorized', [
    'A valid API key or bearer token is required in the Authorization header',
  ]);
export const forbiddenError = () =>
  new ServiceError('forbidden', 'Forbidden', ['This key cannot access that subdomain']);
export const notFoundError = (what: string) =>
  new ServiceError('not_found', `${what} not found`, [`${what} not found`]);
export const tooLargeError = (message: string) =>
  new ServiceError('too_large', 'Request too large', [message]);
export const unavailableError = () =>
  new ServiceError('unavailable', 'The database is busy', [
    'The database is busy with other work; nothing was changed. Try again in a few seconds',
  ]);

export const idempotencyMismatchError = () =>
  new ServiceError('idempotency_mismatch', 'Idempotency-Key reused', [
    'This Idempotency-Key was already used with a different request',
  ]);
export const inProgressError = () =>
  new ServiceError('in_progress', 'Request in progress', [
    'A request with this Idempotency-Key is still being answered; retry shortly',
  ]);
