// /patient register, the safe workflow (SPEC 10, issue 17): ask for everything first (options, then a form
// for the contact details when the options left them out), check it all locally with core's rules and
// schema, and only then search for likely matches; staff pick one or confirm a new registration; the
// API's duplicate refusal is shown with the existing patient.
import { createPatientInput, GENDERS, type Gender, MAX_ID, type Patient } from '@patients/core';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import { existingMatchOf, isDuplicateRefusal } from '../api';
import type { BotContext } from '../context';
import { collect, type Parsed, parseDateOfBirth, parseEmail, parseName, parsePhone } from '../input';
import { likelyMatches } from '../matching';
import { FIELD_LABELS, fieldWords, humanize } from '../render/fields';
import { badInput, UNKNOWN_BUTTON } from '../render/messages';
import {
  CANCELLED,
  duplicateRefusedView,
  missingDetailsView,
  type NewPatient,
  type PartialPatient,
  possibleMatchesView,
  registeredView,
  registerFormModal,
  usingExistingView,
} from '../render/register';
import { truncate } from '../render/view';
import { deferPrivately, type Repliable, replyPrivately, showView } from './reply';

export const data = new SlashCommandSubcommandBuilder()
  .setName('register')
  .setDescription('Register a new patient (asks for contact details, then checks for an existing record)')
  .addStringOption((o) =>
    o.setName('first_name').setDescription('Legal first name').setRequired(true).setMaxLength(100),
  )
  .addStringOption((o) =>
    o.setName('last_name').setDescription('Legal last name').setRequired(true).setMaxLength(100),
  )
  .addStringOption((o) =>
    o
      .setName('date_of_birth')
      .setDescription('Date of birth: 5/3/1964 or May 3, 1964')
      .setRequired(true)
      .setMaxLength(20),
  )
  .addStringOption((o) =>
    o
      .setName('gender')
      .setDescription('Gender')
      .setRequired(true)
      .addChoices(...GENDERS.map((g) => ({ name: g, value: g }))),
  )
  .addIntegerOption((o) =>
    o
      .setName('provider')
      .setDescription("The patient's provider (start typing a name)")
      .setRequired(true)
      .setAutocomplete(true)
      .setMinValue(1)
      .setMaxValue(MAX_ID),
  )
  // Given here, the form is skipped; left out, the form asks for them before anything is searched.
  .addStringOption((o) => o.setName('email').setDescription('Email address').setMaxLength(254))
  .addStringOption((o) => o.setName('phone').setDescription('Phone number, any format').setMaxLength(40))
  .addStringOption((o) => o.setName('middle_name').setDescription('Middle name').setMaxLength(100))
  .addStringOption((o) =>
    o.setName('preferred_name').setDescription('Name the patient goes by, e.g. Bob').setMaxLength(100),
  );

/** How many search results are looked at for likely matches. */
const CANDIDATES = 25;

const optionalParse = (value: string | undefined, parse: (v: string) => Parsed<string>) =>
  value === undefined ? undefined : parse(value);

function optional(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  return interaction.options.getString(name)?.trim() || undefined;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const gender = interaction.options.getString('gender', true);
  const parsed = collect({
    first_name: parseName(interaction.options.getString('first_name', true), 'First name'),
    last_name: parseName(interaction.options.getString('last_name', true), 'Last name'),
    date_of_birth: parseDateOfBirth(interaction.options.getString('date_of_birth', true)),
    gender: (GENDERS as readonly string[]).includes(gender)
      ? { ok: true as const, value: gender as Gender }
      : { ok: false as const, message: `Gender must be one of ${GENDERS.join(', ')}` },
    email: optionalParse(optional(interaction, 'email'), (v) => parseEmail(v)),
    phone_number: optionalParse(optional(interaction, 'phone'), (v) => parsePhone(v)),
    middle_name: optionalParse(optional(interaction, 'middle_name'), (v) => parseName(v, 'Middle name')),
    preferred_name: optionalParse(optional(interaction, 'preferred_name'), (v) =>
      parseName(v, 'Preferred name'),
    ),
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, badInput(parsed.messages));
    return;
  }
  const partial: PartialPatient = {
    ...parsed.values,
    provider_id: interaction.options.getInteger('provider', true),
  };
  if (partial.email && partial.phone_number) {
    await deferPrivately(interaction);
    await screenAndRegister(interaction, ctx, partial);
    return;
  }
  // The form is the answer to the command itself (Discord allows a modal only as the first answer), so
  // nothing is called before it; what the options gave waits in a session until it is submitted.
  const session = ctx.sessions.create(interaction.user.id, { kind: 'register-form', partial });
  await interaction.showModal(registerFormModal(session, partial));
}

/** The registration form was submitted: check it, then screen (or say what is still missing). */
export async function submitForm(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  session: string,
  partial: PartialPatient,
): Promise<void> {
  ctx.sessions.delete(session);
  const field = (id: string) => interaction.fields.getTextInputValue(id).trim() || undefined;
  const parsed = collect({
    email: optionalParse(field('email'), (v) => parseEmail(v)),
    phone_number: optionalParse(field('phone_number'), (v) => parsePhone(v)),
    middle_name: optionalParse(field('middle_name'), (v) => parseName(v, 'Middle name')),
    preferred_name: optionalParse(field('preferred_name'), (v) => parseName(v, 'Preferred name')),
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, {
      content: `${badInput(parsed.messages).content}\nNothing was saved; run /patient register again.`,
    });
    return;
  }
  const entered: NewPatient = { ...partial, ...parsed.values };
  const missing = (['email', 'phone_number'] as const).filter((f) => !entered[f]);
  if (missing.length) {
    const next = ctx.sessions.create(interaction.user.id, { kind: 'register', entered, matchIds: [] });
    await replyPrivately(interaction, missingDetailsView(missing.map(fieldWords), next));
    return;
  }
  await deferPrivately(interaction);
  await screenAndRegister(interaction, ctx, entered);
}

