import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './did-you-mean.ts';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1], // substitution
    ['abc', 'abcd', 1], // insertion
    ['abcd', 'abc', 1], // deletion
    ['abcd', 'bcd', 1], // deletion at the front
    ['abc', 'acb', 1], // transposition of neighbours
    ['ab', 'ba', 1],
    ['abcdef', 'badcfe', 3], // three transpositions
    ['ca', 'abc', 3], // OSA, not full Damerau (which says 2)
    ['kitten', 'sitting', 3],
    ['product', 'prodcut', 1],
    ['licenseKey', 'licenceKey', 1],
    ['abc', 'xyz', 3],
    ['a', 'b', 1],
  ])('%j → %j is %i (and the same the other way)', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closest', () => {
  const settings = ['apiKey', 'sharedKey', 'product', 'licenseKey', 'username', 'interval', 'hardwareIdFile'];

  it.each([
    ['prodcut', 'product'],
    ['PRODUCT', 'product'],
    ['api-key', 'apiKey'],
    ['api_key', 'apiKey'],
    ['license_key', 'licenseKey'],
    ['licenceky', 'licenseKey'], // 9 characters: three edits allowed (two here)
    ['hardware-id-fil', 'hardwareIdFile'],
    ['usrname', 'username'],
  ])('%j → %j', (word, hit) => {
    expect(closest(word, settings)).toBe(hit);
  });

  it.each([
    // [word, the one candidate, what closest gives]: up to 4 characters one edit, up to 8 two, longer three
    ['abcd', 'abce', 'abce'],
    ['abcd', 'abef', undefined],
    ['abcde', 'abcxy', 'abcxy'],
    ['abcde', 'abxyz', undefined],
    ['abcdefgh', 'abcdefxy', 'abcdefxy'],
    ['abcdefgh', 'abcdexyz', undefined],
    ['abcdefghi', 'abcdefxyz', 'abcdefxyz'],
    ['abcdefghi', 'abcdewxyz', undefined],
    ['a', 'b', 'b'],
    ['a', 'bc', undefined],
  ])('the allowance grows with the length: %j vs %j → %j', (word, candidate, hit) => {
    expect(closest(word, [candidate])).toBe(hit);
  });

  it('takes the first of equally close candidates, and a closer later one over an earlier', () => {
    expect(closest('abcx', ['abcy', 'abcz'])).toBe('abcy');
    expect(closest('abcx', ['abyy', 'abcz'])).toBe('abcz');
    expect(closest('abcx', ['abcx', 'abcz'])).toBe('abcx');
  });

  it('has no answer for an empty word (or only dashes), or no candidates', () => {
    expect(closest('', ['a'])).toBeUndefined();
    expect(closest('--', ['a', ''])).toBeUndefined();
    expect(closest('abc', [])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('says the closest name in brackets, or nothing', () => {
    expect(didYouMean('prodcut', ['product', 'username'])).toBe(' (did you mean product?)');
    expect(didYouMean('zzzzzz', ['product', 'username'])).toBe('');
  });
});
