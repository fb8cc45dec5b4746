import { describe, expect, it } from 'vitest';
import { emptySyncState, stateText, syncStateSchema } from './sync-state.ts';

const view = (errorClass: string) => ({ code: 'c', errorClass, summary: 's', remedy: 'r', at: 1 });

describe('the state file\'s schema', () => {
  it.each(['retryable', 'needs-configuration', 'needs-activation', 'license-state', 'fatal'])('keeps a last error of class %s', (errorClass) => {
    expect(syncStateSchema.safeParse({ ...emptySyncState(), lastError: view(errorClass) }).success).toBe(true);
  });

  it('refuses an error class it does not know', () => {
    expect(syncStateSchema.safeParse({ ...emptySyncState(), lastError: view('curious') }).success).toBe(false);
  });

  it.each(['ok', 'error', 'nothing-to-send'])('keeps a history entry with outcome %s', (outcome) => {
    expect(syncStateSchema.safeParse({ ...emptySyncState(), history: [{ at: 1, outcome, sent: 0 }] }).success).toBe(true);
  });

  it('keeps the license as checked, within its bounds: its facts, never its words', () => {
    const license = { checkedAt: 1, type: 't'.repeat(64), enabled: true };
    expect(syncStateSchema.parse({ ...emptySyncState(), license }).license).toEqual(license);
    // A file an older version wrote carries the summary in English: read, and dropped (it is said anew from the facts).
    expect(syncStateSchema.parse({ ...emptySyncState(), license: { ...license, summary: 'x'.repeat(300) } }).license).toEqual(license);
    expect(syncStateSchema.safeParse({ ...emptySyncState(), license: { ...license, summary: 'x'.repeat(301) } }).success).toBe(false);
    expect(syncStateSchema.safeParse({ ...emptySyncState(), license: { ...license, type: 't'.repeat(65) } }).success).toBe(false);
    expect(syncStateSchema.safeParse({ ...emptySyncState(), license: { type: 'perpetual' } }).success).toBe(false);
  });

  it('stores the last error as its code, class and time; its words come back from the tables, a detail of the engine stays', () => {
    const table = { code: 'network_error', errorClass: 'retryable' as const, summary: 'The License API could not be reached.', remedy: 'Check the network connection (and proxy settings); the agent retries by itself.', at: 7 };
    const stored = JSON.parse(stateText({ ...emptySyncState(), lastError: table })) as { lastError: Record<string, unknown> };
    expect(stored.lastError).toEqual({ code: 'network_error', errorClass: 'retryable', at: 7 });
    expect(syncStateSchema.parse(stored).lastError).toEqual(table);
    const detailed = { ...table, code: 'license_not_enabled', errorClass: 'license-state' as const, summary: 'The license is disabled (perpetual license · disabled).' };
    const kept = JSON.parse(stateText({ ...emptySyncState(), lastError: detailed })) as { lastError: Record<string, unknown> };
    expect(kept.lastError).toMatchObject({ summary: detailed.summary });
    expect(syncStateSchema.parse(kept).lastError?.summary).toBe(detailed.summary);
    // A file written before: the English words in it are read as they are.
    expect(syncStateSchema.parse({ ...emptySyncState(), lastError: { ...table, summary: 'Old words.' } }).lastError?.summary).toBe('Old words.');
  });

  it('keeps the last activation attempt, and refuses one without its identity', () => {
    const attempt = { identityHash: 'h', at: 5 };
    expect(syncStateSchema.parse({ ...emptySyncState(), lastActivationAttempt: attempt }).lastActivationAttempt).toEqual(attempt);
    expect(syncStateSchema.safeParse({ ...emptySyncState(), lastActivationAttempt: { at: 5 } }).success).toBe(false);
  });
});
