// /patient complete: a patient registered with the practice's defaults (SPEC 4.3, `demographics_defaulted`)
// gets the real values, through a form, once staff have asked. An edit is allowed only before the patient
// is inserted into the health record system (SPEC 4.5); after that the API's answer says why not.
import { GENDERS, type Gender, type Patient, type patientEditInput } from '@patients/core';
import {
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  ComponentType,
  type ModalSubmitInteraction,
  SlashCommandSubcommandBuilder,
  TextInputStyle,
} from 'discord.js';
import type { z } from 'zod';
import { classifyApiError, errorCodeOf, existingMatchOf, isDuplicateRefusal } from '../api';
import type { BotContext } from '../context';
import { collect, type Parsed, parseDateOfBirth, parseEmail, parsePhone } from '../input';
import { buttonId, modalId } from '../render/customIds';
import { FIELD_LABELS, humanize } from '../render/fields';
import { andList, displayName, fieldLabel } from '../render/format';
import { badInput } from '../render/messages';
import { patientRecordEmbed } from '../render/patient';
import { duplicateRefusedView } from '../render/register';
import { COLOURS } from '../render/view';
import { patientIdOption } from './options';
import { deferPrivately, replyPrivately, showView } from './reply';

export const data = new SlashCommandSubcommandBuilder()
  .setName('complete')
  .setDescription("Fill in a patient's details that came from the practice's defaults")
  .addIntegerOption(patientIdOption);

/** The fields the form can fill, in the order it asks them. */
const COMPLETABLE = ['email', 'phone_number', 'date_of_birth', 'gender'] as const;
type Completable = (typeof COMPLETABLE)[number];

const PLACEHOLDER: Record<Completable, string> = {
  email: 'jane@example.com',
  phone_number: '(212) 555-0101',
  date_of_birth: '5/3/1964 or May 3, 1964',
  gender: 'Male, Female or Other',
};

export const NOT_EDITABLE_HERE =
  "so their details can no longer be changed from Discord: please update them in the practice's records system.";

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const id = interaction.options.getInteger('id', true);
  await deferPrivately(interaction);
  let patient: Patient;
  try {
    patient = await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id });
  } catch (error) {
    if (classifyApiError(error)?.kind !== 'not_found') throw error;
    await showView(interaction, { content: `There is no patient with ID ${id} in this practice.` });
    return;
  }
  const d = await ctx.practice.display(interaction.guildLocale);
  const who = `${displayName(patient)} (ID ${patient.id})`;
  if (patient.foreign_id_type !== 'nex') {
    await showView(interaction, {
      content: `${who} is already in the practice's records, ${NOT_EDITABLE_HERE}`,
    });
    return;
  }
  const fields = COMPLETABLE.filter((f) => patient.demographics_defaulted.includes(f));
  if (fields.length === 0) {
    await showView(interaction, {
      content: `Nothing to complete for ${who}: none of their details came from the practice's defaults.`,
      embeds: [patientRecordEmbed(patient, d)],
    });
    return;
  }
  const session = ctx.sessions.create(interaction.user.id, {
    kind: 'complete',
    patientId: patient.id,
    fields,
  });
  await showView(interaction, {
    content: `${who}: ${andList(fields.map(fieldLabel))} ${fields.length === 1 ? 'was' : 'were'} filled from the practice's defaults. Ask the patient, then press **Fill in**.`,
    embeds: [patientRecordEmbed(patient, d)],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: 'Fill in',
            custom_id: buttonId({ action: 'fill', session }),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Cancel',
            custom_id: buttonId({ action: 'cancel', session }),
          },
        ],
      },
    ],
  });
}

export function completeModal(
  session: string,
  fields: readonly string[],
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: modalId({ action: 'complete', session }),
    title: 'Complete the record',
    components: COMPLETABLE.filter((f) => fields.includes(f)).map((f) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: f,
          label: FIELD_LABELS[f]!,
          style: TextInputStyle.Short,
          // Staff may know only some of them yet: what is left empty stays flagged.
          required: false,
          max_length: f === 'email' ? 254 : 40,
          placeholder: PLACEHOLDER[f],
        },
      ],
    })),
  };
}

