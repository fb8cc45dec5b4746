// What the build writes into the status page and its stylesheet from a branding.
import { describe, expect, it } from 'vitest';
import { acmeBranding } from '../test/branding/acme.ts';
import { brandCss, renderIndexHtml } from './build.ts';

describe('the status page under a branding', () => {
  const acme = { ...acmeBranding(), productName: 'Acme & Sons\' Agent' };

  it('fills in {{branding.*}} escaped, with the support line; leaves other braces alone; refuses an unknown one', () => {
    const html = renderIndexHtml('<title>{{branding.productName}}</title>{{branding.support}}<p>{{other}}</p>', acme);
    expect(html).toBe('<title>Acme &#38; Sons&#39; Agent</title><footer class="support muted">Help from Acme Corp: help@acme.example · https://support.acme.example/agent</footer><p>{{other}}</p>');
    expect(renderIndexHtml('{{branding.support}}', { ...acme, support: undefined })).toBe('');
    expect(() => renderIndexHtml('{{branding.nmae}}', acme)).toThrow('unknown branding token {{branding.nmae}}');
  });

  it('sets the accent in light and dark, with readable text on it', () => {
    expect(brandCss(acme)).toContain(':root { --accent: #c2410c; --accent-fg: #ffffff; --focus: #c2410c; }');
    expect(brandCss({ ...acme, accentColor: '#ffd33d' })).toContain('--accent: #ffd33d; --accent-fg: #0b0d10;');
  });
});
