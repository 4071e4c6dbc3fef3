// Why a patient matched, in words for people (issue 17): the API's reasons ("date of birth", "nickname: Bob
// ~ Robert", "typo in last name") become one short phrase, "same birthday and phone; Bob is short for
// Robert". Things that are simply the same are gathered into one "same ..." list; the rest read as clauses.

/** Reasons that say a detail is equal, and what that detail is called at a front desk. */
const SAME: Record<string, string> = {
  'date of birth': 'birthday',
  'exact name': 'name',
  'first name': 'first name',
  'last name': 'last name',
  'preferred name': 'preferred name',
  'middle name': 'middle name',
  email: 'email',
  phone: 'phone',
  'foreign id': 'record number',
};

/** The order "same ..." details are said in. */
const ORDER = [
  'name',
  'first name',
  'preferred name',
  'middle name',
  'last name',
  'birthday',
  'email',
  'phone',
];

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** "Bob ~ Robert": the shorter name is the short form. */
function shortFor(a: string, b: string): string {
  if (a.length === b.length) return `${a} and ${b} are forms of the same name`;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return `${short} is short for ${long}`;
}

/** One reason that is not a plain "same": a nickname, a typo, a sound-alike, a name's start. */
function clause(reason: string): string | null {
  let m = /^nickname with a typo: (.+?) ~ (.+?)(?: \(via (.+)\))?$/.exec(reason);
  if (m) return `${m[1]} looks like a misspelt nickname of ${m[2]}`;
  m = /^nickname: (.+?) ~ (.+?)(?: \(via (.+)\))?$/.exec(reason);
  if (m) return m[3] ? `${m[1]} and ${m[2]} are both forms of ${m[3]}` : shortFor(m[1]!, m[2]!);
  m = /^(first name|last name|preferred name) is start of (.+)$/.exec(reason);
  if (m) return `could be short for ${m[2]}`;
  m = /^(first name|last name|preferred name) (.+) is start of (.+)$/.exec(reason);
  if (m) return `${m[2]} could be short for ${m[3]}`;
  m = /^(two typos|typo) in (.+)$/.exec(reason);
  if (m) return `${m[2]} spelt ${m[1] === 'typo' ? 'slightly ' : ''}differently`;
  m = /^sounds like (.+)$/.exec(reason);
  if (m) return `sounds like ${m[1]}`;
  if (reason === 'name order swapped') return 'last name given first';
  return null;
}

/** The API's match or duplicate reasons as one phrase; '' when there are none. */
export function plainReasons(reasons: readonly string[]): string {
  const same = new Set<string>();
  const clauses: string[] = [];
  for (const reason of reasons) {
    // A name that differs only in case, accents or punctuation is, at a front desk, the same name.
    const folded = /^same (.+) ignoring case, accents and punctuation$/.exec(reason)?.[1];
    const detail = SAME[folded ?? reason];
    if (detail) same.add(detail);
    else {
      const c = clause(reason);
      // An unknown reason (a newer API) is still better said than dropped, as long as it is plain words.
      const said = c ?? (/^[a-z ]+$/i.test(reason) ? reason : null);
      if (said && !clauses.includes(said)) clauses.push(said);
    }
  }
  // "same name" already says first and last name.
  if (same.has('name')) for (const part of ['first name', 'last name']) same.delete(part);
  const sameList = ORDER.filter((d) => same.has(d)).concat([...same].filter((d) => !ORDER.includes(d)));
  const parts = [...(sameList.length ? [`same ${list(sameList)}`] : []), ...clauses];
  return parts.join('; ');
}
