// Problems the shell found (not the engine) that a person must act on: a damaged
// settings file, an administrator's file that cannot be used. While one stands,
// the tray and the window say attention — syncing may go on underneath — and the
// window names the problem and the remedy. Pure: a status in, a status out.
import type { AgentStatus } from '../app/agent-api.ts';
import { inEnglish } from '../app/sync/status-text.ts';
import type { Message } from '../locales/i18n.ts';

export interface ShellProblem {
  code: string;
  /** A few words for the tray tooltip. */
  headline: string;
  summary: string;
  remedy: string;
  /** The summary and the remedy as catalogue messages: the window and the tray say them in the app's language. */
  summaryMessage?: Message;
  remedyMessage?: Message;
  /** Solved by saving the settings (the person re-entered them). */
  clearsOnSave?: boolean;
}

/** A problem worded from the catalogue: English for the log and the CLI, the messages for the window. */
export function shellProblem(code: string, words: { headline: Message; summary: Message; remedy: Message }, clearsOnSave?: true): ShellProblem {
  return {
    code, headline: inEnglish(words.headline), summary: inEnglish(words.summary), remedy: inEnglish(words.remedy),
    summaryMessage: words.summary, remedyMessage: words.remedy, ...(clearsOnSave ? { clearsOnSave } : {}),
  };
}

/** The engine's status as the person should see it, given the shell's problems. */
export function withShellProblems(status: AgentStatus, problems: readonly ShellProblem[], now = Date.now()): AgentStatus {
  if (problems.length === 0) return status;
  const asWarning = (p: ShellProblem) => `${p.summary} ${p.remedy}`;
  // The same line as a message, so the window says it in its language (renderer/format.ts, warningIn).
  const asMessages = (list: readonly ShellProblem[]): Message[] => list.flatMap((p) => (p.summaryMessage && p.remedyMessage
    ? [{ key: 'problem.asWarning' as const, params: { summary: p.summaryMessage, remedy: p.remedyMessage } }] : []));
  const withWarnings = (list: readonly ShellProblem[]) => {
    const messages = [...(status.warningMessages ?? []), ...asMessages(list)];
    return { warnings: [...status.warnings, ...list.map(asWarning)], ...(messages.length > 0 ? { warningMessages: messages } : {}) };
  };
  // Paused stays paused: the menu's Resume must stay reachable.
  if (status.phase === 'paused') return { ...status, ...withWarnings(problems) };
  const [first, ...rest] = problems as [ShellProblem, ...ShellProblem[]];
  // The first problem is the error the window shows, unless the engine has its own (then it is a warning too).
  const shown = status.error ? problems : rest;
  // The engine's headline message no longer says it: the window words the problem from the error.
  const { headlineMessage: _engineHeadline, ...engine } = status;
  return {
    ...engine,
    phase: 'attention',
    headline: first.headline,
    ...withWarnings(shown),
    error: status.error ?? {
      code: first.code, errorClass: 'needs-configuration', summary: first.summary, remedy: first.remedy, at: now,
      ...(first.summaryMessage ? { summaryMessage: first.summaryMessage } : {}), ...(first.remedyMessage ? { remedyMessage: first.remedyMessage } : {}),
    },
  };
}
