// Makes (or reuses) population databases ahead of a run, through `admin import` like every population
// (databases.ts): for the evaluation's ("pop", what npm run eval uses) or the bench's ("bench") names, e.g.
// npx tsx src/prepare.ts --sizes 1000000 --engine sqlite --purpose bench. A population made here is reused by
// the run, which then has only "after restart" figures for it.
import { type EngineName, ensurePopulation, populationName } from './databases';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const engine = opt('engine', 'sqlite') as EngineName;
const seed = Number(opt('seed', '42'));
const purpose = opt('purpose', 'pop');
for (const size of opt('sizes', '10000,100000').split(',').map(Number)) {
  const p = await ensurePopulation(engine, populationName(purpose, size, seed), size, seed, console.error);
  console.log(JSON.stringify({ engine, size, name: p.name, loadSeconds: Math.round(p.loadSeconds) }));
}
