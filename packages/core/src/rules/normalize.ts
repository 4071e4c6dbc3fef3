// Normalising the values patients are matched on: names (folded to plain a-z), phones, emails, dates of birth.
//
// Phone metadata: we use libphonenumber-js's default ("min") metadata, not 'libphonenumber-js/max'. The
// max set only adds per-type patterns (mobile / fixed line / toll free ...) needed by getType(); the
// possible-length data we validate with is identical in both, and the default set is about half the size.
import { type CountryCode, getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js';

// Letters that NFKD does not decompose into a base letter plus marks.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ȷ: 'j',
  ħ: 'h',
  ŧ: 't',
  ŀ: 'l',
  ſ: 's',
  ĸ: 'k',
  ŋ: 'n',
  ƒ: 'f',
  ɨ: 'i',
  ʉ: 'u',
};

const APOSTROPHES = /['’‘`ʼ´′]/g;
const COMBINING_MARKS = /\p{M}/gu;
const SPECIAL_LETTER = /[łøßæœđðþıȷħŧŀſĸŋƒɨʉ]/g;
const NOT_ALNUM = /[^a-z0-9]+/g;

/**
 * Folds a name to lower-case a-z/0-9 words separated by single spaces: accents stripped, special letters
 * spelled out (ł→l, ß→ss, æ→ae ...), apostrophes deleted (O'Brien→obrien), any other character (hyphens
 * included) a word break. Idempotent: its output is a fixed point.
 */
export function foldName(s: string): string {
  return s
    .replace(APOSTROPHES, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL_LETTER, (c) => SPECIAL_LETTERS[c] ?? ' ')
    .replace(NOT_ALNUM, ' ')
    .trim();
}

/** The words of a folded name ("Garcia-López" → ["garcia", "lopez"]). */
export function nameTokens(s: string): string[] {
  const folded = foldName(s);
  return folded === '' ? [] : folded.split(' ');
}

// NANP (+1) numbers are NXX-NXX-XXXX: area code and exchange never start with 0 or 1.
const NANP_NUMBER = /^[2-9]\d{2}[2-9]\d{6}$/;
const PHONE_EXTENSION = /(?:#|\bx|\bext)/i;

/**
 * Normalises a phone number: numbers of the North American plan (+1, which the US shares with Canada
 * and the Caribbean and dials without a country code) become their 10 national digits ('5163042196');
 * any other number its E.164 form ('+442071838750'). Returns null when the input is not a possible number.
 *
 * "Possible" rather than "valid" (SPEC 4.3 says "a phone that is not a possible number is malformed"):
 * isValid() depends on the assigned-ranges snapshot in the installed metadata, so a newly opened area code
 * would be refused until the library is upgraded, and fictional 555 numbers used in demos (555-555-0100)
 * are refused too. isPossible() checks the length for the country; for +1 we add the plan's own structure
 * rule (area code and exchange start with 2-9), which rejects the usual junk (1234567890, 0000000000).
 * Numbers with an extension are refused rather than silently losing the extension.
 * Idempotent on its own output (for a default country of the same plan).
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'US'): string | null {
  if (input.length > 64 || PHONE_EXTENSION.test(input)) return null;
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  if (!parsed || parsed.ext || !parsed.isPossible()) return null;
  if (parsed.countryCallingCode === '1') {
    if (!NANP_NUMBER.test(parsed.nationalNumber)) return null;
    // National digits only when they read back as the same number under the default country.
    return getCountryCallingCode(defaultCountry) === '1' ? parsed.nationalNumber : parsed.number;
  }
  // A number whose E.164 form reads back as another number (national prefixes of zeros eaten twice,
  // "+91 0000000000") is junk; refusing it keeps this function idempotent.
  const again = parsePhoneNumberFromString(parsed.number);
  return again && again.number === parsed.number && again.isPossible() ? parsed.number : null;
}

/** Emails are compared trimmed and case-insensitively (SPEC 4.1). */
export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export type DateOfBirthProblem = 'malformed' | 'future' | 'too_old';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Oldest accepted age in years (SPEC 4.3). */
export const MAX_AGE_YEARS = 130;

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Checks a date of birth: a real calendar date written YYYY-MM-DD, not after today (UTC), and not more
 * than 130 years before today. Returns the problem, or null when the date is acceptable.
 */
export function checkDateOfBirth(value: string, today: Date = new Date()): DateOfBirthProblem | null {
  const m = ISO_DATE.exec(value);
  if (!m) return 'malformed';
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return 'malformed';
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : daysInMonth)) return 'malformed';
  const y = today.getUTCFullYear();
  const mo = today.getUTCMonth() + 1;
  const d = today.getUTCDate();
  // Same-width ISO strings compare in date order. The cutoff may be a 29 February that does not exist in
  // that year; it still sorts between the 28th and 1 March, which is what "130 years ago" means.
  if (value > isoDate(y, mo, d)) return 'future';
  if (value < isoDate(y - MAX_AGE_YEARS, mo, d)) return 'too_old';
  return null;
}
