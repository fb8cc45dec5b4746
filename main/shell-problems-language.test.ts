// The shell's own problems (the sandbox, the settings file, the keyring, the administrator's
// file, a start that failed) in the app's language: the window and the tray said them in
// English whatever the language (issue 16 left them so).
import { describe, expect, it } from 'vitest';
import { localizeError } from '../app/licenseapi/error-text.ts';
import { translator } from '../locales/i18n.ts';
import { idleStatus } from './agent-host.ts';
import { sandboxProblem } from './linux-sandbox.ts';
import { withShellProblems } from './shell-problems.ts';
import { keyringUnavailableStatus, managedBrokenStatus } from './start-blockers.ts';

const de = translator('de-DE');
const en = translator('en-US');
const synced = { ...idleStatus('Synced just now', '', ''), phase: 'synced' as const, error: undefined };

describe("the shell's problems in the app's language", () => {
  it('the AppImage without the sandbox: German in a German app, the same English as before in an English one', () => {
    const problem = sandboxProblem({ platform: 'linux', argv: ['x', '--no-sandbox'], env: { APPIMAGE: '/a.AppImage' }, readProc: () => '1' });
    const error = withShellProblems(synced, [problem!], 1).error!;
    expect(error.summary).toBe("Device Agent is running without Chromium's sandbox (its AppImage launcher turned it off): this system's AppArmor refuses the user namespaces the sandbox needs to programs it has no profile for (Ubuntu 23.10 and later). Syncing goes on, but the status window has lost a layer of protection.");
    expect(localizeError(error, en)).toMatchObject({ summary: error.summary, remedy: error.remedy });
    const german = localizeError(error, de);
    expect(german.summary).toBe('Device Agent läuft ohne die Sandbox von Chromium (der AppImage-Starter hat sie abgeschaltet): AppArmor verweigert auf diesem System Programmen ohne eigenes Profil die User-Namespaces, die die Sandbox braucht (Ubuntu 23.10 und neuer). Die Synchronisierung läuft weiter, aber dem Statusfenster fehlt eine Schutzschicht.');
    expect(german.remedy).toMatch(/^Installieren Sie Device Agent aus dem \.deb-Paket/);
    expect(german.code).toBe('sandbox_off');
  });

  it("the administrator's broken file keeps its path and its detail, in German words around them", () => {
    const error = managedBrokenStatus('/etc/device-agent/config.json', [{ field: 'config', message: 'is not valid JSON' }], 1).error!;
    const german = localizeError(error, de);
    expect(german.summary).toBe('Die Konfiguration Ihrer Administration /etc/device-agent/config.json kann nicht verwendet werden: config: is not valid JSON. Device Agent synchronisiert nicht, bis sie korrigiert ist, damit ihre Vorgaben nie stillschweigend wegfallen.');
    expect(german.remedy).toBe('Wenden Sie sich an Ihren IT-Support. Sobald die Datei korrigiert ist, klicken Sie auf „Jetzt synchronisieren“ (oder starten Sie Device Agent neu).');
  });

  it('the keyring, in both languages', () => {
    const error = keyringUnavailableStatus(1).error!;
    expect(error.remedy).toBe('Unlock your keyring (GNOME Keyring or KWallet: log in to it), then click Sync now. Device Agent also tries again by itself; if it keeps failing, quit Device Agent and start it again (the keyring is asked once per start).');
    expect(localizeError(error, de).summary).toMatch(/^Der Schlüsselbund des Systems hat Device Agent/);
  });

  it('an error with plain English words and no message is left as it is (an engine detail is not lost)', () => {
    const error = idleStatus('Not configured', 'No key.', 'Enter it.').error!;
    expect(localizeError(error, de)).toEqual(error);
  });
});

describe('a second problem, shown as a warning', () => {
  it('comes with its message, so the window says it in German (warningIn finds it by its English words)', async () => {
    const { warningIn } = await import('../renderer/format.ts');
    const first = sandboxProblem({ platform: 'linux', argv: ['x', '--no-sandbox'], env: {}, readProc: () => '0' })!;
    const broken = keyringUnavailableStatus(1);
    const s = withShellProblems(broken, [first], 1); // the engine's own error stands: the problem becomes a warning
    expect(s.warnings).toEqual([`${first.summary} ${first.remedy}`]);
    expect(warningIn(de, s.warnings[0]!, s.warningMessages)).toBe('Device Agent läuft ohne die Sandbox von Chromium: es wurde mit --no-sandbox gestartet. Die Synchronisierung läuft weiter, aber dem Statusfenster fehlt eine Schutzschicht. Starten Sie Device Agent ohne --no-sandbox (über den Menüeintrag oder den Starter des Pakets), oder fragen Sie Ihren IT-Support.');
    expect(warningIn(en, s.warnings[0]!, s.warningMessages)).toBe(s.warnings[0]);
  });
});
