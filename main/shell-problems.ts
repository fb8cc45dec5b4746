// Problems the shell found (not the engine) that a person must act on: a damaged
// settings file, an administrator's file that cannot be used. While one stands,
// the tray and the window say attention — syncing may go on underneath — and the
// window names the problem and the remedy. Pure: a status in, a status out.
import type { AgentStatus } from '../app/agent-api.ts';

export interface ShellProblem {
  code: string;
  /** A few words for the tray tooltip. */
  headline: string;
  summary: string;
  remedy: string;
  /** Solved by saving the settings (the person re-entered them). */
  clearsOnSave?: boolean;
}

/** The engine's status as the person should see it, given the shell's problems. */
export function withShellProblems(status: AgentStatus, problems: readonly ShellProblem[], now = Date.now()): AgentStatus {
  if (problems.length === 0) return status;
  const asWarning = (p: ShellProblem) => `${p.summary} ${p.remedy}`;
  // Paused stays paused: the menu's Resume must stay reachable.
  if (status.phase === 'paused') return { ...status, warnings: [...status.warnings, ...problems.map(asWarning)] };
  const [first, ...rest] = problems as [ShellProblem, ...ShellProblem[]];
  // The first problem is the error the window shows, unless the engine has its own (then it is a warning too).
  const shown = status.error ? problems : rest;
  // The engine's headline message no longer says it: the window words the problem from the error.
  const { headlineMessage: _engineHeadline, ...engine } = status;
  return {
    ...engine,
    phase: 'attention',
    headline: first.headline,
    warnings: [...status.warnings, ...shown.map(asWarning)],
    error: status.error ?? { code: first.code, errorClass: 'needs-configuration', summary: first.summary, remedy: first.remedy, at: now },
  };
}
