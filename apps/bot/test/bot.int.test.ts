// The bot end to end: real discord.js interactions from raw payloads, a real patients API on SQLite, and a
// local stand-in of Discord's REST API recording exactly what Discord would receive.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientsApi } from '../src/api';
import { NO_CRITERIA } from '../src/commands/search';
import type { Outcome } from '../src/local/localDiscord';
import { EXPIRED, NOT_IN_GUILD, NOT_STAFF, NOT_YOUR_BUTTONS } from '../src/render/messages';
import { SESSION_TTL_MS } from '../src/sessions';
import {
  buttonsOf,
  elsewhere,
  type Harness,
  inDm,
  otherStaff,
  staff,
  startHarness,
  textOf,
  visitor,
} from './harness';

const EPHEMERAL = 64;
let h: Harness;
let api: ReturnType<typeof createPatientsApi>;

beforeAll(async () => {
  h = await startHarness();
  api = createPatientsApi({ url: h.api.url, key: h.demo.apiKey });
});

afterAll(async () => {
  await h?.close();
});

/** Every message the bot created (reply, deferred reply, follow-up) was ephemeral. */
function expectAllRepliesEphemeral(): void {
  const created = h.standIn.requests.filter(
    (r) =>
      (r.method === 'POST' &&
        /\/callback$/.test(r.path) &&
        [4, 5].includes((r.body as { type: number }).type)) ||
      (r.method === 'POST' && /^\/webhooks\/[^/]+\/[^/]+$/.test(r.path)),
  );
  expect(created.length).toBeGreaterThan(0);
  for (const r of created) {
    const body = r.body as { type?: number; data?: { flags?: number }; flags?: number };
    const flags = body.data?.flags ?? body.flags ?? 0;
    expect(flags & EPHEMERAL, `${r.method} ${r.path} ${JSON.stringify(body).slice(0, 200)}`).toBe(EPHEMERAL);
  }
}

