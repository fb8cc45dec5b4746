import { describe, expect, it } from 'vitest';
import { idleStatus } from './agent-host.ts';
import { withShellProblems, type ShellProblem } from './shell-problems.ts';

const problem: ShellProblem = { code: 'settings_damaged', headline: 'Settings file was damaged', summary: 'Your settings file was damaged.', remedy: 'Enter your settings again.' };
const synced = { ...idleStatus('Synced just now', '', ''), phase: 'synced' as const, error: undefined };

describe('shell problems over the engine status', () => {
  it('leave the status alone when there are none', () => {
    expect(withShellProblems(synced, [])).toBe(synced);
  });

  it('make it attention, with the first problem as the error (not repeated as a warning) and the others as warnings', () => {
    const s = withShellProblems(synced, [problem], 5);
    expect(s).toMatchObject({ phase: 'attention', headline: 'Settings file was damaged', error: { code: 'settings_damaged', summary: problem.summary, remedy: problem.remedy, at: 5 } });
    expect(s.warnings).toEqual([]);
    const second: ShellProblem = { ...problem, code: 'managed_config_unusable', summary: 'The managed file is broken.', remedy: 'Ask IT.' };
    expect(withShellProblems(synced, [problem, second]).warnings).toEqual(['The managed file is broken. Ask IT.']);
  });

  it("keep the engine's own error, and keep paused (Resume must stay reachable)", () => {
    const failing = idleStatus('Not configured', 'No key.', 'Enter it.');
    expect(withShellProblems(failing, [problem]).error?.code).toBe('not_configured');
    expect(withShellProblems(failing, [problem]).warnings).toEqual(['Your settings file was damaged. Enter your settings again.']);
    const paused = withShellProblems({ ...synced, phase: 'paused' }, [problem]);
    expect(paused.phase).toBe('paused');
    expect(paused.warnings).toHaveLength(1);
  });
});
