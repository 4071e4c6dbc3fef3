// What other workspaces use of the API: the router type for typed clients, and the server for tests.
export type { AppRouter } from './trpc/router';
export { startServer, type RunningServer, type ServerOptions } from './server';
export { seedDemo, type DemoTenant } from './seed/demo';
