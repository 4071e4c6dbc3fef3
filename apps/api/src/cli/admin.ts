// The admin command line (SPEC 9): manage institutions, locations, providers, API keys and settings.
// Each command prints exactly one compact JSON line on stdout; logs and errors go to stderr.
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demographicDefaults, issueMessages, subdomain as subdomainSchema } from '@patients/core';
import { type Config, ConfigError, readConfig } from '../config';
import { BackupError, backupSqlite } from '../db/backup';
import { type Database, DatabaseTooNewError, migrate, openDatabase, sqlitePath } from '../db/connect';
import { checkDatabase, DatabaseUnusableError, withoutPassword } from '../db/preflight';
import { type AuditFilter, auditRepo } from '../db/repositories/audit';
import { institutionsRepo } from '../db/repositories/institutions';
import { practiceRepo } from '../db/repositories/practice';
import { webhooksRepo } from '../db/repositories/webhooks';
import { safeError } from '../logging';
import {
  CONNECTOR_USAGE,
  ConnectorUsageError,
  runSyncCommand,
  setConnector,
  showConnector,
} from './connectorCommands';
import { IMPORT_USAGE, ImportUsageError, runImport } from './importCommand';

class UsageError extends Error {}

const USAGE = `usage: npm run -s admin -- <command> [options]
  create-institution --subdomain S --name N
  create-location    --subdomain S --name N [--time-zone America/New_York]
  create-provider    --subdomain S --location-id L[,L2] --name N
  create-api-key     --subdomain S [--label text]
  list-api-keys      --subdomain S        (one line per key: id, prefix, label, created_at, last_used_at, revoked_at)
  revoke-api-key     --subdomain S --id N (the key and every token issued from it get 401 from then on)
  audit-log          --subdomain S [--patient-id N] [--since ISO-time]   (oldest first, one line per entry)
  list-webhooks      --subdomain S        (one line per endpoint: target, events, deliveries pending and failed)
  audit-log          --unauthenticated [--since ISO-time]   (calls whose credentials were refused)
  set-defaults       --subdomain S [--email E] [--phone-number P] [--date-of-birth YYYY-MM-DD] [--gender Male|Female|Other] [--clear]
  show-settings      --subdomain S
  backup             --to FILE            (SQLite: a consistent copy while the server runs; PostgreSQL: use pg_dump)
  ${CONNECTOR_USAGE}
  ${IMPORT_USAGE}
                     columns: see the README (patients.csv or .jsonl; rejected rows go to FILE.rejects.csv)`;

type Options = Record<string, string | string[] | boolean | undefined>;

/**
 * A file named on the command line, from the folder the person typed the command in: `npm run admin` runs
 * in apps/api, and npm says where it was started in INIT_CWD.
 */
function fromUserFolder(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

function required(o: Options, name: string): string {
  const v = o[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v.trim();
}

async function institutionOf(db: Database, o: Options) {
  const sub = required(o, 'subdomain');
  const inst = await institutionsRepo(db.knex).bySubdomain(sub);
  if (!inst) throw new UsageError(`no institution with subdomain "${sub}"`);
  return inst;
}

/** --patient-id and --since, checked: a mistyped filter must not print nothing and look like a clean log. */
function auditFilterOf(o: Options): AuditFilter {
  const filter: AuditFilter = {};
  if (o['patient-id'] !== undefined) {
    const raw = String(o['patient-id']);
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1)
      throw new UsageError(`--patient-id ${raw}: not a patient id`);
    if (o.unauthenticated) throw new UsageError('--patient-id needs --subdomain');
    filter.patientId = Number(raw);
  }
  if (o.since !== undefined) {
    const raw = String(o.since);
    const at = /^\d{4}-\d{2}-\d{2}/.test(raw) ? new Date(raw) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime()))
      throw new UsageError(`--since ${raw}: not a time (e.g. 2026-12-01 or 2026-12-01T09:00:00Z)`);
    filter.since = at.toISOString();
  }
  return filter;
}

