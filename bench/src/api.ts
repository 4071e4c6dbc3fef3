// The parts of @patients/api the instruments drive. The package exports only the server and the router
// type, so the service internals are imported by path here, in one place.
export { type Database, migrate, openDatabase } from '../../apps/api/src/db/connect';
export { institutionsRepo } from '../../apps/api/src/db/repositories/institutions';
export { type PatientWrite, patientsRepo } from '../../apps/api/src/db/repositories/patients';
export { practiceRepo } from '../../apps/api/src/db/repositories/practice';
export { ApiError, DUPLICATE_MESSAGE } from '../../apps/api/src/errors';
export { buildService, type RunningServer, startServer } from '../../apps/api/src/server';
