import { describe, expect, it } from 'vitest';
import { sandboxProblem, USERNS_RESTRICTION } from './linux-sandbox.ts';

const restricted = (value: string | undefined) => (path: string) => (path === USERNS_RESTRICTION ? value : undefined);

describe('running without the sandbox on Linux', () => {
  it('an AppImage that AppRun started with --no-sandbox on a system refusing user namespaces: says so, the cause, and the .deb', () => {
    const problem = sandboxProblem({ platform: 'linux', argv: ['/tmp/.mount_x/device-agent', '--no-sandbox'], env: { APPIMAGE: '/home/a/Device Agent.AppImage' }, readProc: restricted('1') });
    expect(problem).toMatchObject({ code: 'sandbox_off' });
    expect(problem?.summary).toMatch(/AppImage launcher turned it off.*AppArmor refuses the user namespaces/);
    expect(problem?.remedy).toMatch(/\.deb package/);
  });

  it('--no-sandbox without the restriction is still never silent', () => {
    const problem = sandboxProblem({ platform: 'linux', argv: ['device-agent', '--no-sandbox'], env: {}, readProc: restricted('0') });
    expect(problem?.summary).toMatch(/started with --no-sandbox/);
    expect(problem?.remedy).toMatch(/without --no-sandbox/);
  });

  it('nothing to say with the sandbox on, or on other systems', () => {
    expect(sandboxProblem({ platform: 'linux', argv: ['device-agent'], env: { APPIMAGE: '/x.AppImage' }, readProc: restricted('1') })).toBeUndefined();
    expect(sandboxProblem({ platform: 'win32', argv: ['x', '--no-sandbox'], env: {}, readProc: restricted('1') })).toBeUndefined();
  });
});
