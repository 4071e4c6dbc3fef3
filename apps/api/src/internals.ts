// The service's building blocks, for the project's own tools (benchmarks, quality evaluation) that drive
// the real code paths without HTTP. Not a stable API for other applications: use REST or tRPC.

export { setConnector } from './cli/connectorCommands';
export { connectorRegistry } from './connectors/registry';
export { type Database, migrate, openDatabase } from './db/connect';
export { institutionsRepo } from './db/repositories/institutions';
export { type PatientWrite, patientsRepo } from './db/repositories/patients';
export { practiceRepo } from './db/repositories/practice';
export { buildService, type RunningServer, startServer } from './server';
export { syncInstitution } from './sync/runSync';
