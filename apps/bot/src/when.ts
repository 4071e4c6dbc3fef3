// Days and times as staff type them for a booking ("tomorrow 9:30am", "12/2/2026 14:00", "Dec 2 3pm",
// "friday 10am"), read as wall-clock time in the practice's time zone and turned into the instant the API
// takes. Pure, with the clock passed in, so tests say what "tomorrow" is.
import { wallClock } from './render/dates';

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';

export interface CalendarDay {
  y: number;
  m: number;
  d: number;
}

function isRealDay({ y, m, d }: CalendarDay): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function addDays(day: CalendarDay, n: number): CalendarDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function today(now: Date, timeZone: string): CalendarDay {
  const [y, m, d] = wallClock(now, timeZone);
  return { y, m, d };
}

/** A day without a year is the next one on or after today. */
function nextWithoutYear(m: number, d: number, from: CalendarDay): CalendarDay {
  const thisYear = { y: from.y, m, d };
  const passed = m < from.m || (m === from.m && d < from.d);
  return passed ? { y: from.y + 1, m, d } : thisYear;
}

const DAY_HELP = 'a day such as today, tomorrow, friday, 12/2/2026 or Dec 2';

/** The date forms, each read to a day (or to a message, for a form that is recognised but refused). */
const DAY_FORMS: Array<{
  pattern: RegExp;
  read: (m: RegExpExecArray, from: CalendarDay) => CalendarDay | string;
}> = [
  { pattern: /^today$/, read: (_, from) => from },
  { pattern: /^tomorrow$/, read: (_, from) => addDays(from, 1) },
  {
    pattern: /^(?:next )?(sun|mon|tue|wed|thu|fri|sat)[a-z]*$/,
    read: (m, from) => {
      const dow = new Date(Date.UTC(from.y, from.m - 1, from.d)).getUTCDay();
      return addDays(from, (WEEKDAYS.indexOf(m[1]!) - dow + 7) % 7);
    },
  },
  {
    pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
    read: (m) => ({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }),
  },
  {
    pattern: /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/,
    read: (m, from) =>
      m[3]
        ? { y: Number(m[3]), m: Number(m[1]), d: Number(m[2]) }
        : nextWithoutYear(Number(m[1]), Number(m[2]), from),
  },
  {
    pattern: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})$/,
    read: (m) => `The day "${m[0]}" needs a 4-digit year, e.g. 12/2/2026`,
  },
  {
    pattern: new RegExp(`^${MONTH} (\\d{1,2})(?:st|nd|rd|th)?(?: (\\d{4}))?$`),
    read: (m, from) => {
      const [mo, d] = [MONTHS.indexOf(m[1]!) + 1, Number(m[2])];
      return m[3] ? { y: Number(m[3]), m: mo, d } : nextWithoutYear(mo, d, from);
    },
  },
  {
    pattern: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)? ${MONTH}(?: (\\d{4}))?$`),
    read: (m, from) => {
      const [mo, d] = [MONTHS.indexOf(m[2]!) + 1, Number(m[1])];
      return m[3] ? { y: Number(m[3]), m: mo, d } : nextWithoutYear(mo, d, from);
    },
  },
];

/** The day part: today, tomorrow, a weekday (the next one, today included), or a date in several forms. */
export function readDay(text: string, now: Date, timeZone: string): Read<CalendarDay> {
  const s = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const from = today(now, timeZone);
  for (const form of DAY_FORMS) {
    const m = form.pattern.exec(s);
    if (!m) continue;
    const day = form.read(m, from);
    if (typeof day === 'string') return { ok: false, message: day };
    if (!isRealDay(day)) return { ok: false, message: `"${text.trim()}" is not a real day` };
    return { ok: true, value: day };
  }
  return { ok: false, message: `"${text.trim()}" is not ${DAY_HELP}` };
}

/** The time part: 9am, 9:30 am, 2:15pm, 14:00, noon. A bare hour ("9") is refused: morning or evening? */
export function readTime(text: string): Read<{ h: number; min: number }> {
  const s = text.trim().toLowerCase().replace(/\./g, '').replace(/\s+/g, '');
  if (s === 'noon') return { ok: true, value: { h: 12, min: 0 } };
  let m = /^(\d{1,2})(?::(\d{2}))?(am|pm|a|p)$/.exec(s);
  if (m) {
    const h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    if (h < 1 || h > 12 || min > 59) return { ok: false, message: `"${text.trim()}" is not a time of day` };
    const pm = m[3]!.startsWith('p');
    return { ok: true, value: { h: (h % 12) + (pm ? 12 : 0), min } };
  }
  m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (m) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (h > 23 || min > 59) return { ok: false, message: `"${text.trim()}" is not a time of day` };
    return { ok: true, value: { h, min } };
  }
  if (/^\d{1,2}$/.test(s))
    return {
      ok: false,
      message: `Please say ${s}am or ${s}pm (or ${s.padStart(2, '0')}:00 on a 24-hour clock)`,
    };
  return { ok: false, message: `"${text.trim()}" is not a time such as 9:30am, 2pm or 14:00` };
}

/** The instant a wall-clock time in `timeZone` names (for a time skipped by a clock change, the one after). */
export function zonedInstant(day: CalendarDay, h: number, min: number, timeZone: string): Date {
  const wanted = Date.UTC(day.y, day.m - 1, day.d, h, min);
  let guess = wanted;
  // Two rounds settle the offset, also next to a daylight-saving change.
  for (let i = 0; i < 2; i++) {
    const [y, mo, d, hh, mm] = wallClock(new Date(guess), timeZone);
    guess += wanted - Date.UTC(y, mo - 1, d, hh === 24 ? 0 : hh, mm);
  }
  return new Date(guess);
}

/** "tomorrow 9:30am", "12/2/2026 14:00", "Dec 2 2026 3pm": the time is the last word (or two: "9:30 am"). */
export function readWhen(text: string, now: Date, timeZone: string): Read<Date> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2)
    return {
      ok: false,
      message: 'Please give a day and a time, for example "tomorrow 9:30am" or "12/2/2026 14:00"',
    };
  const ampm = /^(am|pm|a\.?m\.?|p\.?m\.?)$/i.test(words.at(-1)!);
  const timeWords = ampm ? words.slice(-2) : words.slice(-1);
  const dayText = words.slice(0, words.length - timeWords.length).join(' ');
  const day = readDay(dayText, now, timeZone);
  const time = readTime(timeWords.join(''));
  if (!day.ok) return day;
  if (!time.ok) return time;
  const at = zonedInstant(day.value, time.value.h, time.value.min, timeZone);
  if (at.getTime() <= now.getTime())
    return { ok: false, message: 'That time has already passed: please pick a time in the future' };
  return { ok: true, value: at };
}

/** The instants a day starts and ends at in `timeZone`, for listing its appointments. */
export function dayWindow(day: CalendarDay, timeZone: string): { start: Date; end: Date } {
  return { start: zonedInstant(day, 0, 0, timeZone), end: zonedInstant(addDays(day, 1), 0, 0, timeZone) };
}