/** The entries, a page at a time (the log can be far larger than memory), as SPEC 3 prints them. */
async function* auditEntries(db: Database, institutionId: number | null, filter: AuditFilter) {
  let after: { at: string; id: number } | undefined;
  for (;;) {
    const page = await auditRepo(db.knex).entries(institutionId, filter, after);
    for (const e of page) {
      yield {
        at: e.at,
        actor: { api_key_id: e.api_key_id, acting_user: e.acting_user },
        action: e.action,
        patient_ids: e.patient_ids,
        status: e.status,
        request_id: e.request_id,
      };
    }
    if (!page.length) return;
    const last = page[page.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

const commands: Record<
  string,
  (
    db: Database,
    o: Options,
    positionals: string[],
    config: Config,
  ) => Promise<
    Record<string, unknown> | Array<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>
  >
> = {
  async 'create-institution'(db, o) {
    const sub = subdomainSchema.safeParse(required(o, 'subdomain'));
    if (!sub.success) throw new UsageError(`--subdomain ${issueMessages(sub.error).join('; ')}`);
    if (await institutionsRepo(db.knex).bySubdomain(sub.data))
      throw new UsageError(`subdomain "${sub.data}" is taken`);
    const inst = await institutionsRepo(db.knex).create(sub.data, required(o, 'name'));
    return { institution_id: inst.id, subdomain: inst.subdomain, name: inst.name };
  },
  async 'create-location'(db, o) {
    const inst = await institutionOf(db, o);
    const tz = typeof o['time-zone'] === 'string' ? o['time-zone'] : undefined;
    if (tz) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
      } catch {
        throw new UsageError(`--time-zone "${tz}" is not an IANA time zone`);
      }
    }
    const loc = await practiceRepo(db.knex).createLocation(inst.id, required(o, 'name'), tz);
    return { location_id: loc.id, institution_id: inst.id, name: loc.name, time_zone: loc.time_zone };
  },
  async 'create-provider'(db, o) {
    const inst = await institutionOf(db, o);
    const ids = required(o, 'location-id')
      .split(',')
      .map((s) => Number(s.trim()));
    for (const id of ids) {
      if (!Number.isInteger(id) || !(await practiceRepo(db.knex).location(inst.id, id))) {
        throw new UsageError(`--location-id ${id} is not a location of "${inst.subdomain}"`);
      }
    }
    const p = await practiceRepo(db.knex).createProvider(inst.id, required(o, 'name'), ids);
    return { provider_id: p.id, institution_id: inst.id, name: p.name, location_ids: p.location_ids };
  },
  async 'list-api-keys'(db, o) {
    const inst = await institutionOf(db, o);
    return (await institutionsRepo(db.knex).apiKeys(inst.id)).map((k) => ({ ...k }));
  },
  async 'revoke-api-key'(db, o) {
    const inst = await institutionOf(db, o);
    const raw = required(o, 'id');
    const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(id) || !(await institutionsRepo(db.knex).revokeApiKey(inst.id, id))) {
      throw new UsageError(
        `--id ${raw}: "${inst.subdomain}" has no API key with that id (see list-api-keys)`,
      );
    }
    const key = (await institutionsRepo(db.knex).apiKeys(inst.id)).find((k) => k.id === id)!;
    return { ...key, revoked: true };
  },
  async 'list-webhooks'(db, o) {
    const inst = await institutionOf(db, o);
    const repo = webhooksRepo(db.knex);
    const endpoints = await repo.endpoints(inst.id);
    const subs = await repo.subscriptions(endpoints.map((e) => e.id));
    const counts = await repo.deliveryCounts(endpoints.map((e) => e.id));
    // Never the secret: it was shown once, when the endpoint was made.
    return endpoints.map((e) => ({
      id: e.id,
      target_url: e.target_url,
      active: e.active,
      events: subs.filter((s) => s.endpoint_id === e.id).map((s) => s.event),
      pending: counts.get(e.id)?.pending ?? 0,
      delivered: counts.get(e.id)?.delivered ?? 0,
      failed: counts.get(e.id)?.failed ?? 0,
      created_at: e.created_at,
    }));
  },
  async 'audit-log'(db, o) {
    if (o.unauthenticated && o.subdomain)
      throw new UsageError('give --subdomain or --unauthenticated, not both');
    const filter = auditFilterOf(o);
    const institutionId = o.unauthenticated ? null : (await institutionOf(db, o)).id;
    return auditEntries(db, institutionId, filter);
  },
  async 'create-api-key'(db, o) {
    const inst = await institutionOf(db, o);
    const label = typeof o.label === 'string' ? o.label : undefined;
    const key = await institutionsRepo(db.knex).createApiKey(inst.id, label);
    const { id } = (await institutionsRepo(db.knex).activeKeyByValue(key))!;
    // Shown once: only its digest and first characters are kept.
    return { api_key: key, id, institution_id: inst.id, subdomain: inst.subdomain };
  },
  async 'set-defaults'(db, o) {
    const inst = await institutionOf(db, o);
    const repo = institutionsRepo(db.knex);
    const settings = await repo.settings(inst.id);
    const given = Object.fromEntries(
      (
        [
          ['email', 'email'],
          ['phone_number', 'phone-number'],
          ['date_of_birth', 'date-of-birth'],
          ['gender', 'gender'],
        ] as const
      )
        .filter(([, flag]) => typeof o[flag] === 'string')
        .map(([field, flag]) => [field, o[flag]]),
    );
    const merged = o.clear ? given : { ...settings.demographic_defaults, ...given };
    const parsed = demographicDefaults.safeParse(merged);
    if (!parsed.success) throw new UsageError(issueMessages(parsed.error).join('; '));
    await repo.saveSettings(inst.id, { ...settings, demographic_defaults: parsed.data });
    return { institution_id: inst.id, demographic_defaults: parsed.data };
  },
  async import(db, o, files) {
    try {
      // Only --map and --provider are repeatable, and import has neither.
      const flags = o as Record<string, string | boolean | undefined>;
      if (typeof flags.rejects === 'string') flags.rejects = fromUserFolder(flags.rejects);
      return await runImport(db, flags, files.map(fromUserFolder));
    } catch (err) {
      throw err instanceof ImportUsageError ? new UsageError(err.message) : err;
    }
  },
  async 'set-connector'(db, o, _positionals, config) {
    const inst = await institutionOf(db, o);
    try {
      return { institution_id: inst.id, ...(await setConnector(db, inst.id, o, config)) };
    } catch (err) {
      throw err instanceof ConnectorUsageError ? new UsageError(err.message) : err;
    }
  },
  async 'show-connector'(db, o) {
    const inst = await institutionOf(db, o);
    return { institution_id: inst.id, ...(await showConnector(db, inst.id)) };
  },
  async sync(db, o, _positionals, config) {
    const inst = await institutionOf(db, o);
    return { subdomain: inst.subdomain, ...(await runSyncCommand(db, inst.id, o, config)) };
  },
  async backup(db, o) {
    if (db.engine === 'postgres')
      throw new UsageError(
        `backup copies SQLite databases; for PostgreSQL use pg_dump: pg_dump --format=custom --file=patients.dump '${withoutPassword(db.url)}' (restore with pg_restore)`,
      );
    try {
      return { ...(await backupSqlite(sqlitePath(db.url), fromUserFolder(required(o, 'to')))) };
    } catch (err) {
      throw err instanceof BackupError ? new UsageError(err.message) : err;
    }
  },
  async 'show-settings'(db, o) {
    const inst = await institutionOf(db, o);
    return {
      institution_id: inst.id,
      subdomain: inst.subdomain,
      ...(await institutionsRepo(db.knex).settings(inst.id)),
    };
  },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? commands[command] : undefined;
  if (!command || command === 'help' || command === '--help') {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (!run) {
    process.stderr.write(
      `admin: unknown command "${command}"; the commands are ${Object.keys(commands).join(', ')}\n`,
    );
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: command === 'import',
    options: {
      subdomain: { type: 'string' },
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      'location-id': { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
      email: { type: 'string' },
      'phone-number': { type: 'string' },
      'date-of-birth': { type: 'string' },
      gender: { type: 'string' },
      clear: { type: 'boolean' },
      format: { type: 'string' },
      rejects: { type: 'string' },
      'batch-size': { type: 'string' },
      'foreign-id-type': { type: 'string' },
      type: { type: 'string' },
      'base-url': { type: 'string' },
      'developer-key': { type: 'string' },
      'customer-key': { type: 'string' },
      map: { type: 'string', multiple: true },
      provider: { type: 'string', multiple: true },
      'sync-interval-minutes': { type: 'string' },
      full: { type: 'boolean' },
      'patient-id': { type: 'string' },
      since: { type: 'string' },
      unauthenticated: { type: 'boolean' },
      to: { type: 'string' },
    },
  });
  const config = readConfig();
  await checkDatabase(config.databaseUrl);
  const db = openDatabase(config.databaseUrl);
  try {
    await migrate(db);
    const out = await run(db, values, positionals, config);
    if (Symbol.asyncIterator in out) {
      // A log can be long: wait for a slow reader (a pager, a pipe) rather than hold it all in memory.
      for await (const line of out) {
        if (!process.stdout.write(`${JSON.stringify(line)}\n`)) await once(process.stdout, 'drain');
      }
      return 0;
    }
    // One compact JSON line per result: one for most commands, one per key for list-api-keys.
    for (const line of Array.isArray(out) ? out : [out]) process.stdout.write(`${JSON.stringify(line)}\n`);
    if (Array.isArray(out)) return 0;
    // An import stopped by a signal printed its summary; its exit status says it did not finish. A sync
    // that met errors printed them; its exit status says so to cron and scripts.
    if (out.interrupted === true) return 130;
    if (typeof out.errors === 'number' && out.errors > 0) {
      // The summary on stdout has every problem; stderr gets the one line a person or cron reads first.
      const first = (out.problems as Array<{ reason?: string }> | undefined)?.[0]?.reason;
      process.stderr.write(`admin: ${command} met ${out.errors} error(s)${first ? `: ${first}` : ''}\n`);
      return 1;
    }
    return 0;
  } finally {
    await db.knex.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // A mistyped option is the user's mistake, told in one line like any usage error.
    const usage =
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof DatabaseTooNewError ||
      err instanceof DatabaseUnusableError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_') === true;
    // A fault of ours is named by its kind only: its message may quote a statement and its values.
    const fault = safeError(err);
    process.stderr.write(
      `admin: ${usage ? err.message : `unexpected error (${fault.type}${fault.code ? ` ${fault.code}` : ''}); nothing was printed`}\n`,
    );
    process.exitCode = 1;
  },
);
