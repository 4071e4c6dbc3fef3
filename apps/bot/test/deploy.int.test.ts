// Deploying the commands: the exact request Discord's REST API receives.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deployCommands } from '../src/deploy-commands';
import { type DiscordStandIn, startDiscordStandIn } from '../src/local/discordStandIn';

let standIn: DiscordStandIn;
beforeAll(async () => {
  standIn = await startDiscordStandIn({ applicationId: '123456789012345678', channelId: '1' });
});
afterAll(async () => {
  await standIn?.close();
});

const str = (name: string, description: string, extra: Record<string, unknown> = {}) => ({
  type: 3,
  name,
  description,
  required: false,
  ...extra,
});

/** A required whole-number id option. */
const id = (name: string, description: string) => ({
  type: 4,
  name,
  description,
  required: true,
  min_value: 1,
  max_value: 2_147_483_647,
});

const EXPECTED = [
  {
    type: 1,
    name: 'patient',
    description: "Find, show, register and complete the practice's patients",
    contexts: [0],
    options: [
      {
        type: 1,
        name: 'search',
        description: 'Find patients by name, email, phone or date of birth (any of them)',
        options: [
          str('query', 'Everything you know, in one line: jon smith 5/3/1964, a phone, an email', {
            max_length: 200,
          }),
          str('name', 'Full or partial name; nicknames and typos are fine', { max_length: 200 }),
          str('email', 'Email address', { max_length: 254 }),
          str('phone', 'Phone number, any format', { max_length: 40 }),
          str('date_of_birth', 'Date of birth: 5/3/1964 or May 3, 1964', { max_length: 20 }),
          {
            type: 5,
            name: 'details',
            description: 'Also show how close each match is (as a percentage)',
            required: false,
          },
        ],
      },
      {
        type: 1,
        name: 'show',
        description: "Show a patient's full record and upcoming appointments",
        options: [
          {
            type: 4,
            name: 'id',
            description: 'Patient ID (from /patient search)',
            required: true,
            min_value: 1,
            max_value: 2_147_483_647,
          },
        ],
      },
      {
        type: 1,
        name: 'register',
        description: 'Register a new patient (asks for contact details, then checks for an existing record)',
        options: [
          str('first_name', 'Legal first name', { required: true, max_length: 100 }),
          str('last_name', 'Legal last name', { required: true, max_length: 100 }),
          str('date_of_birth', 'Date of birth: 5/3/1964 or May 3, 1964', { required: true, max_length: 20 }),
          str('gender', 'Gender', {
            required: true,
            autocomplete: undefined,
            choices: [
              { name: 'Male', value: 'Male' },
              { name: 'Female', value: 'Female' },
              { name: 'Other', value: 'Other' },
            ],
          }),
          {
            type: 4,
            name: 'provider',
            description: "The patient's provider (start typing a name)",
            required: true,
            autocomplete: true,
            min_value: 1,
            max_value: 2_147_483_647,
          },
          str('email', 'Email address', { max_length: 254 }),
          str('phone', 'Phone number, any format', { max_length: 40 }),
          str('middle_name', 'Middle name', { max_length: 100 }),
          str('preferred_name', 'Name the patient goes by, e.g. Bob', { max_length: 100 }),
        ],
      },
      {
        type: 1,
        name: 'complete',
        description: "Fill in a patient's details that came from the practice's defaults",
        options: [{ ...id('id', 'Patient ID (from /patient search)') }],
      },
    ],
  },
  {
    type: 1,
    name: 'appointment',
    description: "Book and list the office's appointments",
    contexts: [0],
    options: [
      {
        type: 1,
        name: 'book',
        description: "Book a patient with one of this office's providers",
        options: [
          { ...id('patient', 'The patient (start typing a name, phone or birthday)'), autocomplete: true },
          { ...id('provider', 'The provider (start typing a name)'), autocomplete: true },
          str(
            'when',
            "Day and time in the office's time zone: tomorrow 9:30am, 12/2/2026 14:00, friday 3pm",
            {
              required: true,
              max_length: 60,
            },
          ),
          str('note', 'A short note for the appointment', { max_length: 128 }),
        ],
      },
      {
        type: 1,
        name: 'list',
        description: "The office's appointments on one day",
        options: [str('day', 'today (the default), tomorrow, friday, 12/2/2026, Dec 2', { max_length: 40 })],
      },
    ],
  },
];

it('PUTs the command definitions to the guild commands route with the bot token', async () => {
  const deployed = await deployCommands({
    token: 'test-token',
    applicationId: '123456789012345678',
    guildId: '876543210987654321',
    apiBase: standIn.apiBase,
  });
  expect(standIn.requests).toHaveLength(1);
  const [request] = standIn.requests;
  expect(request!.method).toBe('PUT');
  expect(request!.path).toBe('/applications/123456789012345678/guilds/876543210987654321/commands');
  expect(request!.authorization).toBe('Bot test-token');
  // JSON drops undefined fields; compare what was actually sent.
  expect(request!.body).toEqual(JSON.parse(JSON.stringify(EXPECTED)));
  expect(deployed.map((c) => c.name)).toEqual(['patient', 'appointment']);
});
