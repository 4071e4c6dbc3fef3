// The nickname table (carltonnorthern/nicknames, Apache-2.0, see NOTICE): which given names are forms of
// one another (Bob ~ Robert), and which given names are real names at all (for the duplicate rule's
// "two different known given names are never a typo"). That table is English; data/nicknames-extra.csv
// (this project's, same format) adds the everyday forms of names of other origins a US practice meets
// (Sasha ~ Alexander, Pepe ~ Jose). data/given-name-spellings.csv groups spellings said the same that
// Double Metaphone does not join (Siobhan ~ Shivon).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { foldName } from './normalize';

/** Adjacency of the nickname graph: folded name → the folded names it is directly linked with. */
export type NicknameGraph = Map<string, Set<string>>;

const LINE_BREAK = /\r?\n/;
const QUOTES = /^"|"$/g;

function link(graph: NicknameGraph, a: string, b: string): void {
  let set = graph.get(a);
  if (!set) {
    set = new Set();
    graph.set(a, set);
  }
  set.add(b);
}

/**
 * Parses the nickname CSV (`name1,relationship,name2`, header row, CRLF or LF lines) into an undirected
 * graph of folded, lower-case names. Blank and short lines are ignored; the relationship column is not
 * interpreted (the shipped table only has `has_nickname`), every row is an edge both ways.
 */
export function parseNicknameCsv(text: string): NicknameGraph {
  const graph: NicknameGraph = new Map();
  const lines = text.split(LINE_BREAK);
  let headerSeen = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    const cells = line.split(',');
    if (cells.length < 3) continue;
    const a = foldName((cells[0] ?? '').replace(QUOTES, ''));
    const b = foldName((cells[2] ?? '').replace(QUOTES, ''));
    if (a === '' || b === '' || a === b) continue;
    link(graph, a, b);
    link(graph, b, a);
  }
  return graph;
}

/**
 * Common given names the table does not list (it lists names that HAVE nicknames). Without them, "Daniel"
 * and "Daniela" would look like a typo of each other. Curated by this project; extend freely.
 */
export const SUPPLEMENTARY_GIVEN_NAMES: readonly string[] = [
  'adam aidan aisha alberto alejandra alejandro amber andres andrei anh aoife aria arturo asher astrid aurelie',
  'aurora ava bjorn boris brandon brendan brooklyn bruce camila carlos carmen carter chiara ciara connor',
  'cooper daniela declan denise diego dmitri duc dylan easton ekaterina enrique eoin erik esperanza ethan',
  'everly fatima fernando finn francesca francisco francois gabriela giulia giuseppe grace grayson guadalupe',
  'hans harper hazel hector helga hoang hudson hunter igor ingrid irina jace jacques jason javier jaxon',
  'jayden jesse jesus jordan jorge jose juan juliana jurgen karen keith khanh kieran kyle lars layla leticia',
  'liam linh logan luca luis luna manon marco mariana maribel mario marisol mason matteo maverick mia',
  'michel mikhail minh mohammed muhammad nathalie nevaeh niamh nikolai nils nolan oisin oleg olga omar',
  'oscar owen padraig paisley pavel pedro philippe pierre priya rafael raj ramon raul ravi riley rowan ruben',
  'ruth scarlett seamus sean sergei sergio siobhan skylar sofia stefan svetlana sven sylvie tatiana thanh',
  'tuan tyler uwe valentina violet vladimir wayne wolfgang wyatt yolanda yuri yulia zoe',
]
  .join(' ')
  .split(' ');

let shipped: NicknameGraph | undefined;
let supplementary: Set<string> | undefined;
let spellings: Map<string, ReadonlySet<string>> | undefined;

// By package name, not by a path relative to this file: the server's build bundles this module elsewhere.
const dataFile = (name: string) =>
  readFileSync(createRequire(import.meta.url).resolve(`@patients/core/data/${name}`), 'utf8');

/** The shipped tables (the English one and this project's additions) as one graph, read once on first use. */
export function nicknameGraph(): NicknameGraph {
  if (!shipped) {
    const graph = parseNicknameCsv(dataFile('nicknames.csv'));
    for (const [name, linked] of parseNicknameCsv(dataFile('nicknames-extra.csv'))) {
      for (const other of linked) link(graph, name, other);
    }
    shipped = graph;
  }
  return shipped;
}

