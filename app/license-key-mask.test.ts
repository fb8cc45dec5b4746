import { describe, expect, it } from 'vitest';
import { maskLicenseKey } from './license-key-mask.ts';

describe('maskLicenseKey', () => {
  it.each([
    ['', ''],
    ['abc', '••••'],
    ['abcd', '••••'],
    ['abcde', '••••bcde'],
    ['ABCD-EFGH-1234', '••••••••••1234'],
    ['ABCD-EFGH-IJKL-MNOP-1234', '••••••••••••1234'],
  ])('%j → %j', (key, shown) => {
    expect(maskLicenseKey(key)).toBe(shown);
  });
});
