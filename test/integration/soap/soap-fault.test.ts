// The soap plugin's `soap_fault` action through a real server: SOAP 1.1 and 1.2 Fault envelopes parsed back with
// fast-xml-parser (elements, namespaces, content type, status, escaping), the delay, and the checks made at write time.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rest from '../../../plugins/rest/index.js';
import soap from '../../../plugins/soap/index.js';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
let counter = 0;

beforeAll(async () => {
  mg = await startMockgate({ plugins: [rest, soap] });
});
afterAll(() => mg.close());

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

// prefixes kept, attributes kept, text as written (entities decoded): what a SOAP client sees
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false });

const faultRule = (action: Record<string, unknown>, conditions: unknown[] = [{ type: 'path', operator: 'equals', value: '/ws' }]) => ({
  enabled: true, method: 'POST', conditions, action: { type: 'soap_fault', ...action },
});

async function ruleWith(action: Record<string, unknown>): Promise<{ endpoint: string; id: string }> {
  const endpoint = `fault${++counter}`;
  const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, faultRule(action));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { endpoint, id: res.body.id };
}

async function call(endpoint: string): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${mg.url}/e/${endpoint}/ws`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
  return { res, text: await res.text() };
}

describe('soap_fault: SOAP 1.1', () => {
  it('answers 500 with a text/xml Fault envelope in the 1.1 namespace, the reason escaped', async () => {
    const { endpoint, id } = await ruleWith({ code: 'soap:Server', reason: 'Out of <stock> & "gone" \'now\'' });
    const { res, text } = await call(endpoint);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get('x-beeceptor-rule-id')).toBe(id);
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(text).toContain('<faultstring>Out of &lt;stock&gt; &amp; &quot;gone&quot; &apos;now&apos;</faultstring>');
    expect(parser.parse(text)).toEqual({
      '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
      'soap:Envelope': {
        '@_xmlns:soap': SOAP11,
        'soap:Body': { 'soap:Fault': { faultcode: 'soap:Server', faultstring: 'Out of <stock> & "gone" \'now\'' } },
      },
    });
  });

  it('is the default version; a bare code gets the envelope prefix; detail goes in as XML; status as given', async () => {
    const detail = '<e:OrderError xmlns:e="urn:orders"><e:id>7</e:id><e:note>a &amp; b</e:note></e:OrderError>';
    const { endpoint } = await ruleWith({ version: '1.1', code: 'Client.Validation', reason: 'bad order', detail, status: 400 });
    const { res, text } = await call(endpoint);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(text).toContain(`<detail>${detail}</detail>`);
    expect(parser.parse(text)['soap:Envelope']).toEqual({
      '@_xmlns:soap': SOAP11,
      'soap:Body': {
        'soap:Fault': {
          faultcode: 'soap:Client.Validation',
          faultstring: 'bad order',
          detail: { 'e:OrderError': { '@_xmlns:e': 'urn:orders', 'e:id': '7', 'e:note': 'a & b' } },
        },
      },
    });
  });

  it('answers a request the soap_action condition picked, after its delay', async () => {
    const endpoint = `fault${++counter}`;
    const created = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`,
      faultRule({ code: 'soap:Server', reason: 'slow', delay: 200 }, [{ type: 'soap_action', operator: 'equals', value: 'urn:Slow' }]));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = performance.now();
    const res = await fetch(`${mg.url}/e/${endpoint}/anything`, { method: 'POST', headers: { SOAPAction: '"urn:Slow"' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(500);
    expect(parser.parse(await res.text())['soap:Envelope']['soap:Body']['soap:Fault'].faultstring).toBe('slow');
    const other = await fetch(`${mg.url}/e/${endpoint}/anything`, { method: 'POST', headers: { SOAPAction: '"urn:Fast"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toMatch(/^mockgate: no rule/);
  });
});

describe('soap_fault: SOAP 1.2', () => {
  it('answers an application/soap+xml Fault in the 1.2 namespace: Code/Value, Reason/Text with xml:lang, Detail', async () => {
    const detail = '<e:Err xmlns:e="urn:e"><e:Code>42</e:Code></e:Err><e:More xmlns:e="urn:e"/>';
    const { endpoint } = await ruleWith({ version: '1.2', code: 'Sender', reason: 'price < 0 & "free"', detail, status: 400 });
    const { res, text } = await call(endpoint);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/soap+xml; charset=utf-8');
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain('<soap:Text xml:lang="en">price &lt; 0 &amp; &quot;free&quot;</soap:Text>');
    expect(parser.parse(text)).toEqual({
      '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
      'soap:Envelope': {
        '@_xmlns:soap': SOAP12,
        'soap:Body': {
          'soap:Fault': {
            'soap:Code': { 'soap:Value': 'soap:Sender' },
            'soap:Reason': { 'soap:Text': { '#text': 'price < 0 & "free"', '@_xml:lang': 'en' } },
            'soap:Detail': { 'e:Err': { '@_xmlns:e': 'urn:e', 'e:Code': '42' }, 'e:More': { '@_xmlns:e': 'urn:e' } },
          },
        },
      },
    });
  });

  it('defaults to 500 and has no Detail without a detail; a prefixed code is accepted', async () => {
    const { endpoint } = await ruleWith({ version: '1.2', code: 'soap:Receiver', reason: '' });
    const { res, text } = await call(endpoint);
    expect(res.status).toBe(500);
    expect(text).toContain('<soap:Reason><soap:Text xml:lang="en"></soap:Text></soap:Reason></soap:Fault>');
    // fast-xml-parser leaves out empty text
    expect(parser.parse(text)['soap:Envelope']['soap:Body']).toEqual({
      'soap:Fault': {
        'soap:Code': { 'soap:Value': 'soap:Receiver' },
        'soap:Reason': { 'soap:Text': { '@_xml:lang': 'en' } },
      },
    });
  });
});

describe('soap_fault: checked when the rule is written', () => {
  const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an unknown version', { version: '1.3', code: 'soap:Server', reason: 'x' }, '/action/version', /1\.1, 1\.2/],
    ['a version as a number', { version: 1.2, code: 'Receiver', reason: 'x' }, '/action/version', /must be one of/],
    ['an unclosed element in detail', { code: 'soap:Server', reason: 'x', detail: '<a><b></a>' }, '/action/detail', /not well-formed/],
    ['an unclosed detail', { code: 'soap:Server', reason: 'x', detail: '<a>' }, '/action/detail', /not well-formed/],
    ['a bare & in detail', { code: 'soap:Server', reason: 'x', detail: '<a>x & y</a>' }, '/action/detail', /not well-formed/],
    ['an entity XML does not define', { code: 'soap:Server', reason: 'x', detail: '<a>&nbsp;</a>' }, '/action/detail', /&nbsp;/],
    ['"]]>" outside CDATA in detail', { code: 'soap:Server', reason: 'x', detail: '<a>x]]>y</a>' }, '/action/detail', /CDATA/],
    ['a DOCTYPE in detail', { code: 'soap:Server', reason: 'x', detail: '<!DOCTYPE a><a/>' }, '/action/detail', /DOCTYPE/],
    ['an XML declaration in detail', { code: 'soap:Server', reason: 'x', detail: '<?xml version="1.0"?><a/>' }, '/action/detail', /declaration/],
    ['a control character in detail', { code: 'soap:Server', reason: 'x', detail: '<a>\u0001</a>' }, '/action/detail', /character/],
    ['a control character in reason', { code: 'soap:Server', reason: 'x\u0000' }, '/action/reason', /character/],
    ['a 1.2 code in a 1.1 fault', { code: 'Receiver', reason: 'x' }, '/action/code', /SOAP 1\.1 fault code/],
    ['a 1.1 code in a 1.2 fault', { version: '1.2', code: 'soap:Server', reason: 'x' }, '/action/code', /SOAP 1\.2 fault code/],
    ['a code with another prefix', { code: 'env:Server', reason: 'x' }, '/action/code', /fault code/],
    ['a status out of range', { code: 'soap:Server', reason: 'x', status: 600 }, '/action/status', /599/],
    ['a negative delay', { code: 'soap:Server', reason: 'x', delay: -1 }, '/action/delay', /0/],
    ['an unknown field', { code: 'soap:Server', reason: 'x', headers: [] }, '/action/headers', /headers/],
  ];

  it.each(refused)('%s is a 400 with the pointer, and no rule is added', async (_, action, parameter, message) => {
    const endpoint = `fault${++counter}`;
    const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, faultRule(action));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', parameter });
    expect(res.body.error.message).toMatch(message);
    const list = await mg.api.get(`/api/v2/endpoints/${endpoint}/rules`);
    expect(list.status === 404 || list.body.data.length === 0).toBe(true);
  });

  it('requires code and reason', async () => {
    for (const [action, field] of [[{ reason: 'x' }, 'code'], [{ code: 'soap:Server' }, 'reason']] as const) {
      const res = await mg.api.post('/api/v2/endpoints/faultreq/rules', faultRule(action));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(field);
    }
  });

  it('accepts detail with CDATA, comments, character references and plain text', async () => {
    const detail = 'text <a><![CDATA[1 < 2 & ]]> ok<!-- & --></a>&#65;&#x42;&lt;';
    const { endpoint } = await ruleWith({ code: 'soap:Server', reason: 'x', detail });
    const { text } = await call(endpoint);
    expect(text).toContain(`<detail>${detail}</detail>`);
    expect(XMLValidator.validate(text)).toBe(true);
  });
});
