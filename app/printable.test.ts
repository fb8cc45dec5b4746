import { describe, expect, it } from 'vitest';
import { printable, printableDeep, printableLines } from './printable.ts';

describe('printable', () => {
  it('escapes terminal escape sequences, C1 controls, bidi overrides and lone surrogates, as JSON-style \\u escapes', () => {
    expect(printable('\u001b[2J\u001b]0;owned\u0007')).toBe('\\u001b[2J\\u001b]0;owned\\u0007');
    expect(printable('a\u009bb\u007fc\rd')).toBe('a\\u009bb\\u007fc\\u000dd');
    expect(printable('file\u202Efdp.exe')).toBe('file\\u202efdp.exe');
    expect(printable('x\ud800y')).toBe('x\\ud800y');
    expect(printable('ünïcödé 😀 日本')).toBe('ünïcödé 😀 日本');
    expect(printable('two\nlines\tand a tab')).toBe('two\\u000alines\\u0009and a tab');
  });

  it('keeps line breaks and tabs for terminal output, and an escaped JSON line stays JSON', () => {
    expect(printableLines('one\n\ttwo\u001b')).toBe('one\n\ttwo\\u001b');
    const json = JSON.stringify({ code: 'x\u009b\u202e' });
    expect(JSON.parse(printableLines(json))).toEqual({ code: 'x\u009b\u202e' });
  });

  it('reaches every string in a structure', () => {
    expect(printableDeep({ a: ['\u001b'], b: { c: 1, d: true, e: '\u009b' } })).toEqual({ a: ['\\u001b'], b: { c: 1, d: true, e: '\\u009b' } });
  });
});
