// Builds the admin command line (apps/api/src/cli/admin.ts) into apps/api/dist/admin.js, for the container
// image: the image has neither tsx nor the TypeScript sources that `npm run -s admin` runs, and a practice
// running the image still needs the admin commands (the first institution and API key, backups).
//
// Like scripts/build.mjs, only our own code (this app and @patients/core) is bundled (bundle.mjs). The import
// worker is a second entry point and
// code splitting is on: `admin import` starts a worker thread on the module that holds the worker's code
// (import.meta.url), and with splitting that module is a chunk of its own, so the worker loads the row reader
// and not the whole command line (which would parse argv and run the command again inside the worker).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './bundle.mjs';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: {
    admin: join(app, 'src/cli/admin.ts'),
    'admin-import-worker': join(app, 'src/cli/importWorker.ts'),
  },
  // Beside dist/main.js, not in a folder of its own: config.ts finds the repository root (and with it the
  // default SQLite file and relative paths) from its own file's place, two folders below the root.
  outdir: join(app, 'dist'),
  chunkNames: 'admin-[name]-[hash]',
  ...nodeBundle,
  splitting: true,
});
