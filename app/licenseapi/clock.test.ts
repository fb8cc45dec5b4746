import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_MS, createServerClock, parseHttpDate } from './clock.ts';

const HOUR = 3_600_000;

describe('server clock', () => {
  it('starts with no offset and follows the local clock', () => {
    let local = 1_000_000;
    const clock = createServerClock(() => local);
    expect(clock.offsetMs()).toBe(0);
    local += 5;
    expect(clock.now()).toBe(1_000_005);
  });

  it('learns a local clock one hour fast from a reply Date header', () => {
    const serverNow = Date.UTC(2026, 10, 26, 12, 0, 0);
    const local = serverNow + HOUR;
    const clock = createServerClock(() => local);
    expect(clock.learn(new Date(serverNow).toUTCString(), local - 40, local)).toBe(true);
    expect(Math.abs(clock.offsetMs() + HOUR)).toBeLessThanOrEqual(1000);
    expect(Math.abs(clock.now() - serverNow)).toBeLessThanOrEqual(1000);
  });

  it('learns a local clock one hour slow', () => {
    const serverNow = Date.UTC(2026, 10, 26, 12, 0, 0);
    const local = serverNow - HOUR;
    const clock = createServerClock(() => local);
    clock.learn(new Date(serverNow).toUTCString(), local, local);
    expect(Math.abs(clock.offsetMs() - HOUR)).toBeLessThanOrEqual(1000);
  });

  it('ignores sub-second noise from the header\'s one-second resolution', () => {
    const local = Date.UTC(2026, 10, 26, 12, 0, 0, 900);
    const clock = createServerClock(() => local);
    expect(clock.learn(new Date(local).toUTCString(), local, local)).toBe(false);
    expect(clock.offsetMs()).toBe(0);
  });

  it('returns to zero when the local clock is fixed', () => {
    const serverNow = Date.UTC(2026, 10, 26, 12, 0, 0);
    const clock = createServerClock(() => serverNow, HOUR);
    expect(clock.learn(new Date(serverNow).toUTCString(), serverNow, serverNow)).toBe(true);
    expect(clock.offsetMs()).toBe(0);
  });

  it('keeps its offset when the header is missing or unreadable', () => {
    const clock = createServerClock(() => 0, 5 * CLOCK_TOLERANCE_MS);
    expect(clock.learn(undefined, 0, 0)).toBe(false);
    expect(clock.learn('yesterday-ish', 0, 0)).toBe(false);
    expect(clock.offsetMs()).toBe(5 * CLOCK_TOLERANCE_MS);
  });

  it('parses HTTP dates', () => {
    expect(parseHttpDate('Tue, 07 Jun 2011 20:51:35 GMT')).toBe(Date.UTC(2011, 5, 7, 20, 51, 35));
    expect(parseHttpDate('')).toBeUndefined();
    expect(parseHttpDate('nope')).toBeUndefined();
  });

  it('learns the same skew twice without moving: the second reply changes nothing', () => {
    const serverNow = Date.UTC(2026, 10, 26, 12, 0, 0);
    let local = serverNow + HOUR;
    const clock = createServerClock(() => local);
    // The header's second [12:00:00, 12:00:01) has its middle at +500 ms; our exchange's middle is local - 20 ms.
    expect(clock.learn(new Date(serverNow).toUTCString(), local - 40, local)).toBe(true);
    expect(clock.offsetMs()).toBe(-HOUR + 520);
    local += 60_000;
    expect(clock.learn(new Date(serverNow + 60_000).toUTCString(), local - 40, local)).toBe(false);
    expect(clock.offsetMs()).toBe(-HOUR + 520);
    expect(clock.now()).toBe(serverNow + 60_000 + 520);
  });

  it.each([
    // [offset before, our exchange's middle relative to the header's second, learns?, offset after]
    [0, -1500, false, 0], // estimate 2000: within the tolerance of 0
    [0, -1501, true, 2001], // estimate 2001: just outside
    [0, 2500, false, 0], // estimate -2000
    [0, 2501, true, -2001],
    [HOUR, -1500, true, 0], // a fixed clock: an estimate within the tolerance of zero is zero
    [HOUR, -1501, true, 2001],
    [5000, -4500, false, 5000], // estimate 5000 again
    [5000, -2500, false, 5000], // estimate 3000, 2000 from the offset
    [5000, -2499, true, 2999],
  ])('from an offset of %i, an exchange centred %i ms from the header\'s second: learns %s, offset %i', (before, middle, learns, after) => {
    const serverAt = Date.UTC(2026, 10, 26, 12, 0, 0);
    const clock = createServerClock(() => serverAt, before);
    expect(clock.learn(new Date(serverAt).toUTCString(), serverAt + middle - 10, serverAt + middle + 10)).toBe(learns);
    expect(clock.offsetMs()).toBe(after);
  });
});