/** "Fill in" opens the form; "Cancel" changes nothing. The session stays until the form is sent. */
export async function handleChoice(
  interaction: ButtonInteraction,
  ctx: BotContext,
  action: 'fill' | 'cancel',
  session: string,
  state: { fields: string[] },
): Promise<void> {
  if (action === 'cancel') {
    ctx.sessions.delete(session);
    await interaction.update({ content: 'Nothing was changed.', embeds: [], components: [] });
    return;
  }
  await interaction.showModal(completeModal(session, state.fields));
}

function parseGender(input: string): Parsed<Gender> {
  const wanted = input.trim().toLowerCase();
  const found = GENDERS.find((g) => g.toLowerCase() === wanted || g[0]!.toLowerCase() === wanted);
  return found
    ? { ok: true, value: found }
    : { ok: false, message: `Gender must be ${andList([...GENDERS]).replace(' and ', ' or ')}` };
}

/** The form was sent: check what was filled in, then PATCH it (SPEC 4.5). */
export async function submit(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  session: string,
  state: { patientId: number; fields: string[] },
): Promise<void> {
  const value = (f: Completable) =>
    state.fields.includes(f) ? interaction.fields.getTextInputValue(f).trim() || undefined : undefined;
  const given = <T>(v: string | undefined, parse: (s: string) => Parsed<T>) =>
    v === undefined ? undefined : parse(v);
  const parsed = collect({
    email: given(value('email'), (s) => parseEmail(s)),
    phone_number: given(value('phone_number'), (s) => parsePhone(s)),
    date_of_birth: given(value('date_of_birth'), (s) => parseDateOfBirth(s)),
    gender: given(value('gender'), parseGender),
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, {
      content: `${badInput(parsed.messages).content}\nNothing was changed; press **Fill in** again.`,
    });
    return;
  }
  const { email, phone_number, date_of_birth, gender } = parsed.values;
  const filled = COMPLETABLE.filter((f) => parsed.values[f] !== undefined);
  if (filled.length === 0) {
    await replyPrivately(interaction, { content: 'Nothing was filled in, so nothing was changed.' });
    return;
  }
  ctx.sessions.delete(session);
  await deferPrivately(interaction);
  const edit: z.input<typeof patientEditInput> = {
    ...(email !== undefined ? { email } : {}),
    bio: {
      ...(phone_number !== undefined ? { phone_number } : {}),
      ...(date_of_birth !== undefined ? { date_of_birth } : {}),
      ...(gender !== undefined ? { gender } : {}),
    },
  };
  const d = await ctx.practice.display(interaction.guildLocale);
  let updated: Patient;
  try {
    updated = await ctx.api.patients.update.mutate({
      subdomain: ctx.practice.subdomain,
      id: state.patientId,
      patient: edit,
    });
  } catch (error) {
    if (isDuplicateRefusal(error)) {
      const match = existingMatchOf(error);
      const existing =
        match?.id != null
          ? await ctx.api.patients.get.query({ subdomain: ctx.practice.subdomain, id: match.id })
          : null;
      const view = duplicateRefusedView(existing, d, match);
      await showView(interaction, {
        ...view,
        content: `Nothing was changed: with these details the patient would be the same person as another record. ${view.content?.replace(/^This patient is already registered[^.]*\. /, '') ?? ''}`,
      });
      return;
    }
    if (errorCodeOf(error) === 'not_editable') {
      const failure = classifyApiError(error);
      const said = failure && 'messages' in failure ? failure.messages.map(humanize).join(' ') : '';
      await showView(interaction, {
        content: `Nothing was changed. The patient service said: ${said} That is, the patient is already in the practice's records, ${NOT_EDITABLE_HERE}`,
      });
      return;
    }
    throw error;
  }
  const left = updated.demographics_defaulted.map(fieldLabel);
  await showView(interaction, {
    content: `Updated ${andList(filled.map(fieldLabel))} for ${displayName(updated)} (ID ${updated.id}).${left.length ? ` Still from the practice's defaults: ${andList(left)}.` : ' Nothing is left to complete.'}`,
    embeds: [{ ...patientRecordEmbed(updated, d), color: left.length ? COLOURS.warning : COLOURS.success }],
  });
}
