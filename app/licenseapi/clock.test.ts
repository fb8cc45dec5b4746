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
});
