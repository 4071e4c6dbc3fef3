// Options more than one command takes, built once so they read and validate the same everywhere.
import { MAX_ID } from '@patients/core';
import type { SlashCommandIntegerOption } from 'discord.js';

/** `id:` of a patient, as /patient search shows it. */
export const patientIdOption = (o: SlashCommandIntegerOption) =>
  o
    .setName('id')
    .setDescription('Patient ID (from /patient search)')
    .setRequired(true)
    .setMinValue(1)
    .setMaxValue(MAX_ID);
