// /appointment book and /appointment list (issue 17, SPEC 5): book a patient with one of the location's
// providers at a day and time typed as staff say it, read in the practice's time zone; list a day. The
// first booking inserts the patient into the health record system: the answer says so, or says plainly
// why that system refused or could not be reached (then nothing is booked).
import { APPOINTMENT_NOTE_MAX, type Appointment, MAX_ID, type Patient, readSearchBox } from '@patients/core';
import {
  type APIEmbed,
  type APIEmbedField,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import { classifyApiError, errorCodeOf } from '../api';
import type { BotContext } from '../context';
import type { Display } from '../render/dates';
import { humanize } from '../render/fields';
import { displayName } from '../render/format';
import { badInput } from '../render/messages';
import { COLOURS, truncate } from '../render/view';
import { dayWindow, readDay, readWhen } from '../when';
import { providerChoices } from './register';
import { deferPrivately, replyPrivately, showView } from './reply';

const book = new SlashCommandSubcommandBuilder()
  .setName('book')
  .setDescription("Book a patient with one of this office's providers")
  .addIntegerOption((o) =>
    o
      .setName('patient')
      .setDescription('The patient (start typing a name, phone or birthday)')
      .setRequired(true)
      .setAutocomplete(true)
      .setMinValue(1)
      .setMaxValue(MAX_ID),
  )
  .addIntegerOption((o) =>
    o
      .setName('provider')
      .setDescription('The provider (start typing a name)')
      .setRequired(true)
      .setAutocomplete(true)
      .setMinValue(1)
      .setMaxValue(MAX_ID),
  )
  .addStringOption((o) =>
    o
      .setName('when')
      .setDescription("Day and time in the office's time zone: tomorrow 9:30am, 12/2/2026 14:00, friday 3pm")
      .setRequired(true)
      .setMaxLength(60),
  )
  .addStringOption((o) =>
    o.setName('note').setDescription('A short note for the appointment').setMaxLength(APPOINTMENT_NOTE_MAX),
  );

const list = new SlashCommandSubcommandBuilder()
  .setName('list')
  .setDescription("The office's appointments on one day")
  .addStringOption((o) =>
    o
      .setName('day')
      .setDescription('today (the default), tomorrow, friday, 12/2/2026, Dec 2')
      .setMaxLength(40),
  );

export const data = new SlashCommandBuilder()
  .setName('appointment')
  .setDescription("Book and list the office's appointments")
  .setContexts(InteractionContextType.Guild)
  .addSubcommand(book)
  .addSubcommand(list);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  if (sub === 'book') await executeBook(interaction, ctx);
  else if (sub === 'list') await executeList(interaction, ctx);
  else
    await replyPrivately(interaction, {
      content: `Unknown subcommand ${sub}. Please redeploy the bot's commands.`,
    });
}

/** The reason a health record system gave, without the API's lead-in ("The health record system refused ...: "). */
function reasonOf(messages: readonly string[]): string {
  const text = messages.map((m) => m.replace(/^The health record system refused [^:]*: /, '')).join(' ');
  return humanize(text).replace(/\.?$/, '.');
}

async function executeBook(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const patientId = interaction.options.getInteger('patient', true);
  const providerId = interaction.options.getInteger('provider', true);
  const whenText = interaction.options.getString('when', true);
  const note = interaction.options.getString('note')?.trim() || undefined;
  await deferPrivately(interaction);
  const d = await ctx.practice.display(interaction.guildLocale);
  const when = readWhen(whenText, new Date(), d.timeZone);
  if (!when.ok) {
    await showView(interaction, badInput([`${when.message}. ${d.zoneNote}`]));
    return;
  }
  const provider = (await ctx.practice.providers()).find((p) => p.id === providerId);
  if (!provider) {
    await showView(
      interaction,
      badInput(["The provider must be one of this office's providers: pick one from the list as you type"]),
    );
    return;
  }
  let patient: Patient;
  try {
    patient = await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: patientId });
  } catch (error) {
    if (classifyApiError(error)?.kind !== 'not_found') throw error;
    await showView(interaction, { content: `There is no patient with ID ${patientId} in this practice.` });
    return;
  }
  const who = `${displayName(patient)} (ID ${patient.id})`;
  const at = d.dateTime(when.value.toISOString());
  let appt: Appointment;
  try {
    ({ appt } = await ctx.api.appointments.book.mutate({
      subdomain: ctx.practice.subdomain,
      location_id: ctx.practice.locationId,
      appt: { patient_id: patient.id, provider_id: provider.id, start_time: when.value.toISOString(), note },
    }));
  } catch (error) {
    const failure = classifyApiError(error);
    const messages = failure && 'messages' in failure ? failure.messages : [];
    const nothing = `Nothing was booked and ${patient.first_name}'s record was not changed.`;
    switch (errorCodeOf(error)) {
      case 'hrs_refused':
        await showView(interaction, {
          content: `The practice's records system refused ${patient.foreign_id_type === 'nex' ? `to add ${who}` : 'this booking'}. ${nothing} Its reason: ${reasonOf(messages)}`,
        });
        return;
      case 'hrs_unreachable':
        await showView(interaction, {
          content: `The practice's records system could not be reached, so ${patient.foreign_id_type === 'nex' ? `${who} could not be added to it` : 'the booking could not be made there'}. ${nothing} Please try again in a few minutes.`,
        });
        return;
      case 'conflict':
        await showView(interaction, {
          content: `${provider.name} already has an appointment at ${at}. Nothing was booked: please pick another time.`,
        });
        return;
      default:
        throw error;
    }
  }
  // Read the patient again: the first booking inserts them (SPEC 5), which is worth saying.
  const after = await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: patient.id });
  const inserted =
    patient.foreign_id_type === 'nex' && after.foreign_id_type !== 'nex'
      ? ` This is ${patient.first_name}'s first booking, so ${patient.first_name} was added to the practice's records now.`
      : '';
  await showView(interaction, {
    content: `Booked ${who} with ${provider.name} on ${at}.${inserted}`,
    embeds: [appointmentEmbed(appt, after, d)],
  });
}

