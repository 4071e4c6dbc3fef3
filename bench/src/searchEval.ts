// Search quality through the real search service: for each error kind, queries made from stored records
// (errorModel.ts), and whether the record comes back.
//
// A result counts as the target when it is the record itself or a record with the same first and last name
// after folding (the preferred and last name for the preferred kind): the query carries only the name, so no
// engine can tell such records apart, and ties between them are broken by id. recall@10: the target is among the first ten. top-1: the target is first, or the
// first result is a patient whose name IS the query (after folding, in either order: "John Garcia"
// made from John Garcia-Lopez when a John Garcia exists; no engine could know the query was a slip).
// top-1 strict: the target is first, whatever came before it.
import { foldName, nameTokens, searchPatientsInput } from '@patients/core';
import { makeQuery, QUERY_KINDS, type QueryKind } from './errorModel';
import { mulberry32, type Random } from './random';

export interface StoredName {
  id: number;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
}

export type SearchFn = (name: string) => Promise<{ patients: StoredName[]; count: number }>;

export interface KindResult {
  kind: QueryKind | 'overall';
  queries: number;
  recallAt10: number;
  top1: number;
  top1Strict: number;
  meanResults: number;
  /** A few queries whose target was not first or not in the first ten, to look at. */
  misses: string[];
}

export interface Query {
  kind: QueryKind;
  text: string;
  target: StoredName;
}

/** Up to `perKind` queries of each kind, from records drawn at random (those the kind applies to). */
export function makeQueries(records: readonly StoredName[], perKind: number, random: Random): Query[] {
  const out: Query[] = [];
  for (const kind of QUERY_KINDS) {
    let made = 0;
    for (let attempt = 0; made < perKind && attempt < perKind * 200; attempt++) {
      const target = random.pick(records);
      const text = makeQuery(kind, target, random);
      if (text === null) continue;
      out.push({ kind, text, target });
      made++;
    }
  }
  return out;
}

/**
 * Records the query cannot tell apart: the same folded first and last name (the preferred and last name for
 * the preferred kind), since the query carries nothing else.
 */
function sameName(kind: QueryKind, a: StoredName, b: StoredName): boolean {
  if (a.id === b.id) return true;
  if (foldName(a.last_name) !== foldName(b.last_name)) return false;
  if (kind === 'preferred')
    return !!a.preferred_name && foldName(a.preferred_name) === foldName(b.preferred_name ?? '');
  return foldName(a.first_name) === foldName(b.first_name);
}

const describe = (p: StoredName) =>
  `${p.first_name}${p.preferred_name ? ` (${p.preferred_name})` : ''} ${p.last_name} #${p.id}`;

const tokenKey = (s: string) => nameTokens(s).sort().join(' ');

/** The query is exactly this record's name (folded, any order), with the first or the preferred name. */
function isLiterally(query: string, p: StoredName): boolean {
  const q = tokenKey(query);
  return (
    q === tokenKey(`${p.first_name} ${p.last_name}`) ||
    (!!p.preferred_name && q === tokenKey(`${p.preferred_name} ${p.last_name}`))
  );
}

export async function evaluateSearch(
  records: readonly StoredName[],
  search: SearchFn,
  perKind: number,
  seed: number,
): Promise<KindResult[]> {
  const queries = makeQueries(records, perKind, mulberry32(seed));
  const byKind = new Map<
    QueryKind,
    { n: number; r10: number; t1: number; t1s: number; results: number; misses: string[] }
  >();
  for (const q of queries) {
    const { patients, count } = await search(q.text);
    const index = patients.findIndex((p) => sameName(q.kind, p, q.target));
    const s = byKind.get(q.kind) ?? { n: 0, r10: 0, t1: 0, t1s: 0, results: 0, misses: [] };
    s.n++;
    s.results += count;
    if (index === 0) s.t1s++;
    const first = patients[0];
    if (index === 0 || (first && isLiterally(q.text, first))) s.t1++;
    else if (index > 0 && first && s.misses.length < 8)
      s.misses.push(`top-1 "${q.text}" → ${describe(q.target)} at ${index + 1}; first ${describe(first)}`);
    if (index >= 0 && index < 10) s.r10++;
    else if (s.misses.length < 8) s.misses.push(`recall "${q.text}" → ${describe(q.target)}, count ${count}`);
    byKind.set(q.kind, s);
  }
  const rows: KindResult[] = [];
  let n = 0;
  let r10 = 0;
  let t1 = 0;
  let t1s = 0;
  let results = 0;
  for (const kind of QUERY_KINDS) {
    const s = byKind.get(kind);
    if (!s) continue;
    rows.push({
      kind,
      queries: s.n,
      recallAt10: s.r10 / s.n,
      top1: s.t1 / s.n,
      top1Strict: s.t1s / s.n,
      meanResults: s.results / s.n,
      misses: s.misses,
    });
    n += s.n;
    r10 += s.r10;
    t1 += s.t1;
    t1s += s.t1s;
    results += s.results;
  }
  rows.push({
    kind: 'overall',
    queries: n,
    recallAt10: r10 / n,
    top1: t1 / n,
    top1Strict: t1s / n,
    meanResults: results / n,
    misses: [],
  });
  return rows;
}

/** The search input a name query becomes: the first ten results, ranked. */
export function nameSearchInput(subdomain: string, locationId: number, name: string) {
  return searchPatientsInput.parse({ subdomain, location_id: locationId, name, per_page: 10 });
}
