import { describe, expect, it } from 'vitest';
import { productName } from './product.ts';

const page = (meta: string | undefined, title = 'Title') => ({
  title,
  querySelector: (selector: string) => (selector === 'meta[name="product-name"]' && meta !== undefined ? { content: meta } : null),
}) as unknown as Document;

describe('productName', () => {
  it('reads the branding\'s name the build wrote into the page, else the title', () => {
    expect(productName(page('Acme Device Agent'))).toBe('Acme Device Agent');
    expect(productName(page(undefined, 'Device Agent'))).toBe('Device Agent');
  });
});
