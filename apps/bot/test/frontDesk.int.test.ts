// Issue 17, the bot as a front desk uses it: the registration form (a modal) before any search, completing
// a record filled from the practice's defaults, booking with autocomplete and the health record system's
// answers, a day's list, and times in a configured zone. Real API on SQLite, real discord.js objects, the
// Discord stand-in; and at the end, no message staff saw holds a field path, an ISO date or a raw score.
import { institutionsRepo } from '@patients/api/internals';
import { switchableConnector } from '@patients/api/test-support/switchableConnector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientsApi } from '../src/api';
import { createContext } from '../src/context';
import { LocalDiscord, modalInputs, type Outcome } from '../src/local/localDiscord';
import { memoryLogger } from '../src/log';
import {
  buttonsOf,
  GUILD_ID,
  type Harness,
  STAFF_ROLE_ID,
  staff,
  startHarness,
  textOf,
  visitor,
} from './harness';

const EPHEMERAL = 64;
const hrs = switchableConnector();
let h: Harness;
let api: ReturnType<typeof createPatientsApi>;
let chen: number;

beforeAll(async () => {
  h = await startHarness({ connectorFor: hrs.connectorFor });
  api = createPatientsApi({ url: h.api.url, key: h.demo.apiKey });
  chen = h.demo.providerIds[0]!;
});
afterAll(async () => {
  await h?.close();
});

