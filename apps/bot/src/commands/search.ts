// /patient search: find patients by any of name, email, phone, date of birth; pages of ten with buttons.

import { readSearchBox } from '@patients/core';
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../context';
import { collect, parseDateOfBirth, parseEmail, parsePhone } from '../input';
import { badInput } from '../render/messages';
import { SEARCH_PAGE_SIZE, type SearchCriteria, type SearchPage, searchResultsView } from '../render/search';
import { deferPrivately, replyPrivately, showView } from './reply';

export const data = new SlashCommandSubcommandBuilder()
  .setName('search')
  .setDescription('Find patients by name, email, phone or date of birth (any of them)')
  .addStringOption((o) =>
    o
      .setName('query')
      .setDescription('Everything you know, in one line: jon smith 5/3/1964, a phone, an email')
      .setMaxLength(200),
  )
  .addStringOption((o) =>
    o.setName('name').setDescription('Full or partial name; nicknames and typos are fine').setMaxLength(200),
  )
  .addStringOption((o) => o.setName('email').setDescription('Email address').setMaxLength(254))
  .addStringOption((o) => o.setName('phone').setDescription('Phone number, any format').setMaxLength(40))
  .addStringOption((o) =>
    o.setName('date_of_birth').setDescription('Date of birth: 5/3/1964 or May 3, 1964').setMaxLength(20),
  )
  .addBooleanOption((o) =>
    o.setName('details').setDescription('Also show how close each match is (as a percentage)'),
  );

export const NO_CRITERIA =
  'Please give a query (for example `/patient search query:jon smith 5/3/1964`), or one of `name`, `email`, `phone`, `date_of_birth`.';

export const QUERY_ALONE =
  'Use `query` on its own (it holds everything: name, phone, email, date of birth), or the separate options without it.';

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const query = interaction.options.getString('query')?.trim() || undefined;
  const name = interaction.options.getString('name')?.trim() || undefined;
  const email = interaction.options.getString('email')?.trim() || undefined;
  const phone = interaction.options.getString('phone')?.trim() || undefined;
  const dob = interaction.options.getString('date_of_birth')?.trim() || undefined;
  const details = interaction.options.getBoolean('details') ?? false;
  if (!query && !name && !email && !phone && !dob) {
    await replyPrivately(interaction, { content: NO_CRITERIA });
    return;
  }
  if (query) {
    if (name || email || phone || dob) {
      await replyPrivately(interaction, { content: QUERY_ALONE });
      return;
    }
    // Read here as the API reads it (core's rule), so a part it cannot read is said before any call.
    const box = readSearchBox(query);
    if (!box.ok) {
      await replyPrivately(
        interaction,
        badInput(box.problems.map((p) => p.replace(' in q ', ' ').replace(/^q holds/, 'The query holds'))),
      );
      return;
    }
    await runSearch(interaction, ctx, { q: query }, details);
    return;
  }
  const parsed = collect({
    email: email === undefined ? undefined : parseEmail(email),
    phone_number: phone === undefined ? undefined : parsePhone(phone),
    date_of_birth: dob === undefined ? undefined : parseDateOfBirth(dob),
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, badInput(parsed.messages));
    return;
  }
  await runSearch(interaction, ctx, { name, ...parsed.values }, details);
}

async function runSearch(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  criteria: SearchCriteria,
  details: boolean,
): Promise<void> {
  await deferPrivately(interaction);
  const [result, d] = await Promise.all([
    searchPage(ctx, criteria, 1),
    ctx.practice.display(interaction.guildLocale),
  ]);
  const session =
    result.count > SEARCH_PAGE_SIZE
      ? ctx.sessions.create(interaction.user.id, { kind: 'search', criteria, details })
      : undefined;
  await showView(interaction, searchResultsView(criteria, result, d, session, details));
}

/** A paging button: the same search, another page, in the same message. */
export async function showPage(
  interaction: ButtonInteraction,
  ctx: BotContext,
  criteria: SearchCriteria,
  page: number,
  session: string,
  details: boolean,
): Promise<void> {
  await interaction.deferUpdate();
  const [result, d] = await Promise.all([
    searchPage(ctx, criteria, Math.max(1, page)),
    ctx.practice.display(interaction.guildLocale),
  ]);
  await showView(interaction, searchResultsView(criteria, result, d, session, details));
}

async function searchPage(ctx: BotContext, criteria: SearchCriteria, page: number): Promise<SearchPage> {
  const { patients, count } = await ctx.api.patients.search.query({
    subdomain: ctx.practice.subdomain,
    location_id: ctx.practice.locationId,
    ...criteria,
    page,
    per_page: SEARCH_PAGE_SIZE,
  });
  return { patients, count, page };
}
