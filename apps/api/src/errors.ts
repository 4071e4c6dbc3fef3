// Errors are values with a message a front-desk person can read. REST puts them in the envelope and
// tRPC in its error, unchanged.
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_gateway'
  | 'too_large'
  | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  bad_gateway: 502,
  unavailable: 503,
};

/** Seconds a client is asked to wait before retrying a 503 (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 2;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly kind: ErrorKind,
    readonly description: string,
    readonly messages: string[] = [description],
  ) {
    super(messages.join('; '));
    this.status = STATUS[kind];
  }
}

export const DUPLICATE_MESSAGE = 'A patient with that information already exists';

export const badRequest = (messages: string[], description = 'The request is not valid') =>
  new ApiError('bad_request', description, messages);
export const unauthorized = () =>
  new ApiError('unauthorized', 'Unauthorized', [
    'A valid API key or bearer token is required in the Authorization header',
  ]);
/** The same answer for an unknown subdomain and another institution's: nothing is revealed. */
export const forbidden = () =>
  new ApiError('forbidden', 'Forbidden', ['This key cannot access that subdomain']);
export const notFound = (what: string) =>
  new ApiError('not_found', `${what} not found`, [`${what} not found`]);
export const badGateway = (message: string) =>
  new ApiError('bad_gateway', 'The health record system could not be reached', [message]);
/** The database stayed locked by other work (an import, another server) past the wait a request may take. */
export const unavailable = () =>
  new ApiError('unavailable', 'The database is busy', [
    'The database is busy with other work; nothing was changed. Try again in a few seconds',
  ]);
