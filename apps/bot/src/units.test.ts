import type { Patient } from '@patients/core';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from './commands';
import { ConfigError, readApiConfig, readBotConfig, readConsoleConfig, readDeployConfig } from './config';
import { parseCommandLine, resolveOptions } from './local/commandLine';
import { likelyMatches } from './matching';
import { SESSION_TTL_MS, SessionStore } from './sessions';

const API_ENV = {
  PATIENTS_API_URL: 'http://127.0.0.1:3000',
  PATIENTS_API_KEY: 'pk_x',
  PATIENTS_SUBDOMAIN: 'demo',
  PATIENTS_LOCATION_ID: '1',
};
const DISCORD_ENV = {
  DISCORD_TOKEN: 'tok',
  DISCORD_APPLICATION_ID: '123456789012345678',
  DISCORD_GUILD_ID: '223456789012345678',
  DISCORD_STAFF_ROLE_ID: '323456789012345678',
};

describe('configuration', () => {
  it('reads a complete environment', () => {
    expect(readBotConfig({ ...API_ENV, ...DISCORD_ENV })).toEqual({
      discord: {
        token: 'tok',
        applicationId: '123456789012345678',
        guildId: '223456789012345678',
        staffRoleId: '323456789012345678',
        apiBase: undefined,
      },
      api: { url: 'http://127.0.0.1:3000', key: 'pk_x', subdomain: 'demo', locationId: 1 },
      display: { dateFormat: 'MMM D, YYYY', timeZone: undefined },
    });
  });

  it('names every missing or bad variable at once, one line each: what it holds, what is expected', () => {
    let error: unknown;
    try {
      readBotConfig({
        ...API_ENV,
        PATIENTS_LOCATION_ID: 'one',
        PATIENTS_API_KEY: 'secret-key',
        DISCORD_TOKEN: '',
        DISCORD_GUILD_ID: '42',
        BOT_TIME_ZONE: 'Mars/Olympus',
        BOT_DATE_FORMAT: 'dd/mm/yyyy',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(';')[0])).toEqual([
      'DISCORD_TOKEN is not set',
      'DISCORD_APPLICATION_ID is not set',
      'DISCORD_GUILD_ID holds "42"',
      'DISCORD_STAFF_ROLE_ID is not set',
      'PATIENTS_LOCATION_ID holds "one"',
      'BOT_DATE_FORMAT holds "dd/mm/yyyy" ("dd" is not one of YYYY, MMMM, MMM, MM, M, DD, D)',
      'BOT_TIME_ZONE holds "Mars/Olympus"',
    ]);
    expect(problems[4]).toBe(
      'PATIENTS_LOCATION_ID holds "one"; expected the id of the practice\'s location (office), a positive whole number',
    );
    expect(problems[6]).toContain('expected an IANA time zone such as America/New_York');
    // One line per problem, and nothing else.
    expect((error as Error).message.split('\n')).toEqual(problems);
    // A secret is never repeated back.
    const key = readErrorLines({ ...API_ENV, PATIENTS_API_KEY: ' ', PATIENTS_SUBDOMAIN: 'Demo!' });
    expect(key).toEqual([
      expect.stringMatching(/^PATIENTS_API_KEY is not set; expected an API key/),
      expect.stringMatching(/^PATIENTS_SUBDOMAIN holds "Demo!"; expected/),
    ]);
  });

  it('the console needs only the API settings, deploy only Discord ones', () => {
    expect(readApiConfig(API_ENV).locationId).toBe(1);
    expect(
      readConsoleConfig({ ...API_ENV, BOT_TIME_ZONE: 'Europe/Paris', BOT_DATE_FORMAT: 'D MMM YYYY' }).display,
    ).toEqual({
      dateFormat: 'D MMM YYYY',
      timeZone: 'Europe/Paris',
    });
    expect(() => readApiConfig({ ...API_ENV, PATIENTS_API_URL: 'localhost:3000' })).toThrow(
      'PATIENTS_API_URL holds "localhost:3000"; expected the base URL of the patients API, an http(s) URL such as http://127.0.0.1:3000',
    );
    expect(readDeployConfig({ ...DISCORD_ENV, DISCORD_API_BASE: 'http://127.0.0.1:9/api' }).apiBase).toBe(
      'http://127.0.0.1:9/api',
    );
    expect(() => readDeployConfig({})).toThrow(/DISCORD_TOKEN is not set/);
  });
});

function readErrorLines(env: Record<string, string>): string[] {
  try {
    readApiConfig(env);
  } catch (e) {
    return (e as ConfigError).problems;
  }
  return [];
}

describe('sessions', () => {
  it('belong to their owner and expire', () => {
    let now = 1_000;
    const store = new SessionStore<string>(() => now);
    const key = store.create('alice', 'data');
    expect(store.get(key, 'alice')).toEqual({ status: 'ok', data: 'data' });
    expect(store.get(key, 'bob')).toEqual({ status: 'not_owner' });
    now += SESSION_TTL_MS - 1;
    expect(store.get(key, 'alice').status).toBe('ok');
    now += 1;
    expect(store.get(key, 'alice')).toEqual({ status: 'expired' });
    expect(store.get('never-made', 'alice')).toEqual({ status: 'expired' });
  });
});

describe('console command lines', () => {
  const defs = commandDefinitions();

  it('splits options by their known names, values may hold spaces and colons', () => {
    expect(parseCommandLine('/patient search name:Jon Smith email: jon@x.com', defs)).toEqual({
      ok: true,
      value: { command: 'patient', subcommand: 'search', values: { name: 'Jon Smith', email: 'jon@x.com' } },
    });
    expect(parseCommandLine('/patient search name:"Smith, John" phone:(212) 555-0101', defs)).toEqual({
      ok: true,
      value: {
        command: 'patient',
        subcommand: 'search',
        values: { name: 'Smith, John', phone: '(212) 555-0101' },
      },
    });
  });

  it('explains a wrong command, subcommand or option', () => {
    expect(parseCommandLine('patient search', defs)).toMatchObject({ ok: false });
    expect(parseCommandLine('/patients search', defs)).toEqual({
      ok: false,
      message: 'Unknown command /patients. Try: /patient, /appointment',
    });
    expect(parseCommandLine('/patient find', defs)).toEqual({
      ok: false,
      message: '/patient needs one of: search, show, register, complete',
    });
    expect(parseCommandLine('/patient search nmae:Jon', defs)).toEqual({
      ok: false,
      message:
        '/patient search has no option nmae. Options of /patient search: query, name, email, phone, date_of_birth, details. (A value holding "word:" is written in quotes: note:"re: the crown".)',
    });
  });

  it('never glues an unknown option into the previous value', () => {
    const r = parseCommandLine(
      '/patient register first_name:Victoria last_name:Ng date_of_birth:1/2/1990 gender:Female provider:1 phone:2125550178 nickname:Vicky',
      defs,
    );
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^\/patient register has no option nickname\. Options of \/patient register: first_name, last_name/,
      ),
    });
    // A quoted value may hold colons and option-like words; times keep their colon.
    expect(
      parseCommandLine('/appointment book patient:1 provider:1 when:tomorrow 9:30am note:"re: crown"', defs),
    ).toEqual({
      ok: true,
      value: {
        command: 'appointment',
        subcommand: 'book',
        values: { patient: '1', provider: '1', when: 'tomorrow 9:30am', note: 're: crown' },
      },
    });
    expect(parseCommandLine('/patient show id:1 id:2', defs)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^id is given twice/),
    });
  });

  it('types options as Discord would, with choices and required ones checked', () => {
    const def = defs[0]!;
    expect(resolveOptions(def, 'show', { id: '12' })).toEqual({
      ok: true,
      value: [{ type: 4, name: 'id', value: 12 }],
    });
    expect(resolveOptions(def, 'show', { id: 'x' })).toEqual({
      ok: false,
      message: 'id must be a whole number',
    });
    const reg = resolveOptions(def, 'register', {
      first_name: 'A',
      last_name: 'B',
      date_of_birth: '1/1/2000',
      gender: 'female',
      provider: '1',
    });
    expect(reg).toMatchObject({ ok: true });
    expect(reg.ok && reg.value.find((o) => o.name === 'gender')).toEqual({
      type: 3,
      name: 'gender',
      value: 'Female',
    });
    expect(resolveOptions(def, 'register', { first_name: 'A', gender: 'x' })).toEqual({
      ok: false,
      message:
        'last_name is required; date_of_birth is required; gender must be one of: Male, Female, Other; provider is required',
    });
  });
});

