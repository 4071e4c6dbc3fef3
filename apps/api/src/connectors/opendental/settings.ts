// What an institution configures to reach its Open Dental: where the API is, how our locations map onto
// Open Dental's clinics and operatories, and the key pair. Settings are plain configuration; keys are
// secrets (kept sealed by the caller, never logged, never echoed in a message).
import { IANAZone } from 'luxon';
import { z } from 'zod';

export const OPEN_DENTAL_DATA_SOURCE = 'OpenDental';

const positiveInt = z.number().int().positive();

export const openDentalLocation = z.object({
  /** Our location. */
  location_id: positiveInt,
  /** Open Dental's clinic for it, or null when the office does not use clinics. */
  clinic_num: z.number().int().nonnegative().nullable(),
  /** The operatory (chair) our bookings at this location go to. */
  operatory: positiveInt,
  /** The office's IANA time zone: Open Dental keeps appointment times as local wall-clock times. */
  time_zone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'must be an IANA time zone' }),
});

export const openDentalSettings = z.object({
  /** e.g. https://api.opendental.com/api/v1, or a local API / API Service URL. */
  base_url: z.url({ protocol: /^https?$/ }),
  locations: z
    .array(openDentalLocation)
    .min(1)
    .refine((locs) => new Set(locs.map((l) => l.location_id)).size === locs.length, {
      message: 'each location_id may be mapped only once',
    }),
});

// The key pair becomes `ODFHIR {developer}/{customer}`: a slash or blank inside a key would change what the
// header says, so neither is allowed. (zod's messages never repeat the input, so no key reaches an error.)
const key = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s/]+$/, { message: 'must not contain blanks or slashes' });

export const openDentalKeys = z.object({ developer_key: key, customer_key: key });

export type OpenDentalLocation = z.infer<typeof openDentalLocation>;
export type OpenDentalSettings = z.infer<typeof openDentalSettings>;
export type OpenDentalKeys = z.infer<typeof openDentalKeys>;
