// A Discord message as readable text for the console: content, embeds as indented blocks, and buttons as
// numbered choices (disabled ones shown but not numbered).
import type { APIMessage } from 'discord.js';

export interface Choice {
  number: number;
  label: string;
  customId: string;
}

export interface MessageText {
  text: string;
  choices: Choice[];
}

const EPHEMERAL = 64;

function indent(s: string, prefix: string): string {
  return s
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

/** Discord markdown that reads badly as plain text. */
function plain(s: string): string {
  return s.replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
}

export function messageText(
  message: Pick<APIMessage, 'content' | 'embeds' | 'components' | 'flags'>,
): MessageText {
  const lines: string[] = [];
  const flags = Number(message.flags ?? 0);
  lines.push(
    flags & EPHEMERAL ? '── reply (only you can see this) ──' : '── reply (visible to the channel) ──',
  );
  if (message.content) lines.push(plain(message.content));
  for (const embed of message.embeds ?? []) {
    lines.push('');
    if (embed.title) lines.push(`┃ ${plain(embed.title)}`);
    if (embed.description) lines.push(indent(plain(embed.description), '┃ '));
    for (const field of embed.fields ?? []) {
      // Short inline fields (Discord shows them side by side) read best as "Name: value".
      if (field.inline && !field.value.includes('\n'))
        lines.push(`┃ ${plain(field.name)}: ${plain(field.value)}`);
      else {
        lines.push(`┃ ${plain(field.name)}`);
        lines.push(indent(plain(field.value), '┃     '));
      }
    }
    if (embed.footer?.text) lines.push(`┃ — ${plain(embed.footer.text)}`);
  }
  const choices: Choice[] = [];
  const buttons: string[] = [];
  for (const row of message.components ?? []) {
    for (const c of (row as { components?: Array<Record<string, unknown>> }).components ?? []) {
      if (typeof c.custom_id !== 'string') continue;
      const label = String(c.label ?? c.custom_id);
      if (c.disabled === true) buttons.push(`[ ] ${label} (not available)`);
      else {
        const number = choices.length + 1;
        choices.push({ number, label, customId: c.custom_id });
        buttons.push(`[${number}] ${label}`);
      }
    }
  }
  if (buttons.length) {
    lines.push('');
    lines.push(...buttons);
  }
  return { text: lines.join('\n'), choices };
}
