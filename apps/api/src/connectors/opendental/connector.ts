// The Open Dental connector (SPEC 7): inserts patients and books appointments through Open Dental's REST API
// and reads what changed there for sync. Field mapping lives in ./mapping, HTTP in ./client.
import { type DuplicateEvidence, foldName, isSamePatient } from '@patients/core';
import { z } from 'zod';
import {
  type ChangesPage,
  ConnectorRefused,
  ConnectorUnreachable,
  type HealthRecordConnector,
  type HrsAppointment,
  type HrsAppointmentInput,
  type HrsBioDetails,
  type HrsPatient,
  type HrsPatientInput,
  unusableConnector,
} from '../connector';
import { type OpenDentalClient, OpenDentalTransient, openDentalClient } from './client';
import {
  appointmentFromOd,
  appointmentToOd,
  defaultTimeZone,
  type OdAppointment,
  type OdPatient,
  odAppointment,
  odPatient,
  odProvider,
  officeFromUtc,
  patientFromOd,
  patientToOd,
  providerName,
  shiftOfficeTime,
} from './mapping';
import {
  OPEN_DENTAL_DATA_SOURCE,
  type OpenDentalKeys,
  type OpenDentalSettings,
  openDentalKeys,
  openDentalSettings,
} from './settings';

export interface OpenDentalConnectorOptions {
  settings: OpenDentalSettings;
  keys: OpenDentalKeys;
  timeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
}

/** Open Dental's hard page size on its cloud API (the local API allows 1,000; 100 works everywhere). */
export const PAGE_SIZE = 100;
/**
 * How far before a stored cursor a read starts again. DateTStamp has one-second resolution and means
 * "changed after", and a record can be stamped just before its transaction commits, so a read that begins
 * exactly at the cursor could miss a change made in the cursor's own second. Sync is idempotent, so
 * re-reading a few seconds of changes costs nothing.
 */
export const OVERLAP_SECONDS = 5;
/** Provider names change rarely: one GET /providers serves reads for this long. */
const PROVIDER_NAMES_TTL_MS = 10 * 60_000;
/** "Everything": Open Dental's no-date, and the cursor of a read that found nothing and had no start. */
const BEGINNING = '0001-01-01 00:00:00';

/** A read's position, handed back to us as the opaque `page`: the DateTStamp sent, the offset, the cursor. */
const pageToken = z.object({ s: z.string().nullable(), o: z.number().int().nonnegative(), c: z.string() });
type PageToken = z.infer<typeof pageToken>;

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64url');
function decodeToken(page: string): PageToken {
  try {
    return pageToken.parse(JSON.parse(Buffer.from(page, 'base64url').toString('utf8')));
  } catch {
    throw new Error('Not a page token of the Open Dental connector');
  }
}

/** Our patient as the duplicate rule sees it: values filled from practice defaults are not evidence. */
function evidence(p: HrsPatientInput): DuplicateEvidence {
  return {
    first_name: p.first_name,
    last_name: p.last_name,
    preferred_name: p.preferred_name,
    email: p.email,
    phone_number: p.phone_number,
    date_of_birth: p.date_of_birth,
    gender: p.gender,
    demographics_defaulted: [...(p.demographics_defaulted ?? [])],
  };
}

/** The record we would have written ourselves: the same names, birth date, and email or phone. */
function identical(ours: HrsPatientInput, theirs: HrsPatient): boolean {
  return (
    foldName(ours.first_name) === foldName(theirs.first_name) &&
    foldName(ours.last_name) === foldName(theirs.last_name) &&
    ours.date_of_birth === theirs.date_of_birth &&
    (ours.email === theirs.email || ours.phone_number === theirs.phone_number)
  );
}

/** An appointment's AptNum from its foreign id; anything else was never booked there. */
function aptNum(foreignId: string): number {
  if (!/^\d{1,10}$/.test(foreignId)) throw new ConnectorRefused('the appointment has no Open Dental number');
  return Number(foreignId);
}

export function openDentalConnector(options: OpenDentalConnectorOptions): HealthRecordConnector {
  // Bad configuration becomes an error of each call (a 502 naming the fix), not a crash where the
  // connector is built.
  const settingsCheck = openDentalSettings.safeParse(options.settings);
  const keysCheck = openDentalKeys.safeParse(options.keys);
  if (!settingsCheck.success || !keysCheck.success) {
    const what = !settingsCheck.success
      ? `settings are invalid (${settingsCheck.error.issues.map((i) => `${i.path.join('.') || 'settings'} ${i.message}`).join('; ')})`
      : 'keys are malformed';
    return unusableConnector(
      OPEN_DENTAL_DATA_SOURCE,
      `The Open Dental ${what}; fix them with \`set-connector\``,
    );
  }
  const settings = settingsCheck.data;
  const client = openDentalClient({
    baseUrl: settings.base_url,
    developerKey: keysCheck.data.developer_key,
    customerKey: keysCheck.data.customer_key,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    retryBaseMs: options.retryBaseMs,
  });
  return connectorOn(client, settings);
}

