// Abuse limits (SPEC 3), in front of every route, REST and tRPC alike:
// - more than FAILED_AUTH_LIMIT failed authentications (answers 401) from one client address within a
//   minute are answered 429 until that minute has passed, whatever the credential: guessing keys is slow;
// - each API key, with the tokens issued from it, may make `perMinute` requests a minute; answers carry the
//   IETF draft's `RateLimit-Policy` and `RateLimit` headers, and a request past it gets 429 with Retry-After.
// express-rate-limit keeps the counts in this process's memory: with several server processes each counts
// its own share (say so in the README).
import { failure } from '@patients/core';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Caller } from './services/auth';

export const FAILED_AUTH_LIMIT = 20;
/** RATE_LIMIT_PER_MINUTE's default (config.ts). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;
const WINDOW_MS = 60_000;

function tooMany(message: string) {
  return (_req: Request, res: Response, _next: unknown, options: { windowMs: number }) => {
    const reset = (res.req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = reset
      ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000))
      : options.windowMs / 1000;
    res.setHeader('Retry-After', String(seconds));
    res.status(429).json(failure('Too many requests', [message]));
  };
}

export function abuseLimits(caller: (req: Request) => Promise<Caller>, perMinute: number): RequestHandler[] {
  const failedAuthentications = rateLimit({
    windowMs: WINDOW_MS,
    limit: FAILED_AUTH_LIMIT,
    standardHeaders: false,
    legacyHeaders: false,
    // Only answers of 401 count.
    skipSuccessfulRequests: true,
    // A forwarded header without TRUST_PROXY is ignored on purpose (a client could claim any address); the
    // library's console warning about it would break the JSON log lines.
    validate: { xForwardedForHeader: false },
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: tooMany(
      'Too many failed authentications from this address; try again after the Retry-After seconds',
    ),
  });
  const perKey = rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: `${perMinute}-per-minute`,
    validate: { xForwardedForHeader: false },
    // Requests without a valid key are the first limiter's business (and get their 401 from the route).
    skip: async (req) =>
      !(await caller(req).then(
        () => true,
        () => false,
      )),
    keyGenerator: async (req) => `key:${(await caller(req)).apiKeyId}`,
    handler: tooMany(
      'This API key made too many requests this minute; try again after the Retry-After seconds',
    ),
  });
  return [failedAuthentications, perKey];
}
