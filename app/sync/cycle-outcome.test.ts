import { describe, expect, it } from 'vitest';
import type { ErrorClass } from '../licenseapi/error-codes.ts';
import { cycleOutcome } from './cycle-outcome.ts';
import type { CycleOutcome } from './schedule.ts';

const apiError = (extra: Record<string, unknown> = {}) => ({ code: 'service_unavailable', errorClass: 'retryable', summary: 's', remedy: 'r', ...extra });

describe('cycleOutcome: what the schedule hears about a finished cycle', () => {
  const rows: Array<[why: string, outcome: { ok: true } | { ok: false; error: unknown }, recorded: ErrorClass | undefined, heard: CycleOutcome]> = [
    ['a success', { ok: true }, undefined, { ok: true }],
    ['a success, whatever error was recorded before', { ok: true }, 'fatal', { ok: true }],
    ['an API error, by its recorded class', { ok: false, error: apiError() }, 'license-state', { ok: false, errorClass: 'license-state', retryAfterMs: undefined, parkable: undefined }],
    ['a crash with nothing recorded: retryable', { ok: false, error: new Error('bug') }, undefined, { ok: false, errorClass: 'retryable', retryAfterMs: undefined, parkable: undefined }],
    ['the server\'s retry delay', { ok: false, error: apiError({ retryAfterMs: 90_000 }) }, 'retryable', { ok: false, errorClass: 'retryable', retryAfterMs: 90_000, parkable: undefined }],
    ['a retry delay of 0 is a delay', { ok: false, error: apiError({ retryAfterMs: 0 }) }, 'retryable', { ok: false, errorClass: 'retryable', retryAfterMs: 0, parkable: undefined }],
    ['a retry delay that is not a number is none', { ok: false, error: apiError({ retryAfterMs: '90' }) }, 'retryable', { ok: false, errorClass: 'retryable', retryAfterMs: undefined, parkable: undefined }],
    ['a retry delay on something not an API error is none', { ok: false, error: { retryAfterMs: 5, parkable: false } }, undefined, { ok: false, errorClass: 'retryable', retryAfterMs: undefined, parkable: undefined }],
    ['an error that must not park', { ok: false, error: apiError({ errorClass: 'needs-configuration', parkable: false }) }, 'needs-configuration', { ok: false, errorClass: 'needs-configuration', retryAfterMs: undefined, parkable: false }],
    ['parkable: true says nothing more', { ok: false, error: apiError({ parkable: true }) }, 'needs-configuration', { ok: false, errorClass: 'needs-configuration', retryAfterMs: undefined, parkable: undefined }],
  ];
  it.each(rows)('%s', (_why, outcome, recorded, heard) => {
    expect(cycleOutcome(outcome, recorded)).toStrictEqual(heard);
  });
});
