import { describe, expect, it } from 'vitest';
import { localError } from '../licenseapi/errors.ts';
import { cancelledView, errorView, unexpectedErrorView } from './error-view.ts';

describe('errorView', () => {
  it.each([
    ['a License API error, as it says', localError('timeout', { detail: 'ETIMEDOUT' }), { code: 'timeout', errorClass: 'retryable', summary: 'The License API did not answer in time.', remedy: 'Nothing to do: the agent retries later by itself.', at: 7 }],
    ['an error shaped like one (a port\'s own), its four fields only', { code: 'c', errorClass: 'fatal', summary: 's', remedy: 'r', detail: 'not shown' }, { code: 'c', errorClass: 'fatal', summary: 's', remedy: 'r', at: 7 }],
    ['anything else as unexpected, never its message', new Error('secret in a message'), unexpectedErrorView(7)],
    ['not even an object', 'boom', unexpectedErrorView(7)],
  ])('%s', (_what, error, view) => {
    expect(errorView(error, 7)).toEqual(view);
  });

  it('says what a person can do about an unexpected error and a cancelled cycle', () => {
    expect(unexpectedErrorView(1)).toMatchObject({ code: 'unexpected_error', errorClass: 'retryable', remedy: expect.stringMatching(/retries by itself/) });
    expect(cancelledView(1)).toMatchObject({ code: 'cancelled', errorClass: 'retryable', remedy: expect.stringMatching(/sent at the next start/) });
  });
});
