import { describe, expect, it } from 'vitest';
import { ACTIVATION_ATTEMPT_INTERVAL_MS, activationDecision } from './activation-limit.ts';
import type { ActivationFacts } from './activation-limit.ts';
import type { ApiErrorLike } from './ports.ts';

const DAY = 24 * 60 * 60_000;
const T = Date.UTC(2026, 10, 29, 12, 0, 0, 0);

const notFound = (signed?: boolean): ApiErrorLike => ({
  code: 'device_not_found', errorClass: 'needs-activation', summary: 'The device is not activated.', remedy: 'Activate it.',
  ...(signed === undefined ? {} : { signed }),
});
const base: ActivationFacts = { autoActivate: true, last: undefined, identityHash: 'h', now: T };

describe('activationDecision: whether an error leads to an automatic activation', () => {
  const rows: Array<[why: string, cause: unknown, facts: Partial<ActivationFacts>, action: 'pass-on' | 'hold-back' | 'activate']> = [
    ['never activated', notFound(), {}, 'activate'],
    ['auto-activation off', notFound(), { autoActivate: false }, 'pass-on'],
    ['not an activation matter', { ...notFound(), errorClass: 'license-state' }, {}, 'pass-on'],
    ['not an API error', new Error('boom'), {}, 'pass-on'],
    ['a plain object without the fields', { errorClass: 'needs-activation' }, {}, 'pass-on'],
    ['unsigned, activated a second ago', notFound(), { last: { identityHash: 'h', at: T - 1000 } }, 'hold-back'],
    ['unsigned, activated just now', notFound(), { last: { identityHash: 'h', at: T } }, 'hold-back'],
    ['signed: false counts as unsigned', notFound(false), { last: { identityHash: 'h', at: T - 1000 } }, 'hold-back'],
    ['unsigned, activated one ms short of a day ago', notFound(), { last: { identityHash: 'h', at: T - DAY + 1 } }, 'hold-back'],
    ['unsigned, activated exactly a day ago', notFound(), { last: { identityHash: 'h', at: T - DAY } }, 'activate'],
    ['signed, activated a second ago', notFound(true), { last: { identityHash: 'h', at: T - 1000 } }, 'activate'],
    ['unsigned, activated under another identity', notFound(), { last: { identityHash: 'other', at: T - 1000 } }, 'activate'],
    ['unsigned, the last attempt lies in the future (clock set back)', notFound(), { last: { identityHash: 'h', at: T + 1 } }, 'activate'],
  ];
  it.each(rows)('%s → %s', (_why, cause, facts, action) => {
    expect(activationDecision(cause, { ...base, ...facts }).action).toBe(action);
  });

  it('activates with the cause it was given', () => {
    const cause = notFound();
    expect(activationDecision(cause, base)).toEqual({ action: 'activate', cause });
  });

  it('holding back says when the agent activated, when it will again, and what to check', () => {
    const last = { identityHash: 'h', at: T - 1234 };
    const decision = activationDecision(notFound(), { ...base, last });
    expect(decision).toEqual({
      action: 'hold-back',
      error: {
        code: 'device_not_found', errorClass: 'needs-activation',
        summary: 'The device is not activated, although the agent activated it at 2026-11-29T11:59:58Z.',
        remedy: 'Check that the hardware id is the one activated on the server (hardwareId or hardwareIdFile); the agent activates again automatically at most once a day (next: 2026-11-30T11:59:58Z), or at once from Sync now after a settings change.',
      },
    });
    expect(ACTIVATION_ATTEMPT_INTERVAL_MS).toBe(DAY);
  });

  it('drops only the final full stop of the summary', () => {
    const decision = activationDecision({ ...notFound(), summary: 'Device v1.2 is not activated.' }, { ...base, last: { identityHash: 'h', at: T } });
    expect(decision.action === 'hold-back' && decision.error.summary).toBe('Device v1.2 is not activated, although the agent activated it at 2026-11-29T12:00:00Z.');
  });

  it('keeps a summary without a final full stop as it is', () => {
    const decision = activationDecision({ ...notFound(), summary: 'Not found' }, { ...base, last: { identityHash: 'h', at: T } });
    expect(decision.action === 'hold-back' && decision.error.summary).toBe('Not found, although the agent activated it at 2026-11-29T12:00:00Z.');
  });
});
