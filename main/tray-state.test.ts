import { describe, expect, it } from 'vitest';
import type { AgentPhase } from '../app/agent-api.ts';
import { SANDBOX_NOTICE, trayIconFile, trayStateFor } from './tray-state.ts';

describe('trayStateFor', () => {
  const cases: [AgentPhase, string, string][] = [
    ['synced', 'synced', 'Synced'],
    ['starting', 'syncing', 'Starting'],
    ['syncing', 'syncing', 'Syncing'],
    ['pending', 'pending', 'Pending'],
    ['attention', 'attention', 'Needs attention'],
    ['paused', 'paused', 'Paused'],
  ];
  it.each(cases)('%s → icon %s, words "%s"', (phase, icon, word) => {
    const s = trayStateFor({ phase, headline: '3 values sent', usingSandbox: false });
    expect(s.icon).toBe(icon);
    expect(s.statusLine).toBe(`${word}: 3 values sent`);
    expect(s.tooltip).toBe(`Device Agent — ${word}: 3 values sent`);
    expect(s.paused).toBe(phase === 'paused');
  });

  it('says so when the embedded sandbox is in use', () => {
    const s = trayStateFor({ phase: 'synced', headline: 'ok', usingSandbox: true });
    expect(s.tooltip).toContain(SANDBOX_NOTICE);
    expect(s.statusLine).toContain('(sandbox)');
  });

  it('keeps the tooltip within the 127 characters Windows shows', () => {
    const s = trayStateFor({ phase: 'attention', headline: 'x'.repeat(500), usingSandbox: true });
    expect(s.tooltip.length).toBe(127);
    expect(s.tooltip.endsWith('…')).toBe(true);
  });

  it('falls back to the phase word with an empty headline', () => {
    expect(trayStateFor({ phase: 'pending', headline: '  ', usingSandbox: false }).statusLine).toBe('Pending');
  });
});

describe('trayIconFile', () => {
  it('uses template images on macOS, .ico on Windows and PNG on Linux', () => {
    expect(trayIconFile('synced', 'darwin')).toBe('tray-syncedTemplate.png');
    expect(trayIconFile('attention', 'win32')).toBe('tray-attention.ico');
    expect(trayIconFile('paused', 'linux')).toBe('tray-paused.png');
  });
});