/**
 * Parses the spellings file: one group of folded spellings per line, comma-separated; `#` starts a comment.
 * Every spelling maps to the others of its group.
 */
export function parseSpellingGroups(text: string): Map<string, ReadonlySet<string>> {
  const out = new Map<string, Set<string>>();
  for (const line of text.split(LINE_BREAK)) {
    const body = line.replace(/#.*/, '').trim();
    if (body === '') continue;
    const group = [...new Set(body.split(',').map((w) => foldName(w)))].filter((w) => w !== '');
    for (const w of group) {
      const set = out.get(w) ?? new Set<string>();
      for (const other of group) if (other !== w) set.add(other);
      out.set(w, set);
    }
  }
  return out;
}

/** The other spellings of a folded given name that are said the same (Siobhan: Shivon, Shivaun ...). */
export function spellingsOf(folded: string): ReadonlySet<string> {
  spellings ??= parseSpellingGroups(dataFile('given-name-spellings.csv'));
  return spellings.get(folded) ?? EMPTY;
}

const EMPTY: ReadonlySet<string> = new Set();
const twoHopCache = new Map<string, ReadonlySet<string>>();

/** The names one hop from an already folded name (no folding: for loops over many words). */
export function nicknamesOfFolded(key: string): ReadonlySet<string> {
  return nicknameGraph().get(key) ?? EMPTY;
}

/** Folded names reachable from `name` in at most `hops` steps of the table, the name itself excluded. */
export function nicknamesOf(name: string, hops: 1 | 2): ReadonlySet<string> {
  const key = foldName(name);
  const graph = nicknameGraph();
  const direct = graph.get(key);
  if (!direct) return EMPTY;
  if (hops === 1) return direct;
  let all = twoHopCache.get(key);
  if (!all) {
    const set = new Set(direct);
    for (const n of direct) for (const m of graph.get(n) ?? EMPTY) set.add(m);
    set.delete(key);
    all = set;
    twoHopCache.set(key, all);
  }
  return all;
}

/**
 * The name both are linked to when `a` and `b` are two hops apart (Bob ~ Rob via "robert"), else null.
 * Arguments must already be folded.
 */
export function nicknameVia(a: string, b: string): string | null {
  const graph = nicknameGraph();
  const na = graph.get(a);
  const nb = graph.get(b);
  if (!na || !nb) return null;
  const [small, other] = na.size <= nb.size ? [na, nb] : [nb, na];
  for (const n of small) if (other.has(n)) return n;
  return null;
}

/** Hops between two folded names in the table: 0 when equal, 1, 2, or null when further or unknown. */
export function nicknameHops(a: string, b: string): 0 | 1 | 2 | null {
  if (a === b) return 0;
  const na = nicknameGraph().get(a);
  if (!na) return null;
  if (na.has(b)) return 1;
  return nicknameVia(a, b) === null ? null : 2;
}

/** Whether the two given names are the same name or nicknames of each other within `hops`. */
export function areNicknames(a: string, b: string, hops: 1 | 2): boolean {
  const h = nicknameHops(foldName(a), foldName(b));
  return h !== null && h !== 0 && h <= hops;
}

/** isKnownGivenName for a name that is already folded. */
export function isKnownFoldedGivenName(key: string): boolean {
  if (key === '') return false;
  supplementary ??= new Set(SUPPLEMENTARY_GIVEN_NAMES);
  const graph = nicknameGraph();
  if (graph.has(key) || supplementary.has(key) || spellingsOf(key).size > 0) return true;
  if (key.length >= 4 && key.endsWith('a')) {
    const base = key.slice(0, -1);
    return !base.endsWith('a') && (graph.has(base) || supplementary.has(base));
  }
  return false;
}

/**
 * Whether `name` is a real given name: it appears in the nickname table or in SUPPLEMENTARY_GIVEN_NAMES,
 * or it is such a name of 3+ letters with an "a" added (Roberta, Paula, Daniela: feminine forms the table
 * often lacks).
 */
export function isKnownGivenName(name: string): boolean {
  return isKnownFoldedGivenName(foldName(name));
}
