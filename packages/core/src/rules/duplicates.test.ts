import { describe, expect, it } from 'vitest';
import { type DuplicateEvidence, duplicateReasons, findDuplicates, isSamePatient } from './duplicates';

const record = (over: Partial<DuplicateEvidence> = {}): DuplicateEvidence => ({
  first_name: 'John',
  last_name: 'Smith',
  preferred_name: null,
  email: 'john.smith@example.com',
  phone_number: '5163042196',
  date_of_birth: '1964-05-03',
  gender: 'Male',
  demographics_defaulted: [],
  ...over,
});

/** Both directions, so the rule is tested symmetric. */
const same = (a: DuplicateEvidence, b: DuplicateEvidence) => {
  const ab = isSamePatient(a, b);
  expect(isSamePatient(b, a)).toBe(ab);
  return ab;
};

describe('isSamePatient: the same person', () => {
  it('identical records', () => {
    expect(same(record(), record())).toBe(true);
  });

  it('a married-name change with the same first name, birth date and phone', () => {
    const before = record({
      first_name: 'Mary',
      last_name: 'Jones',
      gender: 'Female',
      email: 'mj@example.com',
    });
    const after = record({
      first_name: 'Mary',
      last_name: 'Smith',
      gender: 'Female',
      email: 'mary@example.net',
    });
    expect(same(before, after)).toBe(true);
  });

  it('a nickname (Bob vs Robert) with the same birth date and phone', () => {
    const a = record({ first_name: 'Bob', last_name: 'Smith', email: null });
    const b = record({ first_name: 'Robert', last_name: 'Jones', email: 'robert@example.com' });
    expect(same(a, b)).toBe(true);
  });

  it('a typo (Jonh vs John) with the same birth date and email', () => {
    const a = record({ first_name: 'Jonh', last_name: 'Doe', phone_number: null });
    const b = record({ first_name: 'John', last_name: 'Smith-Lee', phone_number: '2125550142' });
    expect(same(a, b)).toBe(true);
  });

  it('a preferred name matching the other first name', () => {
    const a = record({ first_name: 'Robert', preferred_name: 'Bob' });
    const b = record({ first_name: 'Bob' });
    expect(same(a, b)).toBe(true);
    const c = record({ first_name: 'Jonathan', preferred_name: 'Jack' });
    const d = record({ first_name: 'Jack' });
    expect(same(c, d)).toBe(true);
  });

  it('compatible last names alone are enough (email and phone differ)', () => {
    const a = record({ last_name: "O'Brien", email: 'a@example.com', phone_number: '2125550142' });
    const b = record({ last_name: 'OBrien', email: 'b@example.com', phone_number: '2125550143' });
    expect(same(a, b)).toBe(true);
    expect(same(record({ last_name: 'Garcia' }), record({ last_name: 'Garcia-Lopez', email: null }))).toBe(
      true,
    );
  });

  it('compares emails trimmed and case-insensitively and phones normalised', () => {
    const a = record({ last_name: 'Jones', email: ' John.Smith@Example.com ', phone_number: null });
    const b = record({ last_name: 'Brown', email: 'john.smith@example.com', phone_number: null });
    expect(same(a, b)).toBe(true);
    const c = record({ last_name: 'Jones', email: null, phone_number: '(516) 304-2196' });
    const d = record({ last_name: 'Brown', email: null, phone_number: '+1 516.304.2196' });
    expect(same(c, d)).toBe(true);
  });

  it('ignores a defaulted gender', () => {
    const a = record({ gender: 'Male', demographics_defaulted: ['gender'] });
    const b = record({ gender: 'Female' });
    expect(same(a, b)).toBe(true);
  });

  it('ignores a missing gender', () => {
    expect(same(record({ gender: null }), record({ gender: 'Male' }))).toBe(true);
  });
});

