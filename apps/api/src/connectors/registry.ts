// Which connector serves an institution: its configured one (institution_connectors), or the embedded
// reference system when none is configured. A connector that cannot be built (keys sealed under another
// CONNECTOR_SECRETS_KEY, settings gone bad) is not an error here: search and create keep working, and
// every call that needs the health record system fails as a configuration problem (SPEC 5's 502).
import type { Database } from '../db/connect';
import { connectorsRepo } from '../db/repositories/connectors';
import { type HealthRecordConnector, unusableConnector } from './connector';
import { openDentalKind } from './opendental/kind';
import { referenceConnector } from './reference';
import { secretsKey } from './secrets';

/** Minutes between scheduled syncs when an institution has not chosen; 0 turns scheduled sync off. */
export const DEFAULT_SYNC_INTERVAL_MINUTES = 5;

export function syncIntervalMinutes(settings: Record<string, unknown> | undefined): number {
  const v = settings?.sync_interval_minutes;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : DEFAULT_SYNC_INTERVAL_MINUTES;
}

/** How one type of connector is built from its stored row, and configured from the admin CLI's flags. */
export interface ConnectorKind {
  dataSource: string;
  build(
    db: Database,
    institutionId: number,
    row: { settings: Record<string, unknown>; sealed_secrets: string | null },
    /** The key sealed secrets open with (throws SecretsKeyError when it is not set or not valid). */
    secretsKey: () => Buffer,
  ): Promise<HealthRecordConnector>;
  /**
   * The settings (stored as they are) and the secrets (sealed before they are stored) from `set-connector`'s
   * flags, merged over the current ones so a flag left out keeps its value. Throws with a message for people.
   */
  configure(
    db: Database,
    institutionId: number,
    flags: Record<string, string | string[] | boolean | undefined>,
    current: { settings: Record<string, unknown>; secrets: Record<string, unknown> | null },
  ): Promise<{ settings: Record<string, unknown>; secrets: Record<string, unknown> | null }>;
}

const kinds: Record<string, ConnectorKind> = {
  reference: {
    dataSource: referenceConnector.dataSource,
    build: async () => referenceConnector,
    configure: async () => ({ settings: {}, secrets: null }),
  },
  opendental: openDentalKind,
};

export function connectorKind(type: string): ConnectorKind | undefined {
  return Object.hasOwn(kinds, type) ? kinds[type] : undefined;
}

/** `connectorSecretsKey`: the CONNECTOR_SECRETS_KEY setting (config.ts), read only when a key is opened. */
export function connectorRegistry(
  db: Database,
  connectorSecretsKey: string | undefined,
): (institutionId: number) => Promise<HealthRecordConnector> {
  const key = () => secretsKey(connectorSecretsKey);
  return async (institutionId) => {
    const row = await connectorsRepo(db.knex).get(institutionId);
    if (!row) return referenceConnector;
    const kind = connectorKind(row.type);
    if (!kind)
      return unusableConnector(row.type, `the connector is not usable: unknown connector type "${row.type}"`);
    try {
      return await kind.build(db, institutionId, row, key);
    } catch (err) {
      return unusableConnector(kind.dataSource, `the connector is not usable: ${(err as Error).message}`);
    }
  };
}
