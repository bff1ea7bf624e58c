// The soap plugin is built in: a server started with the default plugin list takes its condition and action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '../../../core/plugins/builtin-plugins.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

describe('soap plugin registration', () => {
  it('is in the built-in list', () => {
    expect(BUILTIN_PLUGINS.map((p) => p.name)).toContain('soap');
  });

  it('a default server answers a soap_action rule with a soap_fault', async () => {
    const created = await mg.api.post('/api/v2/endpoints/soapbuiltin/rules', {
      enabled: true, method: 'POST',
      conditions: [{ type: 'soap_action', operator: 'equals', value: 'http://www.example.org/GetUser' }],
      action: { type: 'soap_fault', code: 'soap:Client', reason: 'no such user' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const res = await fetch(`${mg.url}/e/soapbuiltin/UserService`, {
      method: 'POST', headers: { SOAPAction: '"http://www.example.org/GetUser"', 'content-type': 'text/xml; charset=utf-8' }, body: '<x/>',
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(res.headers.get('x-beeceptor-rule-id')).toBe(created.body.id);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
      + '<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>no such user</faultstring></soap:Fault></soap:Body></soap:Envelope>');
  });
});