describe('isSamePatient: different people', () => {
  it('different birth dates, everything else equal', () => {
    expect(same(record(), record({ date_of_birth: '1964-05-04' }))).toBe(false);
  });

  it('twins Robert and Roberta', () => {
    const robert = record({ first_name: 'Robert', gender: null });
    const roberta = record({ first_name: 'Roberta', gender: null });
    expect(same(robert, roberta)).toBe(false);
  });

  it.each([
    ['Daniel', 'Daniela'],
    ['Jon', 'Joan'],
    ['Alexander', 'Alexandra'],
    ['Paul', 'Paula'],
  ])('twins %s and %s', (a, b) => {
    expect(same(record({ first_name: a, gender: null }), record({ first_name: b, gender: null }))).toBe(
      false,
    );
  });

  it('Robert and William (two hops, through Bill)', () => {
    expect(same(record({ first_name: 'Robert' }), record({ first_name: 'William' }))).toBe(false);
  });

  it('family members sharing phone and email with different birth dates', () => {
    const father = record({ first_name: 'John', date_of_birth: '1964-05-03' });
    const son = record({ first_name: 'John', date_of_birth: '1994-08-21' });
    expect(same(father, son)).toBe(false);
    const mother = record({ first_name: 'Mary', gender: 'Female', date_of_birth: '1966-01-10' });
    expect(same(father, mother)).toBe(false);
  });

  it('different genders, neither defaulted', () => {
    expect(same(record({ gender: 'Male' }), record({ gender: 'Female' }))).toBe(false);
    expect(same(record({ gender: 'Male' }), record({ gender: 'Other' }))).toBe(false);
  });

  it('same birth date and first name but no shared last name, email or phone', () => {
    const a = record({ last_name: 'Smith', email: 'a@example.com', phone_number: '2125550142' });
    const b = record({ last_name: 'Jones', email: 'b@example.com', phone_number: '2125550199' });
    expect(same(a, b)).toBe(false);
  });

  it('unrelated first names', () => {
    expect(same(record({ first_name: 'John' }), record({ first_name: 'Mary' }))).toBe(false);
  });

  it('a defaulted date of birth can never match', () => {
    const a = record({ demographics_defaulted: ['date_of_birth'] });
    expect(same(a, record())).toBe(false);
    expect(same(record(), a)).toBe(false);
  });

  it('a missing date of birth can never match', () => {
    expect(same(record({ date_of_birth: null }), record({ date_of_birth: null }))).toBe(false);
  });

  it('a defaulted email or phone is not the "at least one of"', () => {
    const a = record({ last_name: 'Jones', demographics_defaulted: ['email'], phone_number: null });
    const b = record({ last_name: 'Brown', phone_number: null });
    expect(same(a, b)).toBe(false);
    const c = record({ last_name: 'Jones', email: null, demographics_defaulted: ['phone_number'] });
    const d = record({ last_name: 'Brown', email: null });
    expect(same(c, d)).toBe(false);
    // The same pairs without the defaults are duplicates: the default is what stops them.
    expect(same({ ...a, demographics_defaulted: [] }, b)).toBe(true);
    expect(same({ ...c, demographics_defaulted: [] }, d)).toBe(true);
  });

  it('null or empty email and phone are never equal evidence', () => {
    const a = record({ last_name: 'Jones', email: null, phone_number: null });
    const b = record({ last_name: 'Brown', email: null, phone_number: null });
    expect(same(a, b)).toBe(false);
    const c = record({ last_name: 'Jones', email: '  ', phone_number: '' });
    const d = record({ last_name: 'Brown', email: '', phone_number: ' ' });
    expect(same(c, d)).toBe(false);
  });
});

describe('findDuplicates', () => {
  it('returns the matching records, in order, with their extra fields', () => {
    const existing = [
      { ...record({ first_name: 'Robert' }), id: 1 },
      { ...record({ first_name: 'John', date_of_birth: '1990-01-01' }), id: 2 },
      { ...record({ first_name: 'Johnny' }), id: 3 },
      { ...record({ first_name: 'Jonh', last_name: 'Smith' }), id: 4 },
    ];
    expect(findDuplicates(record(), existing).map((r) => r.id)).toEqual([3, 4]);
    expect(findDuplicates(record(), [])).toEqual([]);
  });
});

describe('duplicateReasons', () => {
  const base = {
    first_name: 'Robert',
    last_name: 'Johnson',
    preferred_name: null,
    email: 'bob@example.com',
    phone_number: '2125550102',
    date_of_birth: '1971-11-12',
    gender: 'Male',
    demographics_defaulted: [],
  };

  it('names the date of birth, how the given names relate, and each piece of evidence that holds', () => {
    expect(duplicateReasons({ ...base, first_name: 'Bob', email: 'other@example.com' }, base)).toEqual([
      'date of birth',
      'nickname: Bob ~ Robert',
      'last name',
      'phone',
    ]);
    expect(duplicateReasons({ ...base, first_name: 'Rboert', last_name: 'Smith' }, base)).toEqual([
      'date of birth',
      'typo in first name',
      'email',
      'phone',
    ]);
    expect(duplicateReasons(base, base)).toEqual([
      'date of birth',
      'first name',
      'last name',
      'email',
      'phone',
    ]);
  });

  it("says 'preferred name' when the match is the stored patient's preferred name", () => {
    // Robert who goes by Bob, registered again as Bob.
    expect(
      duplicateReasons({ ...base, first_name: 'Bob', email: null }, { ...base, preferred_name: 'Bob' }),
    ).toEqual(['date of birth', 'preferred name', 'last name', 'phone']);
  });

  it('is null exactly when the rule says different people', () => {
    expect(duplicateReasons({ ...base, date_of_birth: '1971-11-13' }, base)).toBeNull();
    expect(duplicateReasons({ ...base, first_name: 'Roberta' }, base)).toBeNull();
  });
});
