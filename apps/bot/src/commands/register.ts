// /patient register, the safe workflow (SPEC 10): search first; when likely matches exist, staff pick one
// or confirm a new registration; the API's duplicate refusal is shown with the existing patient.
import { GENDERS, type Gender, MAX_ID, type Patient } from '@patients/core';
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import { existingMatchOf, isDuplicateRefusal } from '../api';
import type { BotContext } from '../context';
import { collect, parseDateOfBirth, parseEmail, parseName, parsePhone } from '../input';
import { likelyMatches } from '../matching';
import { badInput, UNKNOWN_BUTTON } from '../render/messages';
import {
  CANCELLED,
  duplicateRefusedView,
  type NewPatient,
  possibleMatchesView,
  registeredView,
  usingExistingView,
} from '../render/register';
import { truncate } from '../render/view';
import { deferPrivately, replyPrivately, showView } from './reply';

export const data = new SlashCommandSubcommandBuilder()
  .setName('register')
  .setDescription('Register a new patient (checks for an existing record first)')
  .addStringOption((o) =>
    o.setName('first_name').setDescription('Legal first name').setRequired(true).setMaxLength(100),
  )
  .addStringOption((o) =>
    o.setName('last_name').setDescription('Legal last name').setRequired(true).setMaxLength(100),
  )
  .addStringOption((o) =>
    o
      .setName('date_of_birth')
      .setDescription('Date of birth: 1964-05-03 or 5/3/1964')
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
  // Email and phone are optional here on purpose: a practice that opted in to defaults (SPEC 4.3) may leave
  // them out, and for one that has not, the API's own message ("email is required") is shown.
  .addStringOption((o) => o.setName('email').setDescription('Email address').setMaxLength(254))
  .addStringOption((o) => o.setName('phone').setDescription('Phone number, any format').setMaxLength(40))
  .addStringOption((o) => o.setName('middle_name').setDescription('Middle name').setMaxLength(100))
  .addStringOption((o) =>
    o.setName('preferred_name').setDescription('Name the patient goes by, e.g. Bob').setMaxLength(100),
  );

/** How many search results are looked at for likely matches. */
const CANDIDATES = 25;

function optional(interaction: ChatInputCommandInteraction, name: string): string | undefined {
  return interaction.options.getString(name)?.trim() || undefined;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const gender = interaction.options.getString('gender', true);
  const email = optional(interaction, 'email');
  const phone = optional(interaction, 'phone');
  const middle = optional(interaction, 'middle_name');
  const preferred = optional(interaction, 'preferred_name');
  const parsed = collect({
    first_name: parseName(interaction.options.getString('first_name', true), 'first_name'),
    last_name: parseName(interaction.options.getString('last_name', true), 'last_name'),
    date_of_birth: parseDateOfBirth(interaction.options.getString('date_of_birth', true)),
    gender: (GENDERS as readonly string[]).includes(gender)
      ? { ok: true as const, value: gender as Gender }
      : { ok: false as const, message: `gender must be one of ${GENDERS.join(', ')}` },
    email: email === undefined ? undefined : parseEmail(email),
    phone_number: phone === undefined ? undefined : parsePhone(phone),
    middle_name: middle === undefined ? undefined : parseName(middle, 'middle_name'),
    preferred_name: preferred === undefined ? undefined : parseName(preferred, 'preferred_name'),
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, badInput(parsed.messages));
    return;
  }
  const entered: NewPatient = {
    ...parsed.values,
    provider_id: interaction.options.getInteger('provider', true),
  };

  await deferPrivately(interaction);
  const providers = await ctx.practice.providers();
  if (!providers.some((p) => p.id === entered.provider_id)) {
    await showView(
      interaction,
      badInput([`provider must be one of this office's providers: pick one from the list as you type`]),
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
  await showView(interaction, possibleMatchesView(entered, matches, session));
}

/** A press on "Use this patient", "Register as new" or "Cancel" (owner and expiry already checked). */
export async function handleChoice(
  interaction: ButtonInteraction,
  ctx: BotContext,
  choice: { action: 'use'; patientId: number } | { action: 'new' } | { action: 'cancel' },
  session: string,
  state: { entered: NewPatient; matchIds: number[] },
): Promise<void> {
  if (choice.action === 'cancel') {
    ctx.sessions.delete(session);
    await interaction.update({ ...CANCELLED, content: CANCELLED.content ?? '' });
    return;
  }
  if (choice.action === 'use' && !state.matchIds.includes(choice.patientId)) {
    await replyPrivately(interaction, { content: UNKNOWN_BUTTON });
    return;
  }
  // One press only: a second press (or a double click) finds the session gone and is told it expired.
  ctx.sessions.delete(session);
  await interaction.deferUpdate();
  if (choice.action === 'use') {
    const [patient, timeZone] = await Promise.all([
      ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: choice.patientId }),
      ctx.practice.timeZone(),
    ]);
    await showView(interaction, usingExistingView(patient, timeZone));
    return;
  }
  await createAndShow(interaction, ctx, state.entered);
}

async function createAndShow(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: BotContext,
  entered: NewPatient,
): Promise<void> {
  const input = {
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
  };
  let created: Patient;
  try {
    created = (await ctx.api.patients.create.mutate({ ...input, return_existing_if_match: false })).user;
  } catch (error) {
    if (!isDuplicateRefusal(error)) throw error;
    // The refusal names the patient it matched and why (SPEC 4.3): open that record for staff.
    const match = existingMatchOf(error);
    const existing =
      match?.id != null
        ? await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: match.id })
        : null;
    await showView(interaction, duplicateRefusedView(existing, await ctx.practice.timeZone(), match));
    return;
  }
  await showView(interaction, registeredView(created, await ctx.practice.timeZone()));
}

/** Provider choices for the `provider` option: the location's providers whose name contains what was typed. */
export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'provider') {
    await interaction.respond([]);
    return;
  }
  const typed = String(focused.value).trim().toLowerCase();
  const providers = await ctx.practice.providers();
  const choices = providers
    .filter((p) => typed === '' || p.name.toLowerCase().includes(typed) || String(p.id) === typed)
    .slice(0, 25)
    .map((p) => ({ name: truncate(p.name, 100), value: p.id }));
  await interaction.respond(choices);
}
