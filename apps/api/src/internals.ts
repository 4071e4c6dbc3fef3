// The service's building blocks, for the project's own tools (benchmarks, quality evaluation) that drive
// the real code paths without HTTP, and tests of other workspaces (the bot's) that put a health record system
// behind a switch. Not a stable API for other applications: use REST or tRPC.

export { setConnector } from './cli/connectorCommands';
export {
  ConnectorRefused,
  ConnectorUnreachable,
  type HealthRecordConnector,
} from './connectors/connector';
export { referenceConnector } from './connectors/reference';
export { connectorRegistry } from './connectors/registry';
export { type Database, migrate, openDatabase } from './db/connect';
export { institutionsRepo } from './db/repositories/institutions';
export { type PatientWrite, patientsRepo } from './db/repositories/patients';
export { practiceRepo } from './db/repositories/practice';
export { buildService, type RunningServer, startServer } from './server';
export { syncInstitution } from './sync/runSync';