function connectorOn(client: OpenDentalClient, settings: OpenDentalSettings): HealthRecordConnector {
  /** Every page of a list GET, read until a page is short. */
  async function readAll<T>(path: string, query: Record<string, string | number>, schema: z.ZodType<T>) {
    const all: T[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const rows = await client.get(path, { ...query, Limit: PAGE_SIZE, Offset: offset }, z.array(schema));
      all.push(...rows);
      if (rows.length < PAGE_SIZE) return all;
    }
  }

  /** Open Dental's patients who could be `p`: same birth date (or, without one, the same names). */
  async function candidates(p: HrsPatientInput): Promise<HrsPatient[]> {
    // By birth date alone rather than with LName/FName: Open Dental matches names as substrings, so a
    // nickname ("Bob" for "Robert") or a one-letter typo would not be found; a birth date is a small set,
    // and the duplicate rule decides from there.
    const query: Record<string, string> = p.date_of_birth
      ? { Birthdate: p.date_of_birth }
      : { LName: p.last_name.trim(), FName: p.first_name.trim() };
    const rows = await readAll('/patients/Simple', query, odPatient);
    // A Deleted patient is hidden in Open Dental and can no longer be changed through the API.
    return rows.filter((r) => r.PatStatus !== 'Deleted').map((r) => patientFromOd(r, settings));
  }

  /** The Open Dental record that is `p`, preferring one identical to what we would write (our own). */
  async function findSamePatient(p: HrsPatientInput): Promise<string | null> {
    const found = await candidates(p);
    const same =
      found.find((h) => identical(p, h)) ?? found.find((h) => isSamePatient(evidence(p), evidence(h)));
    return same?.foreign_id ?? null;
  }

  /**
   * A write whose answer may be lost. Open Dental has no idempotency key, so a POST is never simply sent
   * again: after a timeout, a dropped connection, a 5xx or a 429, we wait (backoff), look for what the
   * first POST would have made, and post again only when it is not there.
   */
  async function writeOnce(
    post: () => Promise<string>,
    lookFor: () => Promise<string | null>,
  ): Promise<{ foreign_id: string }> {
    let lost: OpenDentalTransient | null = null;
    for (let n = 0; n <= client.retries; n++) {
      if (lost) {
        await client.backoff(n - 1, lost);
        const found = await lookFor();
        if (found) return { foreign_id: found };
      }
      try {
        return { foreign_id: await post() };
      } catch (err) {
        if (err instanceof OpenDentalTransient) {
          lost = err;
          continue;
        }
        // A lost POST may have landed after we looked; Open Dental's own duplicate check then refuses the
        // repeat. One more look tells the two apart.
        if (err instanceof ConnectorRefused && lost) {
          const found = await lookFor();
          if (found) return { foreign_id: found };
        }
        throw err;
      }
    }
    // The last answer was lost too: one last look, so a POST that landed is not reported as a failure.
    const found = await lookFor().catch(() => null);
    if (found) return { foreign_id: found };
    throw new ConnectorUnreachable(`${lost?.message}; gave up after ${client.retries + 1} attempts`);
  }

  let providerCache: { at: number; names: Map<number, string> } | null = null;
  /** ProvNum -> display name, from GET /providers, kept a few minutes. */
  async function providerNames(): Promise<Map<number, string>> {
    if (providerCache && Date.now() - providerCache.at < PROVIDER_NAMES_TTL_MS) return providerCache.names;
    try {
      const rows = await readAll('/providers', {}, odProvider);
      providerCache = { at: Date.now(), names: new Map(rows.map((r) => [r.ProvNum, providerName(r)])) };
      return providerCache.names;
    } catch (err) {
      // Keys without the providers permission still sync: appointments then carry Open Dental's provAbbr.
      if (err instanceof ConnectorRefused) return new Map();
      throw err;
    }
  }

  /** The DateTStamp to send for a stored cursor: a few seconds earlier (OVERLAP_SECONDS). */
  function startOfRead(since: string | null): string | null {
    if (since == null || since <= BEGINNING) return null;
    let local = since;
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(since)) {
      // Not a cursor of ours (say an ISO instant from an operator): read it on the office's clock.
      if (Number.isNaN(Date.parse(since))) throw new Error('Not a cursor of the Open Dental connector');
      local = officeFromUtc(new Date(since).toISOString(), defaultTimeZone(settings));
    }
    return shiftOfficeTime(local, -OVERLAP_SECONDS) ?? local;
  }

  /**
   * One page of a "changed since" read. The first page fixes the DateTStamp sent and the cursor: the
   * serverDateTime Open Dental stamped on that answer (its own office-local clock, never ours). Later pages
   * repeat the same DateTStamp at the next offset; the read ends at a short page.
   */
  async function changedPage<T extends { serverDateTime?: string | undefined }>(
    path: string,
    schema: z.ZodType<T>,
    since: string | null,
    page: string | null,
  ): Promise<{ rows: T[]; next: string | null; cursor: string }> {
    const token: PageToken = page ? decodeToken(page) : { s: startOfRead(since), o: 0, c: '' };
    const query: Record<string, string | number> = { Limit: PAGE_SIZE, Offset: token.o };
    if (token.s) query.DateTStamp = token.s;
    const rows = await client.get(path, query, z.array(schema));
    // An empty first answer carries no serverDateTime: nothing changed, so the old cursor still holds.
    const cursor = token.c || rows[0]?.serverDateTime || since || BEGINNING;
    const next =
      rows.length < PAGE_SIZE ? null : encodeToken({ s: token.s, o: token.o + PAGE_SIZE, c: cursor });
    return { rows, next, cursor };
  }

  return {
    dataSource: OPEN_DENTAL_DATA_SOURCE,
    // Not at once: a remote call for every create, made while the institution's write lock is held, would be
    // slow and would fail creates whenever Open Dental is slow or down. The duplicate check uses the synced
    // copy instead (sync brings every Open Dental patient in), and insertion looks Open Dental up itself,
    // linking to an existing record instead of inserting a second one (SPEC 4.3).
    answersAtOnce: false,

    async findByBirthDate(_scope, e) {
      if (!e.date_of_birth) return [];
      const rows = await readAll('/patients/Simple', { Birthdate: e.date_of_birth }, odPatient);
      return rows.filter((r) => r.PatStatus !== 'Deleted').map((r) => patientFromOd(r, settings));
    },

    async insertPatient(_scope, p: HrsPatientInput & HrsBioDetails) {
      const existing = await findSamePatient(p);
      if (existing) return { foreign_id: existing };
      const body = patientToOd(p, settings);
      return writeOnce(
        async () => String((await client.send('POST', '/patients', body, odPatient)).PatNum),
        () => findSamePatient(p),
      );
    },

    async bookAppointment(_scope, a: HrsAppointmentInput) {
      const location = settings.locations.find((l) => l.location_id === a.location_id);
      if (!location) {
        throw new ConnectorRefused(
          `location ${a.location_id} has no Open Dental operatory configured; add it with \`set-connector\``,
        );
      }
      if (!/^\d+$/.test(a.foreign_patient_id)) {
        throw new ConnectorRefused('the patient has no Open Dental patient number');
      }
      const built = appointmentToOd(a, location);
      if ('refused' in built) throw new ConnectorRefused(built.refused);
      const { body } = built;
      const day = String(body.AptDateTime).slice(0, 10);
      const sameVisit = (r: OdAppointment) =>
        r.AptDateTime.slice(0, 19) === body.AptDateTime && r.Op === body.Op && r.AptStatus === 'Scheduled';
      return writeOnce(
        async () => String((await client.send('POST', '/appointments', body, odAppointment)).AptNum),
        async () => {
          const rows = await readAll(
            '/appointments',
            { PatNum: a.foreign_patient_id, dateStart: day, dateEnd: day },
            odAppointment,
          );
          const found = rows.find(sameVisit);
          return found ? String(found.AptNum) : null;
        },
      );
    },

    // One attempt each: a lost answer is a 502 and a retry by the caller (breaking twice is refused there).
    async cancelAppointment(_scope, foreignId) {
      await client.send(
        'PUT',
        `/appointments/${aptNum(foreignId)}/Break`,
        { sendToUnscheduledList: 'false', breakType: 'Cancelled' },
        z.unknown(),
      );
    },

    async confirmAppointment(_scope, foreignId) {
      await client.send(
        'PUT',
        `/appointments/${aptNum(foreignId)}/Confirm`,
        { confirmVal: 'Confirmed' },
        z.unknown(),
      );
    },

    async patientsChangedSince(_scope, since, page): Promise<ChangesPage<HrsPatient>> {
      const { rows, next, cursor } = await changedPage<OdPatient>('/patients/Simple', odPatient, since, page);
      return { items: rows.map((r) => patientFromOd(r, settings)), next, cursor };
    },

    async appointmentsChangedSince(_scope, since, page): Promise<ChangesPage<HrsAppointment>> {
      const { rows, next, cursor } = await changedPage<OdAppointment>(
        '/appointments',
        odAppointment,
        since,
        page,
      );
      const names = rows.length ? await providerNames() : new Map<number, string>();
      const items = rows
        .map((r) => appointmentFromOd(r, settings, names))
        .filter((a): a is HrsAppointment => a !== null);
      return { items, next, cursor };
    },
  };
}
