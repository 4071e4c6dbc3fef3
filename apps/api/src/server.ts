// Builds the whole service from settings and listens: used by `npm start` and by the integration tests,
// which start the real thing on a random loopback port.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failure } from '@patients/core';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app';
import type { HealthRecordConnector } from './connectors/connector';
import { connectorRegistry } from './connectors/registry';
import { type Database, migrate, openDatabase } from './db/connect';
import { systemClock } from './db/repositories/time';
import { createLogger, safeError } from './logging';
import { createServices } from './services';
import { auditLog } from './services/audit';
import { authService, loadTokenSecret, tokenSigner } from './services/auth';
import { startSyncScheduler } from './sync/scheduler';
import { targetPolicy } from './webhooks/targets';
import { startWebhookWorker } from './webhooks/worker';

export interface ServerOptions {
  databaseUrl: string;
  port?: number;
  host?: string;
  tokenSecret?: string | undefined;
  logLevel?: string;
  logDestination?: DestinationStream;
  /** The connector of an institution; the embedded reference system by default. */
  connectorFor?: (institutionId: number) => Promise<HealthRecordConnector>;
  now?: () => Date;
  /** How often the sync schedule looks for institutions due a sync; off when not given (tests). */
  syncTickMs?: number;
  /** SYNC_LEASE_SECONDS, CONNECTOR_SECRETS_KEY, RATE_LIMIT_PER_MINUTE and TRUST_PROXY (config.ts). */
  syncLeaseSeconds?: number;
  connectorSecretsKey?: string | undefined;
  rateLimitPerMinute?: number;
  trustProxy?: string | undefined;
  /** WEBHOOK_ALLOWED_HTTP_HOSTS (config.ts). */
  webhookAllowedHttpHosts?: string[];
  /** Tests shorten the webhook retry schedule and poll more often; the server uses SPEC 11's. */
  webhookRetryDelaysMs?: number[];
  webhookPollMs?: number;
}

export interface RunningServer {
  url: string;
  db: Database;
  logger: Logger;
  close(graceMs?: number): Promise<void>;
}

export async function buildService(options: ServerOptions) {
  // Start-up work may wait for another process's write lock like any tool (nothing is served yet); the
  // server's own connections then never block on one (connect.ts, writes.ts).
  const setup = openDatabase(options.databaseUrl);
  let secret: string;
  try {
    await migrate(setup);
    secret = await loadTokenSecret(setup.knex, options.tokenSecret);
  } finally {
    await setup.close();
  }
  const db = openDatabase(options.databaseUrl, { role: 'server' });
  const logger = createLogger(options.logLevel ?? 'info', options.logDestination);
  const now = options.now ?? systemClock;
  const tokens = tokenSigner(secret);
  const deps = {
    db,
    now,
    connectorFor: options.connectorFor ?? connectorRegistry(db, options.connectorSecretsKey),
    webhookTargets: targetPolicy(options.webhookAllowedHttpHosts ?? []),
  };
  // Entries that could not be written are retried; the log says so, by error type only (logging.ts).
  const audit = auditLog(db, now, (err) =>
    logger.warn({ err: safeError(err) }, 'audit entries not written yet; retrying'),
  );
  const services = createServices(deps, authService(db, tokens), audit);
  return {
    db,
    logger,
    deps,
    services,
    app: createApp({
      db,
      services,
      logger,
      now,
      rateLimitPerMinute: options.rateLimitPerMinute,
      trustProxy: options.trustProxy,
    }),
  };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { db, logger, app, deps, services } = await buildService(options);
  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a failed listen (a port in use) to this callback as an error, not only to 'error'.
    const s = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
    s.on('error', reject);
  });
  // Requests Node's HTTP parser refuses before Express sees them (a URL or headers over 16 KiB, a malformed
  // request line) still get the envelope (SPEC 2), not Node's bare answer.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      failure(tooLarge ? 'Request too large' : 'Bad request', [
        tooLarge ? 'The request line or headers are larger than 16 KiB' : 'The request could not be read',
      ]),
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
  const { port, address } = server.address() as AddressInfo;
  const webhooks = startWebhookWorker({
    db,
    targets: deps.webhookTargets,
    logger,
    now: deps.now,
    retryDelaysMs: options.webhookRetryDelaysMs,
    pollMs: options.webhookPollMs,
  });
  const scheduler = options.syncTickMs
    ? startSyncScheduler({ ...deps, syncLeaseSeconds: options.syncLeaseSeconds }, logger, options.syncTickMs)
    : undefined;
  return {
    url: `http://${address}:${port}`,
    db,
    logger,
    /**
     * Stops: no new connections; idle ones close now; requests in flight get `graceMs` to finish (a body still
     * arriving included, SPEC 9), then whatever is left is cut; then the workers, the audit queue, the database.
     */
    async close(graceMs = 0) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (graceMs > 0) await Promise.race([closed, new Promise((r) => setTimeout(r, graceMs).unref())]);
      server.closeAllConnections();
      await closed;
      await scheduler?.stop();
      await webhooks.stop();
      // The audit entries of the last answers are written before the database closes (a few seconds at most:
      // a database that refuses writes must not hold the stop forever).
      await Promise.race([services.audit.drained(), new Promise((r) => setTimeout(r, 5000).unref())]);
      await db.close();
    },
  };
}
