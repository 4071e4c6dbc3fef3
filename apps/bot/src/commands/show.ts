import { type ChatInputCommandInteraction, SlashCommandSubcommandBuilder } from 'discord.js';
import { classifyApiError } from '../api';
import type { BotContext } from '../context';
import { patientRecordEmbed } from '../render/patient';
import { patientIdOption } from './options';
import { deferPrivately, showView } from './reply';

export const data = new SlashCommandSubcommandBuilder()
  .setName('show')
  .setDescription("Show a patient's full record and upcoming appointments")
  .addIntegerOption(patientIdOption);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const id = interaction.options.getInteger('id', true);
  await deferPrivately(interaction);
  const [patient, display] = await Promise.allSettled([
    ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id }),
    ctx.practice.display(interaction.guildLocale),
  ]);
  if (patient.status === 'rejected') {
    if (classifyApiError(patient.reason)?.kind === 'not_found') {
      await showView(interaction, { content: `There is no patient with ID ${id} in this practice.` });
      return;
    }
    throw patient.reason;
  }
  if (display.status === 'rejected') throw display.reason;
  await showView(interaction, { embeds: [patientRecordEmbed(patient.value, display.value)] });
}
