import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardStdio } from './stdio-guard.ts';

describe('guardStdio', () => {
  it('swallows stream errors and reports the first one only', () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const seen: string[] = [];
    guardStdio([out, err], (error) => seen.push(error.message));
    // Unguarded, an 'error' event with no listener throws.
    expect(() => new PassThrough().emit('error', new Error('EPIPE'))).toThrow('EPIPE');
    expect(() => {
      out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      err.emit('error', new Error('write EPIPE again'));
      out.emit('error', new Error('and again'));
    }).not.toThrow();
    expect(seen).toEqual(['write EPIPE']);
  });
});