function appointmentEmbed(appt: Appointment, patient: Patient, d: Display): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Patient', value: `${displayName(patient)} (ID ${patient.id})`, inline: true },
    { name: 'Provider', value: appt.provider_name, inline: true },
    { name: 'When', value: `${d.dateTime(appt.start_time)} to ${d.time(appt.end_time)}` },
  ];
  if (appt.note) fields.push({ name: 'Note', value: truncate(appt.note, 1024), inline: false });
  return {
    title: `Appointment ${appt.id}`,
    color: COLOURS.success,
    fields,
    footer: { text: d.zoneNote },
  };
}

/** How many appointments a day's list shows. */
export const MAX_LISTED = 25;

async function executeList(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const dayText = interaction.options.getString('day')?.trim() || 'today';
  await deferPrivately(interaction);
  const d = await ctx.practice.display(interaction.guildLocale);
  const day = readDay(dayText, new Date(), d.timeZone);
  if (!day.ok) {
    await showView(interaction, badInput([day.message]));
    return;
  }
  const { start, end } = dayWindow(day.value, d.timeZone);
  const { appointments, count } = await ctx.api.appointments.list.query({
    subdomain: ctx.practice.subdomain,
    location_id: ctx.practice.locationId,
    start: start.toISOString(),
    end: end.toISOString(),
    cancelled: false,
    per_page: MAX_LISTED,
  });
  const dayName = d.day(start.toISOString());
  if (appointments.length === 0) {
    await showView(interaction, { content: `No appointments on ${dayName}.` });
    return;
  }
  // Names for the list: one read per patient on it (the list has ids only).
  const ids = [...new Set(appointments.map((a) => a.patient_id))];
  const patients = new Map(
    (
      await Promise.all(
        ids.map((id) => ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id })),
      )
    ).map((p) => [p.id, p]),
  );
  const sorted = [...appointments].sort((a, b) => a.start_time.localeCompare(b.start_time));
  const lines = sorted.map((a) => {
    const p = patients.get(a.patient_id);
    const name = p ? displayName(p) : 'a patient';
    return `**${d.time(a.start_time)}–${d.time(a.end_time)}** ${name} (ID ${a.patient_id}) · ${a.provider_name}${a.confirmed ? ' · confirmed' : ''}`;
  });
  if (count > sorted.length) lines.push(`… and ${count - sorted.length} more`);
  await showView(interaction, {
    embeds: [
      {
        title: `Appointments on ${dayName}`,
        color: COLOURS.info,
        description: truncate(lines.join('\n'), 4096),
        footer: { text: `${count === 1 ? '1 appointment' : `${count} appointments`} · ${d.zoneNote}` },
      },
    ],
  });
}

/** Patient choices as staff type: a name, phone, email or birthday (the search box), or an ID. */
async function patientChoices(
  ctx: BotContext,
  typed: string,
  locale: string | null,
): Promise<Array<{ name: string; value: number }>> {
  const text = typed.trim();
  if (text === '') return [];
  const d = await ctx.practice.display(locale);
  const choice = (p: Patient) => ({
    name: truncate(`${displayName(p)} · born ${d.date(p.bio.date_of_birth)} · ID ${p.id}`, 100),
    value: p.id,
  });
  if (/^\d{1,9}$/.test(text)) {
    try {
      return [
        choice(await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: Number(text) })),
      ];
    } catch (error) {
      if (classifyApiError(error)?.kind === 'not_found') return [];
      throw error;
    }
  }
  // While a date is half typed the box cannot read it yet: offer nothing rather than an error.
  if (!readSearchBox(text).ok) return [];
  const { patients } = await ctx.api.patients.search.query({
    subdomain: ctx.practice.subdomain,
    location_id: ctx.practice.locationId,
    q: text,
    per_page: 10,
  });
  return patients.map(choice);
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (interaction.options.getSubcommand(false) !== 'book') {
    await interaction.respond([]);
    return;
  }
  if (focused.name === 'provider')
    await interaction.respond(await providerChoices(ctx, String(focused.value)));
  else if (focused.name === 'patient')
    await interaction.respond(await patientChoices(ctx, String(focused.value), interaction.guildLocale));
  else await interaction.respond([]);
}
