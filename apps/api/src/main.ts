// `npm start`: migrate, seed the demo institution on a fresh database, and serve (SPEC 9).
import { ConfigError, readConfig } from './config';
import { DatabaseTooNewError } from './db/connect';
import { checkDatabase, DatabaseUnusableError } from './db/preflight';
import { institutionsRepo } from './db/repositories/institutions';
import { safeError } from './logging';
import { seedDemo } from './seed/demo';
import { startServer } from './server';

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  // One line a person can act on, never a stack trace (SPEC 9).
  console.error(`patients: cannot start: ${err.message}`);
  process.exit(1);
}
/** One line for a start that cannot go on, never a stack trace (SPEC 9). */
function cannotStart(message: string): never {
  console.error(`patients: cannot start: ${message}`);
  process.exit(1);
}

// A stop asked for while starting (migrations, the demo seed) ends the start: nothing is served yet. Without a
// handler, node as a container's PID 1 would ignore the signal until the server is up.
const stopWhileStarting = () => process.exit(0);
process.once('SIGINT', stopWhileStarting);
process.once('SIGTERM', stopWhileStarting);

// The database is the one setting whose mistakes only show when used: tried now, before anything else.
await checkDatabase(config.databaseUrl).catch((err) => {
  if (err instanceof DatabaseUnusableError) cannotStart(err.message);
  throw err;
});

const server = await startServer({
  databaseUrl: config.databaseUrl,
  port: config.port,
  host: config.host,
  tokenSecret: config.tokenSecret,
  logLevel: config.logLevel,
  syncTickMs: config.syncTickSeconds * 1000,
  syncLeaseSeconds: config.syncLeaseSeconds,
  connectorSecretsKey: config.connectorSecretsKey,
  rateLimitPerMinute: config.rateLimitPerMinute,
  trustProxy: config.trustProxy,
  webhookAllowedHttpHosts: config.webhookAllowedHttpHosts,
}).catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE')
    cannotStart(
      `PORT ${config.port} is in use on ${config.host} (another server runs there); set PORT to a free port`,
    );
  if (err.code === 'EACCES')
    cannotStart(`PORT ${config.port} needs privileges this user lacks; set PORT above 1023`);
  if (err.code === 'EADDRNOTAVAIL') cannotStart(`HOST ${config.host} is not an address of this machine`);
  if (err instanceof DatabaseTooNewError) cannotStart(err.message);
  throw err;
});
server.logger.info({ url: server.url, engine: server.db.engine }, 'patients API listening');

if (config.seedDemo && (await institutionsRepo(server.db.knex).count()) === 0) {
  const demo = await seedDemo(server.db);
  const curl = `curl -s -H 'Authorization: Bearer ${demo.apiKey}' '${server.url}/patients?subdomain=demo&location_id=${demo.locationId}&name=jon%20smith'`;
  // Printed to the terminal on purpose: this is how a newcomer gets a key. Demo data only.
  console.log(
    [
      '',
      `Demo institution "demo" created (location_id ${demo.locationId}, providers ${demo.providerIds.join(', ')}).`,
      `Demo API key (shown once): ${demo.apiKey}`,
      'Try it:',
      `  ${curl}`,
      `Docs: ${server.url}/docs`,
      '',
    ].join('\n'),
  );
}

/** SPEC 9: requests in flight get this long to finish when the server is told to stop. */
const STOP_GRACE_MS = 10_000;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.off(signal, stopWhileStarting);
  process.once(signal, () => {
    server.logger.info({ signal }, 'patients API stopping: finishing the requests in flight');
    server
      .close(STOP_GRACE_MS)
      .then(
        () => server.logger.info('patients API stopped'),
        (err) => server.logger.error({ err: safeError(err) }, 'patients API stopped with an error'),
      )
      // The log is written asynchronously: out with it before the process ends.
      .finally(() => server.logger.flush(() => process.exit(0)));
  });
}
