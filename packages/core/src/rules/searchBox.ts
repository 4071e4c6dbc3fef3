// One search box (SPEC 4.2 `q`): what front-desk staff type, "john smith 05/03/1964" or "(212) 555-0101
// jsmith@example.com", split into the parts it holds, each read as the parameter it looks like. The search
// then ANDs them. Pure: the API and the bot read a box the same way.
import { checkDateOfBirth, normalizeEmail, normalizePhone } from './normalize';

export interface SearchBoxParts {
  name?: string;
  email?: string;
  phone_number?: string;
  date_of_birth?: string;
}

export type SearchBox = { ok: true; parts: SearchBoxParts } | { ok: false; problems: string[] };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const MONTH_WORD =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

function monthOf(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS[w.slice(0, 4)] ?? MONTHS[w.slice(0, 3)]!;
}

/** The date forms staff type, each read to [year, month, day]. US order is month first. */
const DATE_FORMS: Array<{ pattern: RegExp; read: (m: RegExpExecArray) => [string, number, number] }> = [
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, read: (m) => [m[1]!, Number(m[2]), Number(m[3])] },
  {
    pattern: /(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?![\d/.-])/,
    read: (m) => [m[3]!, Number(m[1]), Number(m[2])],
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_WORD},?\\s+(\\d{4})\\b`, 'i'),
    read: (m) => [m[3]!, monthOf(m[2]!), Number(m[1])],
  },
  {
    pattern: new RegExp(`\\b${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'),
    read: (m) => [m[3]!, monthOf(m[1]!), Number(m[2])],
  },
];

const EMAIL = /[^\s,;<>()"]*@[^\s,;<>()"]*/;
/** A run of digits with the punctuation phones are written with, seven digits or more. */
const PHONE = /(?:\+\s?)?\(?\d[\d\s().-]{5,}\d/;
/** A name word: letters (any script), with the apostrophes, hyphens and dots names carry. */
const NAME_WORD = /^[\p{L}\p{M}][\p{L}\p{M}'’.-]*$/u;

const pad = (n: number) => String(n).padStart(2, '0');

/** Takes every match of `pattern` out of `text`, giving the matches and what is left. */
function takeAll(text: string, pattern: RegExp): { found: RegExpExecArray[]; rest: string } {
  const found: RegExpExecArray[] = [];
  let rest = text;
  for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) {
    found.push(m);
    rest = `${rest.slice(0, m.index)} , ${rest.slice(m.index + m[0].length)}`;
  }
  return { found, rest };
}

/** Reads a search box: its parts, or a message per part it cannot read. */
export function readSearchBox(q: string, today: Date = new Date()): SearchBox {
  const problems: string[] = [];
  const parts: SearchBoxParts = {};
  let rest = q;

  const emails = takeAll(rest, EMAIL);
  rest = emails.rest;
  if (emails.found.length > 1) problems.push('q holds more than one email; give one');
  else if (emails.found[0]) {
    const email = emails.found[0][0];
    if (/^[^@]+@[^@]+\.[^@.]+$/.test(email)) parts.email = normalizeEmail(email);
    else problems.push(`"${email}" in q is not an email`);
  }

  const dates: string[] = [];
  for (const form of DATE_FORMS) {
    const taken = takeAll(rest, form.pattern);
    rest = taken.rest;
    for (const m of taken.found) {
      const [year, month, day] = form.read(m);
      if (year.length !== 4) {
        problems.push(`"${m[0].trim()}" in q needs a 4-digit year, e.g. 5/3/1964`);
        continue;
      }
      const value = `${year}-${pad(month)}-${pad(day)}`;
      if (checkDateOfBirth(value, today) === 'malformed')
        problems.push(`"${m[0].trim()}" in q is not a real date`);
      else dates.push(value);
    }
  }
  if (dates.length > 1) problems.push('q holds more than one date; give one');
  else if (dates[0]) parts.date_of_birth = dates[0];

  const phones = takeAll(rest, PHONE);
  rest = phones.rest;
  const numbers: string[] = [];
  for (const m of phones.found) {
    const text = m[0].trim();
    const digits = text.replace(/\D/g, '').length;
    const phone = digits >= 7 ? normalizePhone(text) : null;
    if (phone) numbers.push(phone);
    else problems.push(`"${text}" in q is not a phone number`);
  }
  if (numbers.length > 1) problems.push('q holds more than one phone number; give one');
  else if (numbers[0]) parts.phone_number = numbers[0];

  const words = rest.split(/[\s,;]+/).filter(Boolean);
  const strays = words.filter((w) => !NAME_WORD.test(w));
  for (const w of strays) problems.push(`"${w}" in q is not a name, email, phone number or date`);
  if (!strays.length && words.length) parts.name = words.join(' ');

  if (problems.length) return { ok: false, problems };
  if (!Object.keys(parts).length) return { ok: false, problems: ['q holds nothing to search for'] };
  return { ok: true, parts };
}
