import { describe, expect, it } from 'vitest';
import type { AgentErrorView } from '../agent-api.ts';
import { describeStatus, formatDuration } from './status-text.ts';

const NOW = 1_000_000_000;
const MIN = 60_000;
const err = (code: string, errorClass: AgentErrorView['errorClass'], summary = 'Something.'): AgentErrorView => ({ code, errorClass, summary, remedy: 'r', at: NOW });
const base = { now: NOW, paused: false, syncing: false, pendingCount: 0 };

describe('describeStatus', () => {
  it('says when it last synced', () => {
    expect(describeStatus({ ...base, lastSuccessAt: NOW - 3 * MIN })).toEqual({ phase: 'synced', headline: 'Synced 3 min ago' });
    expect(describeStatus({ ...base, lastSuccessAt: NOW - 10_000 })).toEqual({ phase: 'synced', headline: 'Synced just now' });
  });

  it('says offline and when it retries for network errors, server unavailable for 5xx', () => {
    expect(describeStatus({ ...base, lastError: err('network_error', 'retryable'), nextSyncAt: NOW + 4 * MIN })).toEqual({ phase: 'pending', headline: 'Offline — will retry in 4 min' });
    expect(describeStatus({ ...base, lastError: err('http_503', 'retryable'), nextSyncAt: NOW + 90 * MIN }).headline).toBe('Server unavailable — will retry in 1 h 30 min');
  });

  it('asks for attention with the error in plain words', () => {
    const s = describeStatus({ ...base, lastError: err('device_not_found', 'needs-activation', 'This device is not activated for this license.') });
    expect(s).toEqual({ phase: 'attention', headline: 'Needs attention: This device is not activated for this license' });
    expect(describeStatus({ ...base, lastError: err('license_not_enabled', 'license-state', 'The license is disabled.') }).phase).toBe('attention');
  });

  it('reports paused (with waiting values), syncing, starting and pending', () => {
    expect(describeStatus({ ...base, paused: true, pendingCount: 2, lastError: err('x', 'fatal') })).toEqual({ phase: 'paused', headline: 'Paused (2 values waiting)' });
    expect(describeStatus({ ...base, syncing: true }).phase).toBe('syncing');
    expect(describeStatus({ ...base, nextSyncAt: NOW + 5 * MIN })).toEqual({ phase: 'starting', headline: 'Starting — first sync in 5 min' });
    expect(describeStatus({ ...base, pendingCount: 1, lastSuccessAt: NOW - 2 * MIN })).toEqual({ phase: 'pending', headline: '1 value waiting — last synced 2 min ago' });
  });
});

describe('formatDuration', () => {
  it('rounds to a unit a person reads at a glance', () => {
    expect(formatDuration(500)).toBe('a moment');
    expect(formatDuration(20_000)).toBe('20 s');
    expect(formatDuration(50_000)).toBe('1 min');
    expect(formatDuration(59 * MIN)).toBe('59 min');
    expect(formatDuration(3 * 60 * MIN)).toBe('3 h');
    expect(formatDuration(90 * MIN)).toBe('1 h 30 min');
    expect(formatDuration(119 * MIN)).toBe('2 h');
    expect(formatDuration(6 * 60 * MIN + 20 * MIN)).toBe('6 h');
    expect(formatDuration(3 * 24 * 60 * MIN)).toBe('3 d');
  });
});
