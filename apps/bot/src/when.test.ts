import { describe, expect, it } from 'vitest';
import { dayWindow, readDay, readTime, readWhen, zonedInstant } from './when';

// Thursday, January 15, 2026, 7:00 AM in New York.
const now = new Date('2026-01-15T12:00:00Z');
const NY = 'America/New_York';

describe('readDay', () => {
  it.each([
    ['today', { y: 2026, m: 1, d: 15 }],
    ['Tomorrow', { y: 2026, m: 1, d: 16 }],
    ['thursday', { y: 2026, m: 1, d: 15 }],
    ['fri', { y: 2026, m: 1, d: 16 }],
    ['next wednesday', { y: 2026, m: 1, d: 21 }],
    ['12/2/2026', { y: 2026, m: 12, d: 2 }],
    ['2/3', { y: 2026, m: 2, d: 3 }],
    ['1/2', { y: 2027, m: 1, d: 2 }],
    ['Dec 2', { y: 2026, m: 12, d: 2 }],
    ['2 December, 2026', { y: 2026, m: 12, d: 2 }],
    ['2026-03-09', { y: 2026, m: 3, d: 9 }],
  ])('reads %s', (text, day) => {
    expect(readDay(text, now, NY)).toEqual({ ok: true, value: day });
  });

  it('refuses what it cannot read, saying what it takes', () => {
    expect(readDay('someday', now, NY)).toEqual({
      ok: false,
      message: '"someday" is not a day such as today, tomorrow, friday, 12/2/2026 or Dec 2',
    });
    expect(readDay('2/30/2026', now, NY)).toEqual({ ok: false, message: '"2/30/2026" is not a real day' });
    expect(readDay('12/2/26', now, NY)).toMatchObject({
      ok: false,
      message: expect.stringContaining('4-digit year'),
    });
  });

  it('is today in the practice time zone, not in UTC', () => {
    // 11 PM in New York on the 15th is already the 16th in UTC.
    expect(readDay('today', new Date('2026-01-16T04:00:00Z'), NY)).toEqual({
      ok: true,
      value: { y: 2026, m: 1, d: 15 },
    });
  });
});

describe('readTime', () => {
  it.each([
    ['9am', 9, 0],
    ['9:30 AM', 9, 30],
    ['12pm', 12, 0],
    ['12am', 0, 0],
    ['2:15p.m.', 14, 15],
    ['14:00', 14, 0],
    ['noon', 12, 0],
  ])('reads %s', (text, h, min) => {
    expect(readTime(text)).toEqual({ ok: true, value: { h, min } });
  });
  it('asks which when an hour alone could be morning or evening', () => {
    expect(readTime('9')).toEqual({
      ok: false,
      message: 'Please say 9am or 9pm (or 09:00 on a 24-hour clock)',
    });
    expect(readTime('25:00')).toMatchObject({ ok: false });
  });
});

describe('readWhen', () => {
  it('reads wall-clock time in the practice time zone, daylight saving included', () => {
    expect(readWhen('tomorrow 9:30am', now, NY)).toEqual({
      ok: true,
      value: new Date('2026-01-16T14:30:00Z'),
    });
    expect(readWhen('7/15/2026 9:30 am', now, NY)).toEqual({
      ok: true,
      value: new Date('2026-07-15T13:30:00Z'),
    });
    expect(readWhen('Dec 2 14:00', now, 'Europe/Paris')).toEqual({
      ok: true,
      value: new Date('2026-12-02T13:00:00Z'),
    });
  });
  it('refuses a time already passed, and a missing time', () => {
    expect(readWhen('today 6am', now, NY)).toEqual({
      ok: false,
      message: 'That time has already passed: please pick a time in the future',
    });
    expect(readWhen('tomorrow', now, NY)).toMatchObject({
      ok: false,
      message: expect.stringContaining('a day and a time'),
    });
  });
  it('a day window runs midnight to midnight there, 23 hours on the spring change', () => {
    const { start, end } = dayWindow({ y: 2026, m: 3, d: 8 }, NY);
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(zonedInstant({ y: 2026, m: 11, d: 1 }, 12, 0, NY).toISOString()).toBe('2026-11-01T17:00:00.000Z');
  });
});
