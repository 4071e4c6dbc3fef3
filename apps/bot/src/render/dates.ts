// Dates and times as front-desk staff read them (issue 17): a date of birth as `May 3, 1964` (or the
// practice's BOT_DATE_FORMAT), an appointment as `Wed, Dec 2, 2026, 9:00 AM EST` in the practice's time zone,
// which is always stated. Never an ISO string: those are for machines.

const TOKENS = /YYYY|MMMM|MMM|MM|M|DD|D|[^A-Za-z]+|[A-Za-z]+/g;
const KNOWN = new Set(['YYYY', 'MMMM', 'MMM', 'MM', 'M', 'DD', 'D']);

/**
 * Why a BOT_DATE_FORMAT value cannot be used, or null when it can. A pattern has a year, a month and a day
 * token (YYYY; MMMM, MMM, MM or M; DD or D) and only spaces and punctuation between them; "locale" uses the
 * Discord server's language.
 */
export function checkDateFormat(pattern: string): string | null {
  if (pattern === 'locale') return null;
  const parts = pattern.match(TOKENS) ?? [];
  const words = parts.filter((p) => /[A-Za-z]/.test(p));
  const unknown = words.find((w) => !KNOWN.has(w));
  if (unknown) return `"${unknown}" is not one of YYYY, MMMM, MMM, MM, M, DD, D`;
  if (/\d/.test(pattern)) return 'a pattern holds no digits';
  const has = (set: string[]) => words.some((w) => set.includes(w));
  if (!has(['YYYY']) || !has(['MMMM', 'MMM', 'MM', 'M']) || !has(['DD', 'D']))
    return 'it needs a year (YYYY), a month (MMMM, MMM, MM or M) and a day (DD or D)';
  if (new Set(words).size !== words.length || words.length !== 3) return 'each of year, month and day once';
  return null;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A calendar date (year, month 1-12, day) in a pattern, or in a locale's medium style. */
export function formatCalendarDate(
  y: number,
  m: number,
  d: number,
  format: string,
  locale = 'en-US',
): string {
  if (format === 'locale') {
    try {
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(Date.UTC(y, m - 1, d)),
      );
    } catch {
      return formatCalendarDate(y, m, d, 'MMM D, YYYY');
    }
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return (format.match(TOKENS) ?? [])
    .map((t) => {
      switch (t) {
        case 'YYYY':
          return String(y);
        case 'MMMM':
          return MONTHS[m - 1]!;
        case 'MMM':
          return MONTHS[m - 1]!.slice(0, 3);
        case 'MM':
          return pad(m);
        case 'M':
          return String(m);
        case 'DD':
          return pad(d);
        case 'D':
          return String(d);
        default:
          return t;
      }
    })
    .join('');
}

/** The calendar date of an instant in a time zone: [year, month, day, hour, minute]. */
export function wallClock(at: Date, timeZone: string): [number, number, number, number, number] {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute')];
}

/** How the bot shows dates and times for one reply: the practice's format and time zone. */
export interface Display {
  /** IANA time zone appointment times are shown in. */
  readonly timeZone: string;
  /** A `YYYY-MM-DD` calendar date (a date of birth): `May 3, 1964`. Anything else is shown as given. */
  date(ymd: string | null): string;
  /** The day of an instant in the time zone: `Wed, Dec 2, 2026`. */
  day(iso: string): string;
  /** The clock time of an instant: `9:00 AM`. */
  time(iso: string): string;
  /** Day and time with the zone's short name: `Wed, Dec 2, 2026, 9:00 AM EST`. */
  dateTime(iso: string): string;
  /** The sentence that states the zone: `Times are in America/New_York.` */
  readonly zoneNote: string;
}

export function makeDisplay(options: { dateFormat: string; timeZone: string; locale?: string }): Display {
  const { dateFormat, timeZone, locale = 'en-US' } = options;
  const weekday = (at: Date) =>
    new Intl.DateTimeFormat(dateFormat === 'locale' ? locale : 'en-US', {
      timeZone,
      weekday: 'short',
    }).format(at);
  const zoneName = (at: Date) =>
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const display: Display = {
    timeZone,
    date(ymd) {
      if (!ymd) return '—';
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
      return m ? formatCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]), dateFormat, locale) : ymd;
    },
    day(iso) {
      const at = new Date(iso);
      const [y, mo, d] = wallClock(at, timeZone);
      return `${weekday(at)}, ${formatCalendarDate(y, mo, d, dateFormat, locale)}`;
    },
    time(iso) {
      // ICU puts a narrow no-break space before AM/PM; a plain one reads the same and copies cleanly.
      return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })
        .format(new Date(iso))
        .replace(/\s/g, ' ');
    },
    dateTime(iso) {
      return `${display.day(iso)}, ${display.time(iso)} ${zoneName(new Date(iso))}`;
    },
    zoneNote: `Times are in ${timeZone}.`,
  };
  return display;
}
