// The API's router type as a client needs it: the procedures and the error shape of the server's router
// (generated into contract.d.ts by scripts/build.mjs), under a root whose context is opaque. A client never
// sees the server's context, and leaving it out keeps the published types free of the server's modules.
import type { TRPCBuiltRouter } from '@trpc/server';
import type { errorShape, procedures } from './contract.js';

export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: typeof errorShape; transformer: false },
  typeof procedures
>;
