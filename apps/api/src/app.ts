// The HTTP application: REST (NexHealth shape), tRPC, OpenAPI and docs, health. Routes stay thin.
import { failure, tooLargeError, validationError } from '@patients/core';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import { type Database, databaseAnswers } from './db/connect';
import { systemClock } from './db/repositories/time';
import { asServiceError, RETRY_AFTER_SECONDS } from './errors';
import { abuseLimits, DEFAULT_RATE_LIMIT_PER_MINUTE } from './limits';
import { requestLogger, safeError } from './logging';
import { noteUpstreamCause, sendError } from './rest/envelope';
import { openApiDocument } from './rest/openapi';
import { restRoutes } from './rest/routes';
import type { Services } from './services';
import { callerMemo } from './tenancy';
import { appRouter } from './trpc/router';
import { contextFactory } from './trpc/trpc';

/** SPEC 2: a body over 1 MiB gets 413. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  db: Database;
  services: Services;
  logger: Logger;
  now?: () => Date;
  /** RATE_LIMIT_PER_MINUTE and TRUST_PROXY (config.ts). */
  rateLimitPerMinute?: number;
  trustProxy?: string | undefined;
}

/** TRUST_PROXY as Express takes it: `true`, a number of hops, or addresses and names (`loopback`, ...). */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function createApp({
  db,
  services,
  logger,
  now = systemClock,
  rateLimitPerMinute = DEFAULT_RATE_LIMIT_PER_MINUTE,
  trustProxy,
}: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Only behind a proxy that writes X-Forwarded-For: otherwise a client could name any address it likes.
  if (trustProxy) app.set('trust proxy', trustProxySetting(trustProxy));
  const callerOf = callerMemo(services, now);
  app.use(requestLogger(logger));
  // Security headers on every answer (helmet's defaults: nosniff, a same-origin content policy that the
  // self-hosted docs page works under, no referrer), framing refused outright, and no answer cached:
  // answers carry patient data, and a shared computer's browser or a proxy must not keep them.
  app.use(
    helmet({
      frameguard: { action: 'deny' },
      // No upgrade-insecure-requests: the docs page is served over plain HTTP on loopback, where the
      // browser would otherwise ask for its own scripts over HTTPS and show nothing.
      contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/healthz', async (_req, res) => {
    if (await databaseAnswers(db)) res.json({ status: 'ok', engine: db.engine });
    else res.status(503).json({ status: 'unavailable' });
  });

  const document = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'patients API' }));

  // Everything below needs credentials: the abuse limits come first (limits.ts).
  app.use(abuseLimits(callerOf, rateLimitPerMinute));

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: contextFactory(services, now, callerOf),
      maxBodySize: MAX_BODY_BYTES,
      responseMeta: ({ errors }) =>
        errors.some((e) => e.code === 'SERVICE_UNAVAILABLE')
          ? { headers: new Headers({ 'Retry-After': String(RETRY_AFTER_SECONDS) }) }
          : {},
      onError: ({ error, req }) => {
        if (error.cause && (req as Request).res) noteUpstreamCause((req as Request).res!, error.cause);
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: safeError(error.cause ?? error) }, 'tRPC internal error');
      },
    }),
  );

  app.use(
    express.json({ limit: MAX_BODY_BYTES, strict: false, type: ['application/json', 'application/*+json'] }),
  );
  app.use(restRoutes(services, now, callerOf));

  app.use((_req, res) => {
    res.status(404).json(failure('Not found', ['No such endpoint']));
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed')
      return sendError(res, validationError(['The request body is not valid JSON'], 'Malformed JSON'));
    if (e.type === 'entity.too.large')
      return sendError(res, tooLargeError('The request body is larger than 1 MiB'));
    const refusal = asServiceError(err);
    if (!refusal && e.status && e.status >= 400 && e.status < 500) {
      return sendError(res, validationError(['The request could not be read'], 'Bad request'));
    }
    if (!refusal) logger.error({ err: safeError(err) }, 'unexpected error');
    sendError(res, refusal ?? err);
  });

  return app;
}
