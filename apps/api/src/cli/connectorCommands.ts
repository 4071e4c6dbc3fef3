// Admin commands for the health record system: `set-connector`, `show-connector` and `sync`. Keys are taken
// from flags, sealed at once (connectors/secrets) and never printed back: the output says only whether
// keys are held.

import type { Config } from '../config';
import { OpenDentalConfigError } from '../connectors/opendental/kind';
import { connectorKind, connectorRegistry, syncIntervalMinutes } from '../connectors/registry';
import { open, SecretsKeyError, seal, secretsKey } from '../connectors/secrets';
import type { Database } from '../db/connect';
import { connectorsRepo } from '../db/repositories/connectors';
import { practiceRepo } from '../db/repositories/practice';
import { syncRepo } from '../db/repositories/sync';
import { syncInstitution } from '../sync/runSync';

export class ConnectorUsageError extends Error {}

export const CONNECTOR_USAGE = `set-connector      --subdomain S --type reference|opendental [--sync-interval-minutes N (0 = off; default 5)]
                     opendental: --base-url URL --developer-key K --customer-key K --map LOCATION_ID:OPERATORY[:CLINIC] (repeatable)
                     [--provider PROVIDER_ID:THEIR_PROVIDER_ID (repeatable: who our providers are there)]
                     (keys are sealed with CONNECTOR_SECRETS_KEY; flags left out keep their current values)
  show-connector     --subdomain S
  sync               --subdomain S [--full (forget the cursors and read everything again)]`;

type Flags = Record<string, string | string[] | boolean | undefined>;

/** The settings (config.ts) these commands use. */
export type ConnectorSettings = Pick<Config, 'connectorSecretsKey' | 'syncLeaseSeconds'>;

export async function setConnector(
  db: Database,
  institutionId: number,
  flags: Flags,
  config: Pick<ConnectorSettings, 'connectorSecretsKey'>,
) {
  const type = typeof flags.type === 'string' ? flags.type : undefined;
  const repo = connectorsRepo(db.knex);
  const current = await repo.get(institutionId);
  const chosen = type ?? current?.type;
  if (!chosen) throw new ConnectorUsageError('--type is required (reference or opendental)');
  const kind = connectorKind(chosen);
  if (!kind) throw new ConnectorUsageError(`--type must be reference or opendental, not "${chosen}"`);

  const key = () => secretsKey(config.connectorSecretsKey);
  const sameType = current?.type === chosen;
  let currentSecrets: Record<string, unknown> | null = null;
  try {
    if (sameType && current?.sealed_secrets) {
      currentSecrets = open(institutionId, current.sealed_secrets, key()) as Record<string, unknown>;
    }
    const { settings, secrets } = await kind.configure(db, institutionId, flags, {
      settings: sameType ? (current?.settings ?? {}) : {},
      secrets: currentSecrets,
    });
    const interval = flags['sync-interval-minutes'];
    if (interval !== undefined) {
      const n = Number(interval);
      if (!Number.isInteger(n) || n < 0) {
        throw new ConnectorUsageError('--sync-interval-minutes must be a whole number of minutes (0 = off)');
      }
      settings.sync_interval_minutes = n;
    } else if (sameType && current?.settings.sync_interval_minutes !== undefined) {
      settings.sync_interval_minutes = current.settings.sync_interval_minutes;
    }
    const sealed = secrets ? seal(institutionId, secrets, key()) : null;
    const providers = await mapProviders(db, institutionId, flags.provider);
    await repo.save(institutionId, { type: chosen, settings, sealed_secrets: sealed });
    // Another system (or another office of it) has other ids and another clock: its cursors mean nothing.
    const sameSystem = sameType && current?.settings.base_url === settings.base_url;
    if (!sameSystem) await syncRepo(db.knex).resetStreams(institutionId);
    return { ...describe(chosen, settings, sealed !== null), ...(providers.length ? { providers } : {}) };
  } catch (err) {
    if (err instanceof SecretsKeyError || err instanceof OpenDentalConfigError) {
      throw new ConnectorUsageError(err.message);
    }
    throw err;
  }
}

/** `--provider 1:12`: our provider 1 is provider 12 in the health record system (providers.foreign_id). */
async function mapProviders(db: Database, institutionId: number, flag: Flags[string]) {
  const pairs = flag === undefined ? [] : ([] as string[]).concat(flag as string | string[]);
  const out: Array<{ provider_id: number; foreign_id: string }> = [];
  for (const pair of pairs) {
    const m = /^\s*(\d+)\s*:\s*([^\s:]{1,64})\s*$/.exec(pair);
    if (!m) throw new ConnectorUsageError(`--provider "${pair}" must be PROVIDER_ID:THEIR_PROVIDER_ID`);
    out.push({ provider_id: Number(m[1]), foreign_id: m[2]! });
  }
  // Check them all before changing any, so a typo changes nothing.
  const practice = practiceRepo(db.knex);
  for (const { provider_id, foreign_id } of out) {
    if (!(await practice.provider(institutionId, provider_id))) {
      throw new ConnectorUsageError(`--provider: ${provider_id} is not a provider of this institution`);
    }
    const holder = await practice.providerIdByForeignId(institutionId, foreign_id);
    if (holder !== undefined && holder !== provider_id) {
      throw new ConnectorUsageError(`--provider: provider ${holder} already is ${foreign_id} there`);
    }
  }
  for (const { provider_id, foreign_id } of out) {
    await practice.setProviderForeignId(institutionId, provider_id, foreign_id);
  }
  return out;
}

function describe(type: string, settings: Record<string, unknown>, keys: boolean) {
  return {
    type,
    data_source: connectorKind(type)?.dataSource ?? type,
    ...settings,
    sync_interval_minutes: syncIntervalMinutes(settings),
    keys: keys ? 'sealed' : 'none',
  };
}

export async function showConnector(db: Database, institutionId: number) {
  const row = await connectorsRepo(db.knex).get(institutionId);
  const run = await syncRepo(db.knex).run(institutionId);
  return {
    ...(row
      ? describe(row.type, row.settings, row.sealed_secrets !== null)
      : describe('reference', {}, false)),
    last_sync_started_at: run?.last_started_at ?? null,
    last_sync_finished_at: run?.last_finished_at ?? null,
  };
}

export async function runSyncCommand(
  db: Database,
  institutionId: number,
  flags: Flags,
  config: ConnectorSettings,
) {
  if (flags.full) await syncRepo(db.knex).resetStreams(institutionId);
  const summary = await syncInstitution(
    {
      db,
      connectorFor: connectorRegistry(db, config.connectorSecretsKey),
      syncLeaseSeconds: config.syncLeaseSeconds,
    },
    institutionId,
  );
  return summary.ran ? summary : { ...summary, reason: 'another sync of this institution is running' };
}
