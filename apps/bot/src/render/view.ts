// A reply as the command code builds it: plain Discord API JSON, so render functions stay pure and testable.
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';

export interface View {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
}

export const COLOURS = {
  info: 0x3b82f6,
  success: 0x16a34a,
  warning: 0xf59e0b,
} as const;

/** Discord's limits (embed field value 1024, description 4096, title 256). */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