function press(outcome: Outcome, label: RegExp): Promise<Outcome> {
  const button = buttonsOf(outcome.message).find((b) => label.test(b.label));
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttonsOf(outcome.message))}`);
  return h.discord.press(staff, outcome.message!, button.custom_id);
}

const patient = (id: number) => api.patients.get.query({ subdomain: 'demo', id });
const count = async () =>
  (await api.patients.search.query({ subdomain: 'demo', location_id: h.demo.locationId, per_page: 1 })).count;

const victoria = { first_name: 'Victoria', last_name: 'Ng', date_of_birth: '7/4/1990', gender: 'Female' };
let victoriaId: number;

describe('/patient register asks before it screens', () => {
  it('without contact details, answers with a form and calls nothing', async () => {
    const out = await h.discord.run(staff, 'register', { ...victoria, provider: chen });
    expect(out.callback?.type).toBe(9);
    // The form is the only request: no search, no create.
    expect(out.requests).toHaveLength(1);
    expect(out.modal?.title).toBe('Register Victoria Ng');
    expect(modalInputs(out.modal!).map((i) => [i.id, i.label, i.required])).toEqual([
      ['email', 'Email', false],
      ['phone_number', 'Phone number', false],
      ['middle_name', 'Middle name (optional)', false],
      ['preferred_name', 'Preferred name (optional)', false],
    ]);
  });

  it('the form sent with everything registers, privately', async () => {
    const before = await count();
    const out = await h.discord.run(staff, 'register', { ...victoria, provider: chen });
    const sent = await h.discord.submitModal(staff, out.modal!, {
      email: 'Victoria.Ng@Example.com',
      phone_number: '(646) 555-0178',
      preferred_name: 'Vicky',
    });
    expect(sent.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const id = /^Registered a new patient, ID (\d+)\./.exec(sent.message?.content ?? '')?.[1];
    expect(id).toBeDefined();
    victoriaId = Number(id);
    expect(await count()).toBe(before + 1);
    const created = await patient(victoriaId);
    expect([created.email, created.bio.phone_number, created.preferred_name]).toEqual([
      'victoria.ng@example.com',
      '6465550178',
      'Vicky',
    ]);
    expect(textOf(sent.message)).toContain('Date of birth\nJul 4, 1990');
  });

  it('the same person again: the likely match is shown, with why in plain words', async () => {
    const out = await h.discord.run(staff, 'register', {
      ...victoria,
      first_name: 'Vicky',
      provider: chen,
      email: 'victoria.ng@example.com',
      phone: '646 555 0178',
    });
    expect(out.message?.content).toContain('please check: this patient is already on file');
    expect(out.message?.embeds[0]?.fields?.[0]?.value).toContain('Born Jul 4, 1990');
    const refused = await press(out, /Register as new/);
    expect(refused.message?.content).toBe(
      `This patient is already registered (ID ${victoriaId}), so nothing new was created. Why: same preferred name, last name, birthday, email and phone. Here is the existing record:`,
    );
  });

  it('a bad value in the form is named for people, and nothing is searched or saved', async () => {
    const before = await count();
    const out = await h.discord.run(staff, 'register', {
      ...victoria,
      first_name: 'Valerie',
      provider: chen,
    });
    const sent = await h.discord.submitModal(staff, out.modal!, { email: 'val@', phone_number: '12' });
    expect(sent.callback?.type).toBe(4);
    expect(sent.callback?.data?.content).toBe(
      [
        'Please check these values and try again:',
        '• Email is not a valid email address',
        '• Phone number is not a phone number we can dial (e.g. (212) 555-0101)',
        'Nothing was saved; run /patient register again.',
      ].join('\n'),
    );
    expect(sent.requests).toHaveLength(1);
    expect(await count()).toBe(before);
  });

  it('missing contact details are said before any search; without practice defaults the API says which, in words', async () => {
    const before = await count();
    const out = await h.discord.run(staff, 'register', {
      ...victoria,
      first_name: 'Valerie',
      provider: chen,
    });
    const sent = await h.discord.submitModal(staff, out.modal!, {});
    expect(sent.requests).toHaveLength(1);
    expect(sent.callback?.data?.content).toMatch(
      /^Email and phone number are missing\. Ask the patient and run \/patient register again, or, if they have none, press \*\*Register without them\*\*/,
    );
    const pressed = await press(sent, /Register without them/);
    expect(pressed.message?.content).toBe(
      'The patient service did not accept that:\n• Email is missing\n• Phone number is missing',
    );
    expect(await count()).toBe(before);
  });
});

describe('/patient complete', () => {
  let defaultedId: number;
  beforeAll(async () => {
    // The practice opts in to defaults (SPEC 4.3) for this part.
    await institutionsRepo(h.api.db.knex).saveSettings(h.demo.institutionId, {
      demographic_defaults: { email: 'no-email@practice.example', phone_number: '2125550000' },
    });
  });
  afterAll(async () => {
    await institutionsRepo(h.api.db.knex).saveSettings(h.demo.institutionId, {});
  });

  it('registers without contact details when the practice has defaults, flagged to complete', async () => {
    const out = await h.discord.run(staff, 'register', {
      first_name: 'Oswald',
      last_name: 'Brennan',
      date_of_birth: 'March 2, 1941',
      gender: 'Male',
      provider: chen,
    });
    const sent = await h.discord.submitModal(staff, out.modal!, {});
    const created = await press(sent, /Register without them/);
    const id = Number(/ID (\d+)/.exec(created.message?.content ?? '')?.[1]);
    defaultedId = id;
    expect(created.message?.content).toBe(
      `Registered a new patient, ID ${id}. Email and phone number came from the practice's defaults: complete them with /patient complete id:${id} once the patient tells you. Book them with /appointment book.`,
    );
    expect((await patient(id)).demographics_defaulted).toEqual(['email', 'phone_number']);
  });

  it('shows what was defaulted and fills it through a form (PATCH)', async () => {
    const out = await h.discord.run(staff, 'complete', { id: defaultedId });
    expect(out.message?.content).toBe(
      `Oswald Brennan (ID ${defaultedId}): email and phone number were filled from the practice's defaults. Ask the patient, then press **Fill in**.`,
    );
    const fill = await press(out, /Fill in/);
    expect(fill.callback?.type).toBe(9);
    expect(modalInputs(fill.modal!).map((i) => i.label)).toEqual(['Email', 'Phone number']);
    // Sent empty: nothing changes.
    const empty = await h.discord.submitModal(staff, fill.modal!, {});
    expect(empty.callback?.data?.content).toBe('Nothing was filled in, so nothing was changed.');
    const sent = await h.discord.submitModal(staff, fill.modal!, { phone_number: '917.555.0142' });
    expect(sent.message?.content).toBe(
      `Updated phone number for Oswald Brennan (ID ${defaultedId}). Still from the practice's defaults: email.`,
    );
    const after = await patient(defaultedId);
    expect([after.bio.phone_number, after.demographics_defaulted]).toEqual(['9175550142', ['email']]);
  });

  it("after insertion the API's refusal is shown, and nothing changes", async () => {
    const out = await h.discord.run(staff, 'complete', { id: defaultedId });
    const fill = await press(out, /Fill in/);
    // Booked (so inserted into the health record system) while the form is open.
    await api.appointments.book.mutate({
      subdomain: 'demo',
      location_id: h.demo.locationId,
      appt: { patient_id: defaultedId, provider_id: chen, start_time: '2031-11-03T15:00:00.000Z' },
    });
    const sent = await h.discord.submitModal(staff, fill.modal!, { email: 'oswald@example.com' });
    expect(sent.message?.content).toBe(
      "Nothing was changed. The patient service said: Patient has been inserted into the health record system and can no longer be edited through this API That is, the patient is already in the practice's records, so their details can no longer be changed from Discord: please update them in the practice's records system.",
    );
    expect((await patient(defaultedId)).email).toBe('no-email@practice.example');
    // Asked again, the bot says so before any form.
    const again = await h.discord.run(staff, 'complete', { id: defaultedId });
    expect(again.message?.content).toMatch(
      /is already in the practice's records, so their details can no longer be changed/,
    );
    expect(buttonsOf(again.message)).toEqual([]);
  });

  it('says when there is nothing to complete, or no such patient', async () => {
    expect((await h.discord.run(staff, 'complete', { id: 1 })).message?.content).toBe(
      'Nothing to complete for Jonathan Smith ("Jon") (ID 1): none of their details came from the practice\'s defaults.',
    );
    expect((await h.discord.run(staff, 'complete', { id: 99999 })).message?.content).toBe(
      'There is no patient with ID 99999 in this practice.',
    );
  });
});