describe('likely matches', () => {
  const base = (over: Partial<Patient>, bio: Partial<Patient['bio']>): Patient =>
    ({
      id: 1,
      email: null,
      first_name: 'Daniel',
      last_name: 'Kim',
      preferred_name: null,
      middle_name: null,
      demographics_defaulted: [],
      ...over,
      bio: { phone_number: null, date_of_birth: null, gender: null, ...bio },
    }) as Patient;
  const entered = {
    first_name: 'Dan',
    last_name: 'Kim',
    date_of_birth: '2012-04-09',
    gender: 'Male' as const,
    email: 'kim.family@example.com',
    phone_number: '2125550109',
    provider_id: 1,
  };
  const family = { email: 'kim.family@example.com' };
  const phone = { phone_number: '2125550109' };

  it('keeps the same person first, then by how well the name matches, and drops family members who only share contacts', () => {
    const daniel = base({ id: 9, ...family }, { ...phone, date_of_birth: '2012-04-09', gender: 'Male' });
    const daniela = base(
      { id: 10, first_name: 'Daniela', ...family },
      { ...phone, date_of_birth: '2012-04-09', gender: 'Female' },
    );
    const grace = base(
      { id: 11, first_name: 'Grace', ...family },
      { ...phone, date_of_birth: '1981-08-25', gender: 'Female' },
    );
    const typoDob = base({ id: 12 }, { ...phone, date_of_birth: '2012-04-19', gender: 'Male' });
    expect(likelyMatches(entered, [grace, typoDob, daniela, daniel]).map((p) => p.id)).toEqual([9, 12, 10]);
  });

  it('does not count a defaulted field as shared evidence', () => {
    const defaulted = base(
      { id: 5, demographics_defaulted: ['phone_number'] },
      { ...phone, date_of_birth: '1999-01-01' },
    );
    expect(likelyMatches(entered, [defaulted])).toEqual([]);
  });
});