function createInput(ctx: BotContext, entered: NewPatient) {
  return {
    subdomain: ctx.practice.subdomain,
    location_id: ctx.practice.locationId,
    provider: { provider_id: entered.provider_id },
    patient: {
      first_name: entered.first_name,
      last_name: entered.last_name,
      middle_name: entered.middle_name,
      preferred_name: entered.preferred_name,
      email: entered.email,
      bio: {
        date_of_birth: entered.date_of_birth,
        gender: entered.gender,
        phone_number: entered.phone_number,
      },
    },
    return_existing_if_match: false,
  };
}

/** The create as the API will check it (core's schema), each problem named for people; [] when it passes. */
export function localProblems(input: unknown): string[] {
  const result = createPatientInput.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const last = String(issue.path.at(-1) ?? '');
    return humanize(`${FIELD_LABELS[last] ? last : issue.path.join('.')} ${issue.message}`);
  });
}

/**
 * Everything is known and checked: search for likely matches, then show them or register at once.
 * `interaction` has been deferred (or, for a button, deferred as an update).
 */
async function screenAndRegister(
  interaction: Repliable,
  ctx: BotContext,
  entered: NewPatient,
): Promise<void> {
  const input = createInput(ctx, entered);
  const problems = localProblems(input);
  if (problems.length) {
    await showView(interaction, badInput(problems));
    return;
  }
  const providers = await ctx.practice.providers();
  if (!providers.some((p) => p.id === entered.provider_id)) {
    await showView(
      interaction,
      badInput(["The provider must be one of this office's providers: pick one from the list as you type"]),
    );
    return;
  }
  const { patients } = await ctx.api.patients.search.query({
    subdomain: ctx.practice.subdomain,
    location_id: ctx.practice.locationId,
    name: `${entered.first_name} ${entered.last_name}`,
    date_of_birth: entered.date_of_birth,
    email: entered.email,
    phone_number: entered.phone_number,
    per_page: CANDIDATES,
  });
  const matches = likelyMatches(entered, patients);
  if (matches.length === 0) {
    await createAndShow(interaction, ctx, entered);
    return;
  }
  const session = ctx.sessions.create(interaction.user.id, {
    kind: 'register',
    entered,
    matchIds: matches.map((m) => m.id),
  });
  const d = await ctx.practice.display(interaction.guildLocale);
  await showView(interaction, possibleMatchesView(entered, matches, session, d));
}

/** A press on "Use this patient", "Register as new", "Register without it" or "Cancel". */
export async function handleChoice(
  interaction: ButtonInteraction,
  ctx: BotContext,
  choice:
    | { action: 'use'; patientId: number }
    | { action: 'new' }
    | { action: 'screen' }
    | { action: 'cancel' }
    | { action: 'fill' },
  session: string,
  state: { entered: NewPatient; matchIds: number[] },
): Promise<void> {
  if (choice.action === 'cancel') {
    ctx.sessions.delete(session);
    await interaction.update({ ...CANCELLED, content: CANCELLED.content ?? '' });
    return;
  }
  if (choice.action === 'fill' || (choice.action === 'use' && !state.matchIds.includes(choice.patientId))) {
    await replyPrivately(interaction, { content: UNKNOWN_BUTTON });
    return;
  }
  // One press only: a second press (or a double click) finds the session gone and is told it expired.
  ctx.sessions.delete(session);
  await interaction.deferUpdate();
  if (choice.action === 'screen') {
    await screenAndRegister(interaction, ctx, state.entered);
    return;
  }
  if (choice.action === 'use') {
    const [patient, d] = await Promise.all([
      ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: choice.patientId }),
      ctx.practice.display(interaction.guildLocale),
    ]);
    await showView(interaction, usingExistingView(patient, d));
    return;
  }
  await createAndShow(interaction, ctx, state.entered);
}

async function createAndShow(interaction: Repliable, ctx: BotContext, entered: NewPatient): Promise<void> {
  let created: Patient;
  try {
    created = (await ctx.api.patients.create.mutate(createInput(ctx, entered))).user;
  } catch (error) {
    if (!isDuplicateRefusal(error)) throw error;
    // The refusal names the patient it matched and why (SPEC 4.3): open that record for staff.
    const match = existingMatchOf(error);
    const existing =
      match?.id != null
        ? await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: match.id })
        : null;
    await showView(
      interaction,
      duplicateRefusedView(existing, await ctx.practice.display(interaction.guildLocale), match),
    );
    return;
  }
  await showView(interaction, registeredView(created, await ctx.practice.display(interaction.guildLocale)));
}

/** Provider choices for a `provider` option: the location's providers whose name contains what was typed. */
export async function providerChoices(
  ctx: BotContext,
  typed: string,
): Promise<Array<{ name: string; value: number }>> {
  const text = typed.trim().toLowerCase();
  const providers = await ctx.practice.providers();
  return providers
    .filter((p) => text === '' || p.name.toLowerCase().includes(text) || String(p.id) === text)
    .slice(0, 25)
    .map((p) => ({ name: truncate(p.name, 100), value: p.id }));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'provider') {
    await interaction.respond([]);
    return;
  }
  await interaction.respond(await providerChoices(ctx, String(focused.value)));
}
