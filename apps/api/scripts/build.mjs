// Builds the server into one JavaScript file, dist/main.js, so `npm start` runs compiled code rather than a
// TypeScript loader. Cached: it does nothing when dist/main.js is newer than every source it is made from
// (this package's and @patients/core's src and package.json, and this script), so a start after the first
// costs a directory walk (~20 ms). esbuild bundles only our own code (this app and @patients/core); every
// installed package stays an import that Node resolves from node_modules, as it does under tsx.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './bundle.mjs';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = resolve(app, '../../packages/core');
const out = join(app, 'dist/main.js');
const sources = [join(app, 'src'), join(app, 'package.json'), join(core, 'src'), join(core, 'package.json')];

/** The newest modification time under a file or folder, tests included (cheap, and never wrong). */
function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

function builtAt() {
  try {
    return statSync(out).mtimeMs;
  } catch {
    return -1;
  }
}

const inputs = Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...sources.map(newest));
if (process.argv.includes('--force') || builtAt() < inputs) {
  const result = await build({
    write: false,
    entryPoints: [join(app, 'src/main.ts')],
    outfile: out,
    ...nodeBundle,
  });
  // Written beside and renamed into place, the map first: a second server starting at the same moment
  // (the bench starts several) never runs a half-written file.
  mkdirSync(dirname(out), { recursive: true });
  const files = [...result.outputFiles].sort((a) => (a.path.endsWith('.map') ? -1 : 1));
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}
