// Locations, providers and institution settings (SPEC 6 and 4.3's practice defaults).
import { z } from 'zod';
import { id, subdomain } from './common';
import { DEMOGRAPHIC_FIELDS, gender } from './patient';

export const location = z
  .object({
    id,
    institution_id: id,
    name: z.string(),
    time_zone: z.string().describe('IANA time zone of the office, e.g. America/New_York'),
    inactive: z.boolean(),
  })
  .meta({ id: 'Location' });
export type Location = z.infer<typeof location>;

export const provider = z
  .object({
    id,
    institution_id: id,
    name: z.string(),
    location_ids: z.array(id),
    inactive: z.boolean(),
  })
  .meta({ id: 'Provider' });
export type Provider = z.infer<typeof provider>;

export const listLocationsInput = z.object({ subdomain });
export const listLocationsOutput = z.object({ locations: z.array(location) });
export const listProvidersInput = z.object({ subdomain, location_id: id });
export const listProvidersOutput = z.object({ providers: z.array(provider) });

/**
 * An institution's opt-in demographic defaults (SPEC 4.3). A field with a value here is filled in when a
 * create leaves it out; a field left out here stays required.
 */
export const demographicDefaults = z
  .object({
    email: z.email().optional(),
    phone_number: z.string().optional(),
    date_of_birth: z.iso.date().optional(),
    gender: gender.optional(),
  })
  .strict();
export type DemographicDefaults = z.infer<typeof demographicDefaults>;

export { DEMOGRAPHIC_FIELDS };