describe('/appointment book', () => {
  it('offers patients as staff type (search box or ID), and the location providers', async () => {
    const choices = await h.discord.autocomplete(
      staff,
      'book',
      { name: 'patient', value: 'vicky ng' },
      [],
      'appointment',
    );
    expect(choices).toEqual([
      { name: `Victoria Ng ("Vicky") · born Jul 4, 1990 · ID ${victoriaId}`, value: victoriaId },
    ]);
    expect(
      await h.discord.autocomplete(staff, 'book', { name: 'patient', value: '1' }, [], 'appointment'),
    ).toEqual([{ name: 'Jonathan Smith ("Jon") · born May 3, 1964 · ID 1', value: 1 }]);
    // Half a date cannot be read yet: no choices, no error.
    expect(
      await h.discord.autocomplete(
        staff,
        'book',
        { name: 'patient', value: 'jon 5/3/19' },
        [],
        'appointment',
      ),
    ).toEqual([]);
    expect(
      (await h.discord.autocomplete(staff, 'book', { name: 'provider', value: '' }, [], 'appointment')).map(
        (c) => c.name,
      ),
    ).toEqual(['Dr. Sarah Chen', 'Dr. Michael Okafor']);
    expect(
      await h.discord.autocomplete(visitor, 'book', { name: 'patient', value: 'vicky' }, [], 'appointment'),
    ).toEqual([]);
  });

  it('books in the practice time zone and says the first booking added the patient to the records', async () => {
    const out = await h.discord.run(
      staff,
      'book',
      { patient: victoriaId, provider: chen, when: '12/1/2031 9:30am', note: 'New patient exam' },
      'appointment',
    );
    expect(out.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(out.message?.content).toBe(
      `Booked Victoria Ng ("Vicky") (ID ${victoriaId}) with Dr. Sarah Chen on Mon, Dec 1, 2031, 9:30 AM EST. This is Victoria's first booking, so Victoria was added to the practice's records now.`,
    );
    expect(out.message?.embeds[0]?.fields).toContainEqual({
      name: 'When',
      value: 'Mon, Dec 1, 2031, 9:30 AM EST to 10:00 AM',
    });
    expect(out.message?.embeds[0]?.footer?.text).toBe('Times are in America/New_York.');
    const after = await patient(victoriaId);
    expect(after.upcoming_appts.map((a) => a.start_time)).toEqual(['2031-12-01T14:30:00.000Z']);
    expect(after.foreign_id_type).not.toBe('nex');
  });

  it('a provider already booked then is said plainly', async () => {
    const out = await h.discord.run(
      staff,
      'book',
      { patient: 1, provider: chen, when: 'Dec 1 2031 9:30 am' },
      'appointment',
    );
    expect(out.message?.content).toBe(
      'Dr. Sarah Chen already has an appointment at Mon, Dec 1, 2031, 9:30 AM EST. Nothing was booked: please pick another time.',
    );
  });

  it('the health record system refusing or down: nothing booked, the patient unchanged, said plainly', async () => {
    hrs.state.mode = 'refuse';
    try {
      const refused = await h.discord.run(
        staff,
        'book',
        { patient: 1, provider: chen, when: '12/2/2031 10am' },
        'appointment',
      );
      expect(refused.message?.content).toBe(
        'The practice\'s records system refused to add Jonathan Smith ("Jon") (ID 1). Nothing was booked and Jonathan\'s record was not changed. Its reason: the chart is locked.',
      );
      hrs.state.mode = 'down';
      const down = await h.discord.run(
        staff,
        'book',
        { patient: 1, provider: chen, when: '12/2/2031 10am' },
        'appointment',
      );
      expect(down.message?.content).toBe(
        'The practice\'s records system could not be reached, so Jonathan Smith ("Jon") (ID 1) could not be added to it. Nothing was booked and Jonathan\'s record was not changed. Please try again in a few minutes.',
      );
    } finally {
      hrs.state.mode = 'up';
    }
    const jon = await patient(1);
    expect([jon.foreign_id_type, jon.upcoming_appts]).toEqual(['nex', []]);
  });

  it('a day or time it cannot read, or one already passed, is said with the time zone', async () => {
    const bad = await h.discord.run(
      staff,
      'book',
      { patient: 1, provider: chen, when: 'someday 9' },
      'appointment',
    );
    expect(bad.message?.content).toBe(
      'Please check this value and try again:\n• "someday" is not a day such as today, tomorrow, friday, 12/2/2026 or Dec 2. Times are in America/New_York.',
    );
    const past = await h.discord.run(
      staff,
      'book',
      { patient: 1, provider: chen, when: '1/2/2020 9am' },
      'appointment',
    );
    expect(past.message?.content).toContain('That time has already passed');
  });
});

describe('/appointment list', () => {
  it("lists a day's appointments with times in the practice time zone", async () => {
    const out = await h.discord.run(staff, 'list', { day: '12/1/2031' }, 'appointment');
    const embed = out.message!.embeds[0]!;
    expect(embed.title).toBe('Appointments on Mon, Dec 1, 2031');
    expect(embed.description).toBe(
      `**9:30 AM–10:00 AM** Victoria Ng ("Vicky") (ID ${victoriaId}) · Dr. Sarah Chen`,
    );
    expect(embed.footer?.text).toBe('1 appointment · Times are in America/New_York.');
    expect((await h.discord.run(staff, 'list', { day: '12/3/2031' }, 'appointment')).message?.content).toBe(
      'No appointments on Wed, Dec 3, 2031.',
    );
  });
});

describe('BOT_TIME_ZONE and BOT_DATE_FORMAT', () => {
  it('show times in the configured zone and dates in the configured pattern, stated', async () => {
    const ctx = createContext({
      api: { url: h.api.url, key: h.demo.apiKey, subdomain: 'demo', locationId: h.demo.locationId },
      access: { guildId: GUILD_ID, staffRoleId: STAFF_ROLE_ID },
      display: { dateFormat: 'D MMMM YYYY', timeZone: 'Europe/Paris' },
      log: memoryLogger(),
    });
    const paris = await LocalDiscord.start(ctx);
    try {
      const out = await paris.run(staff, 'show', { id: victoriaId });
      const fields = out.message!.embeds[0]!.fields!;
      expect(fields.find((f) => f.name === 'Date of birth')?.value).toBe('4 July 1990');
      expect(fields.find((f) => f.name === 'Upcoming appointments (Europe/Paris)')?.value).toBe(
        'Mon, 1 December 2031, 3:30 PM GMT+1 — Dr. Sarah Chen',
      );
    } finally {
      await paris.close();
    }
  });
});

describe('what staff see', () => {
  beforeAll(async () => {
    // Searches with reasons, and a score asked for, are part of what is checked below.
    await h.discord.run(staff, 'search', { query: 'bob johnson', details: true });
    await h.discord.run(staff, 'search', { query: 'dan kim 4/9/2012' });
    await h.discord.run(staff, 'show', { id: 2 });
  });

  it('no message, form or button holds an API field path, an ISO date or a raw score', () => {
    const shown: string[] = [];
    const collect = (value: unknown, key = ''): void => {
      if (key === 'custom_id' || key === 'flags' || key === 'type' || key === 'color') return;
      if (typeof value === 'string') shown.push(value.replace(/`[^`]*`/g, ''));
      else if (Array.isArray(value)) for (const v of value) collect(v);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
    };
    for (const r of h.standIn.requests) {
      if (r.method === 'POST' || r.method === 'PATCH') collect(r.body);
    }
    expect(shown.length).toBeGreaterThan(100);
    const text = shown.join('\n');
    expect(text).not.toMatch(/\b(?:bio|appt|patient)\.[a-z_]+/);
    expect(text).not.toMatch(
      /\b(?:phone_number|date_of_birth|start_time|provider_id|first_name|last_name)\b/,
    );
    expect(text.match(/.*\d{4}-\d{2}-\d{2}.*/g) ?? []).toEqual([]);
    expect(text).not.toMatch(/\b0\.\d+|\bscore\b/i);
    // The score asked for is there, as a percentage.
    expect(text).toMatch(/Closeness: \d+%/);
  });
});
