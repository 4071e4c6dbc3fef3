// What every service is built from: the database and the health record connector of each institution.
import type { HealthRecordConnector } from '../connectors/connector';
import type { Database } from '../db/connect';
import type { TargetPolicy } from '../webhooks/targets';

export interface ServiceDeps {
  db: Database;
  /** The connector of an institution (the embedded reference system unless configured otherwise). */
  connectorFor(institutionId: number): Promise<HealthRecordConnector>;
  /** The clock, so tests can speak of "now" without waiting. */
  now(): Date;
  /** Where webhooks may be sent (WEBHOOK_ALLOWED_HTTP_HOSTS); loopback and public https only by default. */
  webhookTargets?: TargetPolicy;
}
