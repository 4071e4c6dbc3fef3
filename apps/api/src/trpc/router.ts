// The tRPC contract of SPEC 8, made from the operations table (operations.ts): one procedure per entry,
// named `group.name`, with the entry's core schemas as input and output.
import { type Operations, operations } from '../operations';
import { router } from './trpc';

type ProcedureOf<E> = E extends { procedure: infer P } ? P : never;
type Procedures = { [G in keyof Operations]: { [K in keyof Operations[G]]: ProcedureOf<Operations[G][K]> } };

const procedures = Object.fromEntries(
  Object.entries(operations).map(([group, ops]) => [
    group,
    Object.fromEntries(Object.entries(ops).map(([name, op]) => [name, op.procedure])),
  ]),
) as Procedures;

export const appRouter = router(procedures);

export type AppRouter = typeof appRouter;
