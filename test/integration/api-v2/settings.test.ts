// GET/PATCH settings: every EndpointSettings field stored and validated; PATCH is a JSON merge patch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

// The document's example of GET/PATCH /settings.
const documentExample = {
  security: { enabled: true, headerKey: 'some-key', headerValue: 'some-value' },
  cors: { origins: ['https://one.example.com', 'https://two.example.com'] },
  locale: 'en',
  rateLimit: { enabled: true, rate: 5, period: 'Second' },
  crud: { autoDelete: true },
  customDomain: { enabled: true, domain: 'whitelabel.example.com' },
  mtls: { enabled: false },
  localTunnel: false,
  proxy: { targetUrl: 'https://target.example.com', ignoreSSLErrors: false },
  rules: { enabled: true },
};

describe('settings', () => {
  it('GET gives every field with defaults', async () => {
    const res = await mg.api.get('/api/v2/endpoints/s1/settings');
    expect(res.body).toEqual({
      security: { enabled: false, headerKey: '', headerValue: '' },
      cors: { origins: [] },
      locale: 'en',
      rateLimit: { enabled: false, rate: 10, period: 'Second' },
      crud: { autoDelete: false },
      customDomain: { enabled: false, domain: '' },
      mtls: { enabled: false },
      localTunnel: false,
      proxy: { targetUrl: '', ignoreSSLErrors: false },
      rules: { enabled: true },
      journal: { maskHeaders: false, maskedHeaders: [] },
      specs: { validateRequests: true },
    });
  });

  it('PATCH with the document example stores and returns it', async () => {
    const res = await mg.api.patch('/api/v2/endpoints/s2/settings', documentExample);
    expect(res.status).toBe(200);
    const withJournal = { ...documentExample, journal: { maskHeaders: false, maskedHeaders: [] }, specs: { validateRequests: true } };
    expect(res.body).toEqual(withJournal);
    expect((await mg.api.get('/api/v2/endpoints/s2/settings')).body).toEqual(withJournal);
  });

  it('PATCH merges nested objects; null returns a field to its default; arrays are replaced', async () => {
    // a custom domain belongs to one endpoint: s2 holds the example's already
    await mg.api.patch('/api/v2/endpoints/s3/settings', { ...documentExample, customDomain: { enabled: true, domain: 's3.example.com' } });
    const res = await mg.api.patch('/api/v2/endpoints/s3/settings', { security: { enabled: false }, cors: { origins: ['https://x.io'] }, proxy: null });
    expect(res.body.security).toEqual({ enabled: false, headerKey: 'some-key', headerValue: 'some-value' });
    expect(res.body.cors).toEqual({ origins: ['https://x.io'] });
    expect(res.body.proxy).toEqual({ targetUrl: '', ignoreSSLErrors: false });
    expect(res.body.rateLimit).toEqual(documentExample.rateLimit);
  });

  it('keeps mockgate\'s specs block: validation on by default, a seed set and removed with null', async () => {
    const url = '/api/v2/endpoints/s5/settings';
    expect((await mg.api.get(url)).body.specs).toEqual({ validateRequests: true });
    const seeded = await mg.api.patch(url, { specs: { validateRequests: false, seed: 42 } });
    expect(seeded.status).toBe(200);
    expect(seeded.body.specs).toEqual({ validateRequests: false, seed: 42 });
    expect((await mg.api.patch(url, { specs: { seed: 7 } })).body.specs).toEqual({ validateRequests: false, seed: 7 });
    expect((await mg.api.patch(url, { specs: { seed: null } })).body.specs).toEqual({ validateRequests: false });
    expect((await mg.api.patch(url, { specs: null })).body.specs).toEqual({ validateRequests: true });
    expect((await mg.api.get(url)).body.specs).toEqual({ validateRequests: true });
  });

  it('refuses invalid values, pointing at the field, and changes nothing', async () => {
    await mg.api.patch('/api/v2/endpoints/s4/settings', { locale: 'fr' });
    const cases: Array<[unknown, string]> = [
      [{ locale: 'klingon' }, '/locale'],
      [{ rateLimit: { period: 'Day' } }, '/rateLimit/period'],
      [{ rateLimit: { rate: 0 } }, '/rateLimit/rate'],
      [{ rateLimit: { rate: 1.5 } }, '/rateLimit/rate'],
      [{ security: { enabled: 'yes' } }, '/security/enabled'],
      [{ security: { enabled: true } }, '/security/headerKey'],
      [{ security: { headerKey: 'bad header' } }, '/security/headerKey'],
      [{ cors: { origins: 'x' } }, '/cors/origins'],
      [{ customDomain: { enabled: true } }, '/customDomain/domain'],
      [{ customDomain: { domain: 'not a domain' } }, '/customDomain/domain'],
      [{ proxy: { targetUrl: 'ftp://x' } }, '/proxy/targetUrl'],
      [{ localTunnel: 'no' }, '/localTunnel'],
      [{ colour: 'blue' }, '/colour'],
      [{ rules: { enabled: true, extra: 1 } }, '/rules/extra'],
      [{ journal: { maxEntries: 0 } }, '/journal/maxEntries'],
      [{ journal: { maskedHeaders: ['bad header'] } }, '/journal/maskedHeaders/0'],
      [{ specs: { validateRequests: 'no' } }, '/specs/validateRequests'],
      [{ specs: { seed: -1 } }, '/specs/seed'],
      [{ specs: { seed: 1.5 } }, '/specs/seed'],
      [{ specs: { seed: '42' } }, '/specs/seed'],
      [{ specs: { strict: true } }, '/specs/strict'],
    ];
    for (const [patch, pointer] of cases) {
      const res = await mg.api.patch('/api/v2/endpoints/s4/settings', patch);
      expect(res.status, pointer).toBe(400);
      expect(res.body.error.code, pointer).toBe('validation_error');
      expect(res.body.error.parameter, JSON.stringify(res.body.error)).toBe(pointer);
    }
    expect((await mg.api.get('/api/v2/endpoints/s4/settings')).body.locale).toBe('fr');
  });
});
