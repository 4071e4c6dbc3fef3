// POST /authenticates (SPEC 3): an API key buys a one-hour bearer token.
import { z } from 'zod';

export const TOKEN_LIFETIME_SECONDS = 3600;

/** No fields: the key in the Authorization header names the institution (SPEC 3). */
export const authenticateInput = z.object({});
export type AuthenticateInput = z.infer<typeof authenticateInput>;

export const authenticateOutput = z.object({
  token: z.string().describe('bearer token, valid for one hour'),
  expires_at: z.string().describe('ISO 8601 UTC time the token stops working'),
});
export type AuthenticateOutput = z.infer<typeof authenticateOutput>;
