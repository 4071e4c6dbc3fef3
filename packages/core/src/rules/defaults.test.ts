import { describe, expect, it } from 'vitest';
import { applyDemographicDefaults, missingDemographics } from './defaults';

describe('applyDemographicDefaults', () => {
  it('without opt-in, each missing field is an error named as the API spells it', () => {
    expect(applyDemographicDefaults({ email: 'a@b.co' }, undefined)).toEqual({
      ok: false,
      errors: ['bio.phone_number is required', 'bio.date_of_birth is required', 'bio.gender is required'],
    });
  });

  it('fills opted-in fields and lists them; given values win; fields without a default stay required', () => {
    const out = applyDemographicDefaults(
      { email: null, phone_number: '2125550100', date_of_birth: '1990-01-01' },
      { email: 'none@practice.example', phone_number: '2125550000' },
    );
    expect(out).toEqual({ ok: false, errors: ['bio.gender is required'] });
    const done = applyDemographicDefaults(
      { phone_number: '2125550100', date_of_birth: '1990-01-01' },
      { email: 'none@practice.example', gender: 'Other' },
    );
    expect(done).toEqual({
      ok: true,
      demographics: {
        email: 'none@practice.example',
        phone_number: '2125550100',
        date_of_birth: '1990-01-01',
        gender: 'Other',
      },
      defaulted: ['email', 'gender'],
    });
  });
});

describe('missingDemographics', () => {
  it('names each absent demographic field without a default, whatever else the body holds', () => {
    expect(missingDemographics({ first_name: 'Ann' }, {})).toEqual([
      'email is required',
      'bio.phone_number is required',
      'bio.date_of_birth is required',
      'bio.gender is required',
    ]);
    // A malformed value is given (the schema names it); a default covers an absent one.
    expect(
      missingDemographics(
        { email: 42, bio: { phone_number: '123', date_of_birth: '' } },
        { gender: 'Other' },
      ),
    ).toEqual(['bio.date_of_birth is required']);
    expect(missingDemographics('not an object', null)).toHaveLength(4);
  });
});
