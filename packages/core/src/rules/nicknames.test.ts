import { describe, expect, it } from 'vitest';
import {
  areNicknames,
  isKnownGivenName,
  nicknameGraph,
  nicknameHops,
  nicknamesOf,
  nicknameVia,
  parseNicknameCsv,
} from './nicknames';

describe('parseNicknameCsv', () => {
  it('builds an undirected graph from CRLF lines, skipping the header and blank lines', () => {
    const g = parseNicknameCsv(
      'name1,relationship,name2\r\nrobert,has_nickname,bob\r\n\r\nRobert,has_nickname,Rob\r\n  \r\nbad line\r\n',
    );
    expect([...g.keys()].sort()).toEqual(['bob', 'rob', 'robert']);
    expect([...g.get('robert')!].sort()).toEqual(['bob', 'rob']);
    expect([...g.get('bob')!]).toEqual(['robert']);
    expect([...g.get('rob')!]).toEqual(['robert']);
  });

  it('accepts LF lines, folds names and ignores self links', () => {
    const g = parseNicknameCsv('name1,relationship,name2\nJosé,has_nickname,Pepe\nann,has_nickname,ANN\n');
    expect(g.get('jose')?.has('pepe')).toBe(true);
    expect(g.get('pepe')?.has('jose')).toBe(true);
    expect(g.has('ann')).toBe(false);
  });

  it('does not treat the header as data', () => {
    expect(parseNicknameCsv('name1,relationship,name2\n').size).toBe(0);
  });
});

describe('the shipped table', () => {
  it('is loaded and large', () => {
    expect(nicknameGraph().size).toBeGreaterThan(1000);
  });

  it.each([
    ['Bob', 'Robert'],
    ['Robert', 'Bob'],
    ['Liz', 'Elizabeth'],
    ['Beth', 'Elizabeth'],
    ['Bill', 'William'],
    ['Will', 'William'],
    ['Peggy', 'Margaret'],
    ['Maggie', 'Margaret'],
    ['Jon', 'Jonathan'],
    ['Chris', 'Christopher'],
    ['Bob', 'Rob'],
    ['Bill', 'Will'],
  ])('%s ~ %s in one hop', (a, b) => {
    expect(areNicknames(a, b, 1)).toBe(true);
    expect(nicknamesOf(a, 1).has(b.toLowerCase())).toBe(true);
  });

  it.each([
    ['Robby', 'Bob', 'robert'],
    ['Liz', 'Beth', 'elizabeth'],
    ['Willy', 'Bill', 'william'],
    ['Peggy', 'Maggie', 'margaret'],
  ])('%s ~ %s only in two hops (via %s)', (a, b, via) => {
    expect(areNicknames(a, b, 1)).toBe(false);
    expect(areNicknames(a, b, 2)).toBe(true);
    expect(nicknameVia(a.toLowerCase(), b.toLowerCase())).toBe(via);
    expect(nicknameHops(a.toLowerCase(), b.toLowerCase())).toBe(2);
  });

  it('Robert ~ William is two hops (through Bill), not one', () => {
    expect(areNicknames('Robert', 'William', 1)).toBe(false);
    expect(areNicknames('Robert', 'William', 2)).toBe(true);
  });

  it('a name is not its own nickname and unrelated names are not nicknames', () => {
    expect(areNicknames('Robert', 'Robert', 2)).toBe(false);
    expect(nicknamesOf('Robert', 2).has('robert')).toBe(false);
    expect(areNicknames('Robert', 'Roberta', 2)).toBe(false);
    expect(areNicknames('John', 'Mary', 2)).toBe(false);
    expect(nicknamesOf('Zzyzx', 2).size).toBe(0);
  });

  it('two hops include one hop', () => {
    const one = nicknamesOf('Margaret', 1);
    const two = nicknamesOf('Margaret', 2);
    for (const n of one) expect(two.has(n)).toBe(true);
    expect(two.size).toBeGreaterThan(one.size);
  });

  it('folds its argument', () => {
    expect(nicknamesOf('  ROBERT ', 1).has('bob')).toBe(true);
  });
});

describe('isKnownGivenName', () => {
  it.each(['Robert', 'Bob', 'Jon', 'Joan', 'Daniel', 'Mary', 'JOHN'])('%s is a known given name', (n) => {
    expect(isKnownGivenName(n)).toBe(true);
  });

  it('knows common names the table lacks, and feminine forms in -a', () => {
    expect(nicknameGraph().has('daniela')).toBe(false);
    expect(isKnownGivenName('Daniela')).toBe(true);
    expect(isKnownGivenName('Roberta')).toBe(true);
    expect(isKnownGivenName('Jose')).toBe(true);
  });

  it.each(['Jonh', 'Smtih', 'Xqzt', '', 'Robertaa'])('%j is not', (n) => {
    expect(isKnownGivenName(n)).toBe(false);
  });
});
