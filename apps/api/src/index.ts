// What other workspaces use of the API: the router type for typed clients, and the server for tests.

export { type DemoTenant, seedDemo } from './seed/demo';
export { type RunningServer, type ServerOptions, startServer } from './server';
export type { AppRouter } from './trpc/router';
