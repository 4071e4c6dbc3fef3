// Open Dental as a configured connector: `set-connector --type opendental` flags become stored settings
// (base URL and the location map) and sealed keys; a stored row becomes a connector. Time zones are not
// stored: each mapped location's own time zone is read when the connector is built, so editing a location
// never leaves a stale copy here.
import { issueMessages } from '@patients/core';
import type { Database } from '../../db/connect';
import { practiceRepo } from '../../db/repositories/practice';
import type { ConnectorKind } from '../registry';
import { open } from '../secrets';
import { openDentalConnector } from './connector';
import { OPEN_DENTAL_DATA_SOURCE, openDentalKeys, openDentalSettings } from './settings';

interface StoredLocation {
  location_id: number;
  clinic_num: number | null;
  operatory: number;
}

export class OpenDentalConfigError extends Error {}

/** `LOCATION_ID:OPERATORY[:CLINIC]`, e.g. `1:3` or `2:5:1`. */
export function parseLocationMap(value: string): StoredLocation {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(value);
  if (!m)
    throw new OpenDentalConfigError(
      `--map "${value}" must be LOCATION_ID:OPERATORY or LOCATION_ID:OPERATORY:CLINIC`,
    );
  return {
    location_id: Number(m[1]),
    operatory: Number(m[2]),
    clinic_num: m[3] === undefined ? null : Number(m[3]),
  };
}

async function withTimeZones(db: Database, institutionId: number, locations: StoredLocation[]) {
  const ours = new Map((await practiceRepo(db.knex).locations(institutionId)).map((l) => [l.id, l]));
  return locations.map((l) => {
    const loc = ours.get(l.location_id);
    if (!loc)
      throw new OpenDentalConfigError(`location ${l.location_id} is not a location of this institution`);
    return { ...l, time_zone: loc.time_zone };
  });
}

function check<T>(
  result: { success: true; data: T } | { success: false; error: import('zod').ZodError },
  what: string,
): T {
  if (result.success) return result.data;
  throw new OpenDentalConfigError(`${what}: ${issueMessages(result.error).join('; ')}`);
}

export const openDentalKind: ConnectorKind = {
  dataSource: OPEN_DENTAL_DATA_SOURCE,

  async build(db, institutionId, row, secretsKey) {
    const stored = row.settings as { base_url?: string; locations?: StoredLocation[] };
    const settings = check(
      openDentalSettings.safeParse({
        base_url: stored.base_url,
        locations: await withTimeZones(db, institutionId, stored.locations ?? []),
      }),
      'settings',
    );
    if (!row.sealed_secrets)
      throw new OpenDentalConfigError(
        'no keys are set: run set-connector with --developer-key and --customer-key',
      );
    const keys = check(
      openDentalKeys.safeParse(open(institutionId, row.sealed_secrets, secretsKey())),
      'keys',
    );
    // Bookings call Open Dental inside the institution's write transaction (on SQLite, the only writer), so a
    // hung Open Dental must give up sooner than the client's defaults: 5 s a call, 2 retries.
    return openDentalConnector({ settings, keys, timeoutMs: 5_000, retries: 2 });
  },

  async configure(db, institutionId, flags, current) {
    const maps = flags.map === undefined ? [] : ([] as string[]).concat(flags.map as string | string[]);
    const locations = maps.length
      ? maps.map(parseLocationMap)
      : ((current.settings.locations as StoredLocation[] | undefined) ?? []);
    const baseUrl =
      typeof flags['base-url'] === 'string'
        ? flags['base-url'].replace(/\/+$/, '')
        : current.settings.base_url;
    // Validate the whole configuration now, so a mistake is reported here and not at the first booking.
    check(
      openDentalSettings.safeParse({
        base_url: baseUrl,
        locations: await withTimeZones(db, institutionId, locations),
      }),
      'settings',
    );
    const keys = check(
      openDentalKeys.safeParse({
        developer_key:
          typeof flags['developer-key'] === 'string'
            ? flags['developer-key']
            : current.secrets?.developer_key,
        customer_key:
          typeof flags['customer-key'] === 'string' ? flags['customer-key'] : current.secrets?.customer_key,
      }),
      'keys (--developer-key, --customer-key)',
    );
    return { settings: { base_url: baseUrl, locations }, secrets: keys };
  },
};