function press(outcome: Outcome | APIMessage, label: RegExp, who = staff): Promise<Outcome> {
  const message = 'interactionId' in outcome ? outcome.message! : outcome;
  const button = buttonsOf(message).find((b) => label.test(b.label));
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(buttonsOf(message))}`);
  return h.discord.press(who, message, button.custom_id);
}

async function patientCount(): Promise<number> {
  return (await api.patients.search.query({ subdomain: 'demo', location_id: h.demo.locationId, per_page: 1 }))
    .count;
}

describe('/patient search', () => {
  it('finds a patient by nickname, deferring first, privately', async () => {
    const out = await h.discord.run(staff, 'search', { name: 'Jon Smith' });
    expect(out.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(out.requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(out.message?.flags).toBe(EPHEMERAL);
    const embed = out.message!.embeds[0]!;
    expect(embed.fields?.[0]?.name).toBe('1. Jonathan Smith ("Jon")');
    expect(embed.fields?.[0]?.value).toBe(
      "Born May 3, 1964 · (212) 555-0101\nID 1 · not yet in the practice's records (added at the first booking)\nWhy: same preferred name",
    );
    expect(embed.footer?.text).toBe('1 match · best match first');
    expect(buttonsOf(out.message)).toEqual([]);
  });

  it("names the staff member to the API's audit log (X-Acting-User)", async () => {
    await h.discord.run(otherStaff, 'search', { name: 'Jon Smith' });
    await h.discord.run(staff, 'search', { name: 'Jon Smith' });
    // Reads are written a moment after their answer (the API's audit queue): wait for the two.
    const staffLabel = `${staff.userId} (${staff.username})`;
    const otherLabel = `${otherStaff.userId} (${otherStaff.username})`;
    let entries: Array<{ action: string; acting_user: string | null }> = [];
    for (let i = 0; i < 100; i++) {
      entries = await h.api.db.knex('audit_log').orderBy('id');
      const users = entries.map((e) => e.acting_user);
      if (users.includes(otherLabel) && users.lastIndexOf(staffLabel) > users.indexOf(otherLabel)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const other = entries.findIndex((e) => e.acting_user === otherLabel);
    expect(entries[other]?.action).toBe('patient.search');
    expect(entries.slice(other + 1).map((e) => [e.action, e.acting_user])).toEqual([
      ['patient.search', staffLabel],
    ]);
    // Every call the bot made named its user: no entry without one.
    expect(entries.filter((e) => e.acting_user === null)).toEqual([]);
  });

  it('takes everything in one query: a nickname and a US date, ANDed', async () => {
    const out = await h.discord.run(staff, 'search', { query: 'jon smith 5/3/1964' });
    expect(out.message?.flags).toBe(EPHEMERAL);
    expect(out.message!.embeds[0]!.title).toBe(
      'Patients matching name “jon smith”, date of birth May 3, 1964',
    );
    expect(out.message!.embeds[0]!.fields?.map((f) => f.name)).toEqual(['1. Jonathan Smith ("Jon")']);
    // The same name with another birth date finds nobody: the parts are ANDed.
    const none = await h.discord.run(staff, 'search', { query: 'jon smith 5/3/1965' });
    expect(textOf(none.message)).toContain('No patients match name “jon smith”, date of birth May 3, 1965');
  });

  it('says what in a query it cannot read, before any API call', async () => {
    const out = await h.discord.run(staff, 'search', { query: 'jon smith 5/3/64' });
    expect(out.requests.map((r) => r.method)).toEqual(['POST']);
    expect(textOf(out.callback?.data as never)).toContain('"5/3/64" needs a 4-digit year, e.g. 5/3/1964');
    const mixed = await h.discord.run(staff, 'search', { query: 'jon', name: 'jon' });
    expect(textOf(mixed.callback?.data as never)).toContain('Use `query` on its own');
  });

  it('says so when nothing matches', async () => {
    const out = await h.discord.run(staff, 'search', { name: 'Zebulon Quixote' });
    expect(out.message?.content).toBe(
      'No patients match name “Zebulon Quixote”. Check the spelling, or try fewer details (a name alone, or a date of birth).',
    );
    expect(out.message?.embeds).toEqual([]);
  });

  it('asks for at least one criterion, without calling the API or deferring', async () => {
    const out = await h.discord.run(staff, 'search', {});
    expect(out.callback?.type).toBe(4);
    expect(out.callback?.data?.content).toBe(NO_CRITERIA);
    expect(out.callback?.data?.flags).toBe(EPHEMERAL);
    expect(out.requests).toHaveLength(1);
  });

  it('names each bad field before any API call', async () => {
    const out = await h.discord.run(staff, 'search', {
      phone: '12345',
      date_of_birth: '5/3/64',
      email: 'jon@',
    });
    expect(out.callback?.type).toBe(4);
    expect(out.callback?.data?.content).toBe(
      [
        'Please check these values and try again:',
        '• Email is not a valid email address',
        '• Phone number is not a phone number we can dial (e.g. (212) 555-0101)',
        '• Date of birth needs a 4-digit year, e.g. 5/3/1964',
      ].join('\n'),
    );
    expect(out.requests).toHaveLength(1);
  });

  describe('paging', () => {
    const FIRST_NAMES = [
      'Alan',
      'Brian',
      'Carl',
      'Derek',
      'Edgar',
      'Frank',
      'George',
      'Henry',
      'Ivan',
      'Kevin',
      'Louis',
      'Martin',
    ];
    beforeAll(async () => {
      for (const [i, first_name] of FIRST_NAMES.entries()) {
        await api.patients.create.mutate({
          subdomain: 'demo',
          location_id: h.demo.locationId,
          patient: {
            first_name,
            last_name: 'Pager',
            email: `${first_name.toLowerCase()}.pager@example.com`,
            bio: {
              date_of_birth: `1980-01-${String(i + 1).padStart(2, '0')}`,
              gender: 'Male',
              phone_number: `212555${String(7000 + i)}`,
            },
          },
        });
      }
    });

    it('shows ten, then the rest with Next, and back with Previous', async () => {
      const first = await h.discord.run(staff, 'search', { name: 'Pager' });
      expect(first.message!.embeds[0]!.fields).toHaveLength(10);
      expect(first.message!.embeds[0]!.footer?.text).toBe(
        'Showing 1–10 of 12 matches · page 1 of 2 · best match first',
      );
      expect(buttonsOf(first.message).map((b) => [b.label, b.disabled])).toEqual([
        ['◀ Previous', true],
        ['Next ▶', false],
      ]);

      const second = await press(first, /Next/);
      expect(second.callback).toEqual({ type: 6 });
      expect(second.message!.id).toBe(first.message!.id);
      expect(second.message!.embeds[0]!.fields).toHaveLength(2);
      expect(second.message!.embeds[0]!.fields![0]!.name).toMatch(/^11\. /);
      expect(second.message!.embeds[0]!.footer?.text).toBe(
        'Showing 11–12 of 12 matches · page 2 of 2 · best match first',
      );
      expect(buttonsOf(second.message).map((b) => [b.label, b.disabled])).toEqual([
        ['◀ Previous', false],
        ['Next ▶', true],
      ]);

      const back = await press(second, /Previous/);
      expect(back.message!.embeds[0]!.footer?.text).toContain('Showing 1–10 of 12');
    });

    it('lets only the staff member who searched turn the pages', async () => {
      const first = await h.discord.run(staff, 'search', { name: 'Pager' });
      const before = JSON.stringify(h.standIn.message(first.message!.id));
      const other = await press(first, /Next/, otherStaff);
      expect(other.callback).toEqual({
        type: 4,
        data: expect.objectContaining({ content: NOT_YOUR_BUTTONS, flags: EPHEMERAL }),
      });
      expect(JSON.stringify(h.standIn.message(first.message!.id))).toBe(before);
    });
  });
});

describe('/patient show', () => {
  it('shows the record with upcoming appointments in the practice time zone', async () => {
    const out = await h.discord.run(staff, 'show', { id: 2 });
    expect(out.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const embed = out.message!.embeds[0]!;
    expect(embed.title).toBe('Robert Johnson ("Bob")');
    const appts = embed.fields!.find((f) => f.name === 'Upcoming appointments (America/New_York)')!;
    const { upcoming_appts } = await api.patients.get.query({ subdomain: 'demo', id: 2 });
    const expected = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(upcoming_appts[0]!.start_time));
    expect(appts.value).toBe(`${expected} — Dr. Sarah Chen`);
    expect(appts.value).toMatch(/E[SD]T/);
    expect(embed.fields!.find((f) => f.name === 'Status')?.value).toBe(
      "Active · already in the practice's records",
    );
  });

  it('says politely when there is no such patient', async () => {
    const out = await h.discord.run(staff, 'show', { id: 987654 });
    expect(out.message?.content).toBe('There is no patient with ID 987654 in this practice.');
    expect(out.message?.flags).toBe(EPHEMERAL);
  });
});

describe('/patient register', () => {
  const base = { gender: 'Female', provider: 1 };

  it('offers the location providers by autocomplete', async () => {
    expect(await h.discord.autocomplete(staff, 'register', { name: 'provider', value: 'chen' })).toEqual([
      { name: 'Dr. Sarah Chen', value: h.demo.providerIds[0] },
    ]);
    expect(
      (await h.discord.autocomplete(staff, 'register', { name: 'provider', value: '' })).map((c) => c.name),
    ).toEqual(['Dr. Sarah Chen', 'Dr. Michael Okafor']);
    expect(await h.discord.autocomplete(visitor, 'register', { name: 'provider', value: 'chen' })).toEqual(
      [],
    );
  });

  it('creates the patient at once when nobody like them is on file', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', {
      ...base,
      first_name: 'Annabel',
      last_name: 'Leeward',
      date_of_birth: '7/4/1990',
      email: 'Annabel.Leeward@Example.com',
      phone: '(646) 555-0142',
    });
    expect(out.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(await patientCount()).toBe(before + 1);
    const { patients } = await api.patients.search.query({
      subdomain: 'demo',
      location_id: 1,
      email: 'annabel.leeward@example.com',
    });
    expect(patients).toHaveLength(1);
    const created = patients[0]!;
    expect(created.bio).toMatchObject({
      date_of_birth: '1990-07-04',
      phone_number: '6465550142',
      gender: 'Female',
    });
    expect(out.message?.content).toBe(
      `Registered a new patient, ID ${created.id}. Book them with /appointment book.`,
    );
    expect(out.message?.embeds[0]?.title).toBe('New patient: Annabel Leeward');
    expect(buttonsOf(out.message)).toEqual([]);
  });

  const danKim = {
    first_name: 'Dan',
    last_name: 'Kim',
    date_of_birth: '2012-04-09',
    gender: 'Male',
    provider: 1,
    email: 'kim.family@example.com',
    phone: '212-555-0109',
  };

  it('shows likely matches with a choice for each, leaving out family members', async () => {
    const out = await h.discord.run(staff, 'register', danKim);
    expect(out.message?.content).toBe(
      'Before registering **Dan Kim** (born Apr 9, 2012, (212) 555-0109, kim.family@example.com), please check: these 2 patients are already on file and may be the same person.',
    );
    expect(textOf(out.message)).not.toContain('Grace');
    expect(buttonsOf(out.message).map((b) => b.label)).toEqual([
      'Use this patient: Daniel Kim (ID 9)',
      'Use this patient: Daniela Kim (ID 10)',
      'Register as new',
      'Cancel',
    ]);
  });

  it('"Use this patient" shows that patient and creates nothing', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', danKim);
    const used = await press(out, /Daniel Kim/);
    expect(used.callback).toEqual({ type: 6 });
    expect(used.message?.content).toBe('Using the existing patient, ID 9. Nothing new was created.');
    expect(used.message?.embeds[0]?.title).toBe('Daniel Kim');
    expect(buttonsOf(used.message)).toEqual([]);
    expect(await patientCount()).toBe(before);
    // The choice is spent: pressing again says the buttons expired.
    const again = await h.discord.press(staff, out.message!, buttonsOf(out.message)[0]!.custom_id);
    expect(again.callback).toEqual({
      type: 7,
      data: expect.objectContaining({ content: EXPIRED, components: [] }),
    });
  });

  it('"Cancel" saves nothing', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', danKim);
    const cancelled = await press(out, /Cancel/);
    expect(cancelled.callback?.type).toBe(7);
    expect(cancelled.message?.content).toBe('Registration cancelled. Nothing was saved.');
    expect(cancelled.message?.embeds).toEqual([]);
    expect(await patientCount()).toBe(before);
  });

  it('"Register as new" for the same person shows the duplicate refusal with the existing patient', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', danKim);
    const refused = await press(out, /Register as new/);
    expect(refused.message?.content).toBe(
      'This patient is already registered (ID 9), so nothing new was created. Why: same last name, birthday, email and phone; Dan is short for Daniel. Here is the existing record:',
    );
    expect(refused.message?.embeds[0]?.title).toBe('Already registered: Daniel Kim');
    expect(textOf(refused.message)).not.toMatch(/error|BAD_REQUEST|400/i);
    expect(await patientCount()).toBe(before);
  });

  it('"Register as new" for a different person (same family phone, other birth date) creates them', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', {
      ...danKim,
      date_of_birth: '1/15/2019',
      first_name: 'Daniel',
    });
    expect(buttonsOf(out.message).map((b) => b.label)).toContain('Use this patient: Daniel Kim (ID 9)');
    const created = await press(out, /Register as new/);
    expect(created.message?.content).toMatch(
      /^Registered a new patient, ID \d+\. Book them with \/appointment book\.$/,
    );
    expect(created.message?.embeds[0]?.fields?.find((f) => f.name === 'Date of birth')?.value).toBe(
      'Jan 15, 2019',
    );
    expect(await patientCount()).toBe(before + 1);
  });

  it('only the staff member who ran the command can press its buttons', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', danKim);
    const other = await press(out, /Register as new/, otherStaff);
    expect(other.callback).toEqual({
      type: 4,
      data: expect.objectContaining({ content: NOT_YOUR_BUTTONS, flags: EPHEMERAL }),
    });
    const outsider = await press(out, /Register as new/, visitor);
    expect(outsider.callback?.data?.content).toBe(NOT_STAFF);
    expect(await patientCount()).toBe(before);
    // Still usable by its owner.
    expect((await press(out, /Cancel/)).message?.content).toBe('Registration cancelled. Nothing was saved.');
  });

  it('a button pressed after a few minutes says it expired and does nothing', async () => {
    const before = await patientCount();
    const out = await h.discord.run(staff, 'register', danKim);
    h.advance(SESSION_TTL_MS + 1);
    const stale = await press(out, /Register as new/);
    expect(stale.callback).toEqual({
      type: 7,
      data: expect.objectContaining({ content: EXPIRED, embeds: [], components: [] }),
    });
    expect(await patientCount()).toBe(before);
  });

  it('names bad fields before calling the API', async () => {
    const out = await h.discord.run(staff, 'register', {
      ...danKim,
      date_of_birth: '2/30/2001',
      phone: 'none',
    });
    expect(out.callback?.type).toBe(4);
    expect(out.callback?.data?.content).toBe(
      [
        'Please check these values and try again:',
        '• Date of birth is not a real date (2/30/2001)',
        '• Phone number is not a phone number we can dial (e.g. (212) 555-0101)',
      ].join('\n'),
    );
    expect(out.requests).toHaveLength(1);
  });

  it('refuses a provider who does not work at the location', async () => {
    const out = await h.discord.run(staff, 'register', { ...danKim, first_name: 'Zora', provider: 999 });
    expect(out.message?.content).toContain("The provider must be one of this office's providers");
  });
});

describe('who may use the bot', () => {
  it('refuses a member without the staff role, showing no patient data', async () => {
    const out = await h.discord.run(visitor, 'search', { name: 'Jon Smith' });
    expect(out.callback).toEqual({
      type: 4,
      data: expect.objectContaining({ content: NOT_STAFF, flags: EPHEMERAL, embeds: [] }),
    });
    expect(out.requests).toHaveLength(1);
    expect(JSON.stringify(out.requests)).not.toContain('Smith');
  });

  it('refuses another server and direct messages', async () => {
    for (const who of [elsewhere, inDm]) {
      const out = await h.discord.run(who, 'show', { id: 1 });
      expect(out.callback).toEqual({
        type: 4,
        data: expect.objectContaining({ content: NOT_IN_GUILD, flags: EPHEMERAL }),
      });
      expect(out.requests).toHaveLength(1);
    }
  });
});

describe('when the API cannot be reached', () => {
  let down: Harness;
  beforeAll(async () => {
    // A port nothing listens on: open one, note it, close it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    down = await startHarness({ apiUrl: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await down?.close();
  });

  it('answers with a short polite message and logs without patient data', async () => {
    const out = await down.discord.run(staff, 'search', { name: 'Jonathan Smith' });
    expect(out.callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(out.message?.content).toBe(
      'The patient service cannot be reached right now. Please try again in a few minutes.',
    );
    expect(down.log.entries).toEqual([
      {
        level: 'error',
        message: 'interaction failed',
        fields: expect.objectContaining({ what: '/patient search', failure: 'unreachable' }),
      },
    ]);
    expect(JSON.stringify(down.log.entries)).not.toMatch(/Jonathan|Smith/);
  });

  it('still answers a register and an autocomplete', async () => {
    const out = await down.discord.run(staff, 'register', {
      ...danKimLike(),
      email: 'dan@example.com',
      phone: '2125550109',
    });
    expect(out.message?.content).toBe(
      'The patient service cannot be reached right now. Please try again in a few minutes.',
    );
    expect(await down.discord.autocomplete(staff, 'register', { name: 'provider', value: 'chen' })).toEqual(
      [],
    );
    expect(down.standIn.callbackOf(down.standIn.requests.at(-1)!.path.split('/')[2]!)).toEqual({
      type: 8,
      data: { choices: [] },
    });
  });
});

function danKimLike() {
  return { first_name: 'Dan', last_name: 'Kim', date_of_birth: '2012-04-09', gender: 'Male', provider: 1 };
}

describe('privacy', () => {
  it('every reply the bot made in these tests was ephemeral', () => {
    expectAllRepliesEphemeral();
  });
});
