// The three faces are made from the operations table, so they must name the same operations: the tRPC
// procedures, the REST routes Express actually serves, and the OpenAPI document's operations.
import { describe, expect, it } from 'vitest';
import { operationList } from './operations';
import { openApiDocument, operationIdOf } from './rest/openapi';
import { restRoutes } from './rest/routes';
import type { Services } from './services';
import { appRouter } from './trpc/router';

const table = operationList();
const expectedNames = table.map((o) => o.name).sort();
const expectedRoutes = table.map((o) => `${o.op.method.toUpperCase()} ${o.op.path}`).sort();

describe('the operations table', () => {
  it('declares each operation once, with its own method and path', () => {
    expect(new Set(expectedNames).size).toBe(table.length);
    expect(new Set(expectedRoutes).size).toBe(table.length);
    expect(table.length).toBeGreaterThanOrEqual(10);
  });

  it('is exactly the tRPC router', () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(expectedNames);
  });

  it('is exactly the REST routes served', () => {
    // Never called: the routes are only listed.
    const router = restRoutes({} as Services, () => new Date());
    const served = router.stack.flatMap((layer) => {
      const route = layer.route as { path: string; methods?: Record<string, boolean> } | undefined;
      if (!route) return [];
      return Object.keys(route.methods ?? {}).map((m) => `${m.toUpperCase()} ${route.path}`);
    });
    expect(served.sort()).toEqual(expectedRoutes);
  });

  it('is exactly the OpenAPI document, each operation naming its tRPC procedure', () => {
    const doc = openApiDocument();
    const documented: Array<{ id: string; route: string }> = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, operation] of Object.entries(
        item as Record<string, { operationId?: string; 'x-trpc-procedure'?: string }>,
      )) {
        const procedure = operation['x-trpc-procedure'] ?? '';
        expect(operation.operationId).toBe(operationIdOf(procedure));
        documented.push({
          id: procedure,
          route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        });
      }
    }
    expect(documented.map((d) => d.id).sort()).toEqual(expectedNames);
    expect(documented.map((d) => d.route).sort()).toEqual(expectedRoutes);
  });
});
