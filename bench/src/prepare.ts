// Makes (or reuses) the population databases ahead of a run: npm run -s bench -- ... does this itself;
// this is for warming the cache in the background (npx tsx src/prepare.ts --sizes 1000000 --engine sqlite).
import { type EngineName, ensurePopulation, populationName } from './databases';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const engine = opt('engine', 'sqlite') as EngineName;
const seed = Number(opt('seed', '42'));
for (const size of opt('sizes', '10000,100000').split(',').map(Number)) {
  const p = await ensurePopulation(engine, populationName('pop', size, seed), size, seed, console.error);
  console.log(JSON.stringify({ engine, size, name: p.name, loadSeconds: Math.round(p.loadSeconds) }));
}
