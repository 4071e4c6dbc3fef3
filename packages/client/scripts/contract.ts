// The source the build turns into src/contract.d.ts: never run, only compiled to declarations.
//
// The API's AppRouter type is `typeof appRouter`, whose declaration names the API's own modules (its tRPC
// context holds the services, the database, the logger ...): a client outside the monorepo could not resolve
// them. A value whose type is *inferred* has that type written out in full in its declaration instead: every
// procedure with its input and output as plain object types, and the error shape, referring to nothing but
// @trpc/server. scripts/build.mjs checks that the result names no workspace package and has no `any`.
import type { AppRouter } from '@patients/api/router';

declare const server: AppRouter;

/** Every procedure, by group and name, as the router declares it (`patients.search`: a query, its input and output). */
export const procedures = server._def.record;

/** The error shape the server's error formatter answers with (`data.errorCode`, `data.errors`, `data.details`). */
export const errorShape = server._def._config.$types.errorShape;
