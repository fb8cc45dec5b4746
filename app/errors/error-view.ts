// What a person is told about a failure, as the status (window, tray, CLI) carries it:
// the code, its class, the plain words and the remedy. The words of each protocol and
// local code are in the client's tables (app/licenseapi/error-codes.ts, errors.ts); this
// is the one place a failure of any kind becomes an AgentErrorView.
import type { AgentErrorView } from '../agent-api.ts';
import { isApiErrorLike } from '../sync/ports.ts';

/** A failure that is not a License API error (a bug, a broken port): never its message, which may quote anything. */
export function unexpectedErrorView(at: number): AgentErrorView {
  return { code: 'unexpected_error', errorClass: 'retryable', summary: 'An unexpected error stopped this sync.', remedy: 'Nothing to do: the agent retries by itself. If it persists, send the logs to support.', at };
}

/** A cycle stopped by stop() while its request was in flight. */
export function cancelledView(at: number): AgentErrorView {
  return { code: 'cancelled', errorClass: 'retryable', summary: 'The agent stopped before the server answered.', remedy: 'Nothing to do: the values stay pending and are sent at the next start.', at };
}

/** The view of any failure: a License API error (or one shaped like it) as it says, anything else as unexpected. */
export function errorView(error: unknown, at: number): AgentErrorView {
  if (!isApiErrorLike(error)) return unexpectedErrorView(at);
  return { code: error.code, errorClass: error.errorClass, summary: error.summary, remedy: error.remedy, at };
}
