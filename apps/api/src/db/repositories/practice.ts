// Locations and providers of an institution. Every method takes the institution and filters by it.
import type { Location, Provider } from '@patients/core';
import type { Knex } from 'knex';
import { bool, type Clock, systemClock } from './time';

interface LocationRow {
  id: number;
  institution_id: number;
  name: string;
  time_zone: string;
  inactive: unknown;
}

function toLocation(row: LocationRow): Location {
  return {
    id: row.id,
    institution_id: row.institution_id,
    name: row.name,
    time_zone: row.time_zone,
    inactive: bool(row.inactive),
  };
}

interface ProviderRow {
  id: number;
  institution_id: number;
  name: string;
  inactive: unknown;
}

function toProvider(row: ProviderRow, locationIds: number[]): Provider {
  return {
    id: row.id,
    institution_id: row.institution_id,
    name: row.name,
    inactive: bool(row.inactive),
    location_ids: locationIds,
  };
}

export function practiceRepo(db: Knex, clock: Clock = systemClock) {
  const nowIso = () => clock().toISOString();
  async function providerLocationIds(providerIds: number[]): Promise<Map<number, number[]>> {
    const map = new Map<number, number[]>();
    if (!providerIds.length) return map;
    const rows = await db('provider_locations').whereIn('provider_id', providerIds).orderBy('location_id');
    for (const r of rows) map.set(r.provider_id, [...(map.get(r.provider_id) ?? []), r.location_id]);
    return map;
  }

  return {
    async createLocation(institutionId: number, name: string, timeZone?: string): Promise<Location> {
      const [row] = await db('locations')
        .insert({
          institution_id: institutionId,
          name,
          time_zone: timeZone ?? 'America/New_York',
          created_at: nowIso(),
        })
        .returning('*');
      return toLocation(row);
    },

    async location(institutionId: number, locationId: number): Promise<Location | undefined> {
      const row = await db('locations').where({ institution_id: institutionId, id: locationId }).first();
      return row ? toLocation(row) : undefined;
    },

    async locations(institutionId: number): Promise<Location[]> {
      const rows = await db('locations').where({ institution_id: institutionId }).orderBy('id');
      return rows.map(toLocation);
    },

    async createProvider(institutionId: number, name: string, locationIds: number[]): Promise<Provider> {
      return db.transaction(async (trx) => {
        const [row] = await trx('providers')
          .insert({ institution_id: institutionId, name, created_at: nowIso() })
          .returning(['id', 'institution_id', 'name', 'inactive']);
        if (locationIds.length) {
          await trx('provider_locations').insert(
            locationIds.map((location_id) => ({ provider_id: row.id, location_id })),
          );
        }
        return toProvider(row, locationIds);
      });
    },

    async provider(institutionId: number, providerId: number): Promise<Provider | undefined> {
      const row = await db('providers').where({ institution_id: institutionId, id: providerId }).first();
      if (!row) return undefined;
      const locs = await providerLocationIds([row.id]);
      return toProvider(row, locs.get(row.id) ?? []);
    },

    async providersAt(institutionId: number, locationId: number): Promise<Provider[]> {
      const rows = await db('providers')
        .join('provider_locations', 'provider_locations.provider_id', 'providers.id')
        .where({ 'providers.institution_id': institutionId, 'provider_locations.location_id': locationId })
        .orderBy('providers.id')
        .select('providers.*');
      const locs = await providerLocationIds(rows.map((r) => r.id));
      return rows.map((r) => toProvider(r, locs.get(r.id) ?? []));
    },

    /** The provider's id in the health record system (set by `set-connector --provider` or by sync), if any. */
    async providerForeignId(institutionId: number, providerId: number): Promise<string | null> {
      const row = await db('providers')
        .where({ institution_id: institutionId, id: providerId })
        .first('foreign_id');
      return row?.foreign_id ?? null;
    },

    /** Our provider for the health record system's provider id, if we have one. */
    async providerIdByForeignId(institutionId: number, foreignId: string): Promise<number | undefined> {
      const row = await db('providers')
        .where({ institution_id: institutionId, foreign_id: foreignId })
        .first('id');
      return row?.id;
    },

    async setProviderForeignId(institutionId: number, providerId: number, foreignId: string): Promise<void> {
      await db('providers')
        .where({ institution_id: institutionId, id: providerId })
        .update({ foreign_id: foreignId });
    },

    async providerNames(institutionId: number, ids: number[]): Promise<Map<number, string>> {
      if (!ids.length) return new Map();
      const rows = await db('providers')
        .where({ institution_id: institutionId })
        .whereIn('id', [...new Set(ids)])
        .select('id', 'name');
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}
export type PracticeRepo = ReturnType<typeof practiceRepo>;
