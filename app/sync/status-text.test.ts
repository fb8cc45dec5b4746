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

describe('formatDuration at each edge', () => {
  const S = 1000;
  it.each([
    [-5 * S, 'a moment'], [0, 'a moment'], [1_499, 'a moment'], [1_500, '2 s'], [44_499, '44 s'], [44_999, '45 s'], [45_000, '1 min'],
    [89_999, '1 min'], [90_000, '2 min'], [59 * MIN + 29_999, '59 min'], [59 * MIN + 30_000, '1 h'], [62 * MIN, '1 h'], [63 * MIN, '1 h 5 min'],
    [67 * MIN, '1 h 5 min'], [68 * MIN, '1 h 10 min'], [117 * MIN, '1 h 55 min'], [118 * MIN, '2 h'], [150 * MIN, '2 h 30 min'],
    [5 * 60 * MIN + 57 * MIN, '5 h 55 min'], [5 * 60 * MIN + 58 * MIN, '6 h'], [6 * 60 * MIN, '6 h'], [6 * 60 * MIN + 29 * MIN, '6 h'],
    [6 * 60 * MIN + 30 * MIN, '7 h'], [47 * 60 * MIN, '47 h'], [47 * 60 * MIN + 29 * MIN, '47 h'], [47 * 60 * MIN + 30 * MIN, '2 d'],
    [60 * 60 * MIN, '3 d'], [84 * 60 * MIN, '4 d'],
  ])('%i ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('describeStatus, one row per situation', () => {
  it.each([
    ['deactivated and paused', { paused: true, deactivated: true, pendingCount: 3 }, 'paused', 'Deactivated: this device no longer holds the license; syncing is paused (resume to activate it again)'],
    ['deactivated but resumed', { deactivated: true, lastSuccessAt: NOW - 60_000 }, 'synced', 'Synced 1 min ago'],
    ['paused, nothing waiting', { paused: true }, 'paused', 'Paused'],
    ['paused, one value waiting', { paused: true, pendingCount: 1 }, 'paused', 'Paused (1 value waiting)'],
    ['paused while syncing', { paused: true, syncing: true }, 'paused', 'Paused'],
    ['syncing with an old error', { syncing: true, lastError: err('timeout', 'retryable') }, 'syncing', 'Syncing…'],
    ['offline by DNS', { lastError: err('dns_failure', 'retryable'), nextSyncAt: NOW + 20_000 }, 'pending', 'Offline — will retry in 20 s'],
    ['offline by timeout', { lastError: err('timeout', 'retryable') }, 'pending', 'Offline'],
    ['offline by reset', { lastError: err('connection_reset', 'retryable') }, 'pending', 'Offline'],
    ['a bad reply', { lastError: err('invalid_response', 'retryable') }, 'pending', 'Server unavailable'],
    ['fatal', { lastError: err('validation_error', 'fatal', 'Refused.'), lastSuccessAt: NOW }, 'attention', 'Needs attention: Refused'],
    ['needs configuration, words without a full stop', { lastError: err('x', 'needs-configuration', 'No dot') }, 'attention', 'Needs attention: No dot'],
    ['starting', {}, 'starting', 'Starting…'],
    ['starting, first sync due', { nextSyncAt: NOW + 90 * MIN }, 'starting', 'Starting — first sync in 1 h 30 min'],
    ['values waiting', { pendingCount: 5, lastSuccessAt: NOW - 44_999 }, 'pending', '5 values waiting — last synced just now'],
    ['synced 45 s ago', { lastSuccessAt: NOW - 45_000 }, 'synced', 'Synced 1 min ago'],
    ['synced, with a license notice', { lastSuccessAt: NOW, licenseNotice: 'license expires in 3 days' }, 'synced', 'Synced just now — license expires in 3 days'],
    ['synced, an empty notice', { lastSuccessAt: NOW, licenseNotice: '' }, 'synced', 'Synced just now'],
    ['values waiting with a notice (not shown)', { pendingCount: 2, lastSuccessAt: NOW, licenseNotice: 'n' }, 'pending', '2 values waiting — last synced just now'],
  ] as const)('%s', (_name, facts, phase, headline) => {
    expect(describeStatus({ ...base, ...facts })).toEqual({ phase, headline });
  });
});
