// Building blocks shared by every schema: ids, subdomains, dates and times, booleans.
import { z } from 'zod';

/** Largest id any engine stores (PostgreSQL `integer`); a bigger one can only be "not found". */
export const MAX_ID = 2_147_483_647;

export const id = z.number().int().min(1).max(MAX_ID);

/**
 * An id in a request body: a JSON number, or a string of digits (SPEC 4.3: NexHealth clients send both,
 * `"provider_id": "102"`). Anything else is judged as `id` judges it, with its messages.
 */
export const idInput = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d{1,16}\s*$/.test(v) ? Number(v) : v),
  id,
) as unknown as z.ZodType<number, number | string>;

export const subdomain = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'must be 1 to 63 lowercase letters, digits or dashes',
});

/** ISO 8601 UTC date-time with milliseconds, as every time in the API is written. */
export const isoDateTime = z.string().describe('ISO 8601 date-time in UTC, e.g. 2026-01-31T09:30:00.000Z');

/** An input date-time: any ISO 8601 form with an offset or Z, normalised to UTC with milliseconds. */
export const dateTimeInput = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

/** A calendar date `YYYY-MM-DD` (format only; rules such as "not in the future" live with their field). */
export const calendarDate = z.iso.date();

/** A date or a date-time, as `updated_since` accepts; normalised to an ISO date-time in UTC. */
export const dateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
  })
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s).toISOString());

export const timestamps = {
  created_at: isoDateTime,
  updated_at: isoDateTime,
};

/**
 * An Idempotency-Key (SPEC 4.3, the IETF idempotency-key header draft): 1 to 255 printable ASCII characters.
 * The draft sends it as a structured-field string (`"abc"`); the quotes are optional here, as most clients
 * send it bare.
 */
export const idempotencyKey = z.preprocess(
  (v) => (typeof v === 'string' && /^".*"$/.test(v) ? v.slice(1, -1) : v),
  z
    .string()
    .min(1, { error: 'Idempotency-Key must not be empty' })
    .max(255, { error: 'Idempotency-Key must be at most 255 characters' })
    .regex(/^[\x20-\x7e]+$/, { error: 'Idempotency-Key must be printable ASCII characters' }),
);
