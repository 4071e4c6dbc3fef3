// What staff type into command options and forms, checked and normalised before any API call, with a short
// message naming the field as people say it ("Phone number", not phone_number) when a value is wrong. The
// rules themselves are core's (checkDateOfBirth, normalizePhone).
import { checkDateOfBirth, normalizeEmail, normalizePhone } from '@patients/core';
import { z } from 'zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
// May 3, 1964 and 3 May 1964.
const MONTH_FIRST = new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})$`, 'i');
const DAY_FIRST = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})$`, 'i');
// US order, month first: 5/3/1964, 05-03-1964, 5.3.1964.
const US = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/;

/**
 * A date of birth as staff type it: `5/3/1964`, `05-03-1964`, `5.3.1964` (US order, month first),
 * `May 3, 1964`, `3 May 1964` or `1964-05-03`. Two-digit years are refused rather than guessed: 1/2/03
 * could be 1903 or 2003. Returns `YYYY-MM-DD`, checked by core's rule (a real date, not in the future, not
 * over 130 years ago).
 */
export function parseDateOfBirth(
  input: string,
  field = 'Date of birth',
  today: Date = new Date(),
): Parsed<string> {
  const s = input.trim();
  let year: string;
  let month: string;
  let day: string;
  const iso = ISO.exec(s);
  const us = US.exec(s);
  const monthFirst = MONTH_FIRST.exec(s);
  const dayFirst = DAY_FIRST.exec(s);
  if (iso) {
    [, year, month, day] = iso as unknown as [string, string, string, string];
  } else if (us) {
    [, month, day, year] = us as unknown as [string, string, string, string];
    if (year.length !== 4) return { ok: false, message: `${field} needs a 4-digit year, e.g. 5/3/1964` };
  } else if (monthFirst) {
    month = String(MONTHS.indexOf(monthFirst[1]!.toLowerCase()) + 1);
    [day, year] = [monthFirst[2]!, monthFirst[3]!];
  } else if (dayFirst) {
    month = String(MONTHS.indexOf(dayFirst[2]!.toLowerCase()) + 1);
    [day, year] = [dayFirst[1]!, dayFirst[3]!];
  } else {
    return { ok: false, message: `${field} must be a date such as 5/3/1964 or May 3, 1964` };
  }
  const value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  switch (checkDateOfBirth(value, today)) {
    case null:
      return { ok: true, value };
    case 'malformed':
      return { ok: false, message: `${field} is not a real date (${s})` };
    case 'future':
      return { ok: false, message: `${field} must not be in the future` };
    case 'too_old':
      return { ok: false, message: `${field} must not be more than 130 years ago` };
  }
}

/** A phone in any common form; returns core's normal form (10 digits for US numbers, E.164 otherwise). */
export function parsePhone(input: string, field = 'Phone number'): Parsed<string> {
  const value = normalizePhone(input.trim());
  return value === null
    ? { ok: false, message: `${field} is not a phone number we can dial (e.g. (212) 555-0101)` }
    : { ok: true, value };
}

const emailSchema = z.email();

export function parseEmail(input: string, field = 'Email'): Parsed<string> {
  const value = normalizeEmail(input);
  return emailSchema.safeParse(value).success
    ? { ok: true, value }
    : { ok: false, message: `${field} is not a valid email address` };
}

/** A name field (`field` as people say it: "First name"): trimmed, not empty, at most 100 characters (the API's limit). */
export function parseName(input: string, field: string): Parsed<string> {
  const value = input.trim().replace(/\s+/g, ' ');
  if (value === '') return { ok: false, message: `${field} must not be empty` };
  if (value.length > 100) return { ok: false, message: `${field} must be at most 100 characters` };
  return { ok: true, value };
}

/**
 * Runs several parsers and collects every problem, so staff fix all fields in one go.
 * `fields` maps each name to a parse result (or undefined when the option was not given).
 */
export function collect<T extends Record<string, Parsed<unknown> | undefined>>(
  fields: T,
):
  | {
      ok: true;
      values: {
        [K in keyof T]: T[K] extends Parsed<infer V>
          ? V
          : T[K] extends Parsed<infer V> | undefined
            ? V | undefined
            : never;
      };
    }
  | { ok: false; messages: string[] } {
  const messages: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, result] of Object.entries(fields)) {
    if (result === undefined) values[key] = undefined;
    else if (result.ok) values[key] = result.value;
    else messages.push(result.message);
  }
  // biome-ignore lint/suspicious/noExplicitAny: the mapped type above is what the values are.
  return messages.length ? { ok: false, messages } : { ok: true, values: values as any };
}
