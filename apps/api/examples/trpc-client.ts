// The typed tRPC client, as another TypeScript app uses it: only the AppRouter type comes from the API.
// Run against a running server:  API=http://127.0.0.1:3000 KEY=pk_... npx tsx apps/api/examples/trpc-client.ts
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../src/trpc/router';

const api = process.env.API ?? 'http://127.0.0.1:3000';
const client = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({ url: `${api}/trpc`, headers: () => ({ authorization: `Bearer ${process.env.KEY}` }) }),
  ],
});

const [location] = (await client.locations.list.query({ subdomain: 'demo' })).locations;
if (!location) throw new Error('the demo institution has no location');
const found = await client.patients.search.query({
  subdomain: 'demo',
  location_id: location.id,
  name: 'Liz Garcia',
});
for (const p of found.patients) console.log(p.id, p.name, p.bio.date_of_birth, p.match?.reasons.join('; '));
console.log(`${found.count} match(es)`);
