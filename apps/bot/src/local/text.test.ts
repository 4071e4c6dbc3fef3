import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { messageText } from './text';

describe('messageText', () => {
  it('prints content, embeds and numbered buttons, skipping disabled ones', () => {
    const out = messageText({
      flags: 64,
      content: 'Before registering **Jon Smith**, please check:',
      embeds: [
        {
          title: 'Possible match',
          fields: [
            { name: '1. Jonathan Smith ("Jon")', value: 'Born 1964-05-03\nID 1' },
            { name: 'Phone', value: '(212) 555-0101', inline: true },
          ],
          footer: { text: 'Pick one' },
        },
      ],
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: '◀ Previous',
              custom_id: 'a',
              disabled: true,
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Primary,
              label: 'Use this patient',
              custom_id: 'b',
            },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: 'c' },
          ],
        },
      ],
    });
    expect(out.text).toBe(
      [
        '── reply (only you can see this) ──',
        'Before registering Jon Smith, please check:',
        '',
        '┃ Possible match',
        '┃ 1. Jonathan Smith ("Jon")',
        '┃     Born 1964-05-03',
        '┃     ID 1',
        '┃ Phone: (212) 555-0101',
        '┃ — Pick one',
        '',
        '[ ] ◀ Previous (not available)',
        '[1] Use this patient',
        '[2] Cancel',
      ].join('\n'),
    );
    expect(out.choices).toEqual([
      { number: 1, label: 'Use this patient', customId: 'b' },
      { number: 2, label: 'Cancel', customId: 'c' },
    ]);
  });

  it('says when a message is visible to the whole channel', () => {
    expect(messageText({ content: 'hi', embeds: [], components: [] }).text).toBe(
      '── reply (visible to the channel) ──\nhi',
    );
  });
});
