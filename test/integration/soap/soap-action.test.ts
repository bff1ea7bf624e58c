// The soap plugin's `soap_action` condition, through a real server and real HTTP requests: where the action comes from
// (SOAPAction header, SOAP 1.2 Content-Type action parameter, first child of the envelope's Body), every operator, and
// bodies that are not SOAP envelopes, which never match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rest from '../../../plugins/rest/index.js';
import soap from '../../../plugins/soap/index.js';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { hitRule, endpointWithRules, freshName } from '../../helpers/rule-endpoints.js';

let mg: RunningMockgate;

beforeAll(async () => {
  mg = await startMockgate({ plugins: [rest, soap] });
});
afterAll(() => mg.close());

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

/** A fresh endpoint holding one rule that answers 201 "hit"; everything else gets the default answer (200). */
const endpointWith = (condition: Record<string, unknown>): Promise<string> => endpointWithRules(mg, 'soap', hitRule(condition));

async function hits(endpoint: string, body: string, headers: Record<string, string> = {}): Promise<boolean> {
  const res = await fetch(`${mg.url}/e/${endpoint}/service`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body });
  const text = await res.text();
  if (res.status === 201) {
    expect(text).toBe('hit');
    return true;
  }
  expect(res.status).toBe(200);
  expect(text).toMatch(/^mockgate: no rule of endpoint "soap\d+" matched POST \/service/);
  return false;
}

const equals = (value: string) => ({ type: 'soap_action', operator: 'equals', value });

/** A SOAP 1.1 envelope whose Body holds `inner`. */
const envelope11 = (inner: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${inner}</soap:Body></soap:Envelope>`;

describe('soap_action: the SOAPAction header (SOAP 1.1)', () => {
  it('compares the header with its surrounding quotes stripped, or as sent when unquoted', async () => {
    const e = await endpointWith(equals('http://www.example.org/GetUser'));
    expect(await hits(e, '', { SOAPAction: '"http://www.example.org/GetUser"' })).toBe(true);
    expect(await hits(e, '', { SOAPAction: 'http://www.example.org/GetUser' })).toBe(true);
    expect(await hits(e, '', { soapaction: '"http://www.example.org/GetUser"' })).toBe(true);
    expect(await hits(e, '', { SOAPAction: '"http://www.example.org/GetUsers"' })).toBe(false);
    expect(await hits(e, '', { SOAPAction: '"http://www.example.org/getuser"' })).toBe(false);
    expect(await hits(e, '')).toBe(false);
  });

  it('wins over the Content-Type action and the envelope', async () => {
    const e = await endpointWith(equals('GetUser'));
    const body = envelope11('<m:GetUser xmlns:m="urn:users"/>');
    expect(await hits(e, body, { SOAPAction: '"DeleteUser"' })).toBe(false);
    expect(await hits(e, body, { SOAPAction: 'DeleteUser', 'content-type': 'application/soap+xml; action="GetUser"' })).toBe(false);
    expect(await hits(e, body, { SOAPAction: '"GetUser"', 'content-type': 'application/soap+xml; action="DeleteUser"' })).toBe(true);
  });

  it('an empty SOAPAction ("") names no action: the envelope does', async () => {
    const e = await endpointWith(equals('GetUser'));
    expect(await hits(e, envelope11('<m:GetUser xmlns:m="urn:users"/>'), { SOAPAction: '""' })).toBe(true);
    expect(await hits(e, envelope11('<m:GetOrder xmlns:m="urn:users"/>'), { SOAPAction: '""' })).toBe(false);
  });
});

describe('soap_action: the action parameter of the Content-Type (SOAP 1.2)', () => {
  it('reads a quoted or token action parameter, any letter case of its name, anywhere among the parameters', async () => {
    const e = await endpointWith(equals('urn:example:GetUser'));
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; charset=utf-8; action="urn:example:GetUser"' })).toBe(true);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml;action=urn:example:GetUser;charset=utf-8' })).toBe(true);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; ACTION="urn:example:GetUser"' })).toBe(true);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; charset=utf-8; action="urn:example:GetUsers"' })).toBe(false);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; charset=utf-8' })).toBe(false);
    // a parameter whose name only ends in "action" is another parameter
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; xaction="urn:example:GetUser"' })).toBe(false);
  });

  it('unescapes a quoted value and wins over the envelope', async () => {
    const e = await endpointWith(equals('urn:a"b'));
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; action="urn:a\\"b"' })).toBe(true);
    const f = await endpointWith(equals('GetUser'));
    const body = `<env:Envelope xmlns:env="${SOAP12}"><env:Body><m:GetUser xmlns:m="urn:users"/></env:Body></env:Envelope>`;
    expect(await hits(f, body, { 'content-type': 'application/soap+xml; action="urn:DeleteUser"' })).toBe(false);
    expect(await hits(f, body, { 'content-type': 'application/soap+xml; charset=utf-8' })).toBe(true);
  });
});

describe('soap_action: the first element of the envelope Body, when no header names the action', () => {
  it('SOAP 1.1 and 1.2 envelopes, prefixed or in a default namespace, with a Header, comments and whitespace', async () => {
    const e = await endpointWith(equals('GetUser'));
    const bodies = [
      envelope11('<m:GetUser xmlns:m="urn:users"><m:id>7</m:id></m:GetUser>'),
      `<env:Envelope xmlns:env="${SOAP12}"><env:Header><t:Trace xmlns:t="urn:t">1</t:Trace></env:Header>`
        + '<env:Body><m:GetUser xmlns:m="urn:users"><m:id>7</m:id></m:GetUser></env:Body></env:Envelope>',
      `<Envelope xmlns="${SOAP11}"><Body><GetUser xmlns="urn:users"><id>7</id></GetUser></Body></Envelope>`,
      `<Envelope xmlns="${SOAP12}"><Body><GetUser/></Body></Envelope>`,
      `<?xml version="1.0"?>\n<!-- a request -->\n<S:Envelope xmlns:S="${SOAP11}">\n  <S:Body>\n    <!-- first -->\n    <GetUser/>\n    <GetOrder/>\n  </S:Body>\n</S:Envelope>\n`,
    ];
    for (const body of bodies) expect(await hits(e, body), body).toBe(true);
    expect(await hits(e, bodies[1]!, { 'content-type': 'application/soap+xml; charset=utf-8' })).toBe(true);
  });

  it('only the first element counts, and only in the Body', async () => {
    const e = await endpointWith(equals('GetUser'));
    expect(await hits(e, envelope11('<GetOrder/><GetUser/>'))).toBe(false);
    expect(await hits(e, `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header><GetUser/></soap:Header><soap:Body/></soap:Envelope>`)).toBe(false);
    expect(await hits(e, envelope11('<m:GetUserRequest xmlns:m="urn:users"/>'))).toBe(false);
  });
});

describe('soap_action operators', () => {
  it('equals is exact and case-sensitive', async () => {
    const e = await endpointWith(equals('GetUser'));
    expect(await hits(e, '', { SOAPAction: 'GetUser' })).toBe(true);
    expect(await hits(e, '', { SOAPAction: 'getuser' })).toBe(false);
    expect(await hits(e, '', { SOAPAction: 'GetUser2' })).toBe(false);
    expect(await hits(e, envelope11('<GetUser/>'))).toBe(true);
  });

  it('contains looks for the value inside the action', async () => {
    const e = await endpointWith({ type: 'soap_action', operator: 'contains', value: 'User' });
    expect(await hits(e, '', { SOAPAction: '"http://www.example.org/GetUser"' })).toBe(true);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; action="urn:DeleteUser"' })).toBe(true);
    expect(await hits(e, envelope11('<m:UserList xmlns:m="urn:u"/>'))).toBe(true);
    expect(await hits(e, '', { SOAPAction: '"http://www.example.org/GetOrder"' })).toBe(false);
    expect(await hits(e, envelope11('<m:user xmlns:m="urn:u"/>'))).toBe(false);
  });

  it('regex runs on the safe engine, and a pattern it refuses is a 400 when the rule is written', async () => {
    const e = await endpointWith({ type: 'soap_action', operator: 'regex', value: '^(Get|Find)User(s|ById)?$' });
    expect(await hits(e, '', { SOAPAction: 'GetUser' })).toBe(true);
    expect(await hits(e, '', { 'content-type': 'application/soap+xml; action=FindUserById' })).toBe(true);
    expect(await hits(e, envelope11('<FindUsers/>'))).toBe(true);
    expect(await hits(e, '', { SOAPAction: 'DeleteUser' })).toBe(false);
    expect(await hits(e, envelope11('<GetUserX/>'))).toBe(false);

    const bad = await mg.api.post('/api/v2/endpoints/soapbad/rules', mockRule({ type: 'soap_action', operator: 'regex', value: '(a)\\1' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/value' });
    expect(bad.body.error.message).toMatch(/back-references/);
  });

  it('a hostile regex answers quickly', async () => {
    const e = await endpointWith({ type: 'soap_action', operator: 'regex', value: '(a+)+$' });
    const started = performance.now();
    expect(await hits(e, '', { SOAPAction: `${'a'.repeat(40)}!` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an operator or field the schema does not have, with the pointer', async () => {
    const op = await mg.api.post('/api/v2/endpoints/soapbad/rules', mockRule({ type: 'soap_action', operator: 'starts_with', value: 'Get' }));
    expect(op.status).toBe(400);
    expect(op.body.error).toMatchObject({ code: 'validation_error', parameter: '/conditions/0/operator' });
    const missing = await mg.api.post('/api/v2/endpoints/soapbad/rules', mockRule({ type: 'soap_action', operator: 'equals' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_error');
    expect(missing.body.error.message).toMatch(/value/);
    const extra = await mg.api.post('/api/v2/endpoints/soapbad/rules', mockRule({ type: 'soap_action', operator: 'equals', value: 'x', key: 'y' }));
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_error');
  });
});

describe('soap_action: bodies that are not SOAP envelopes', () => {
  const notEnvelopes: Array<[string, string]> = [
    ['malformed XML', `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><GetUser></soap:Body></soap:Envelope>`],
    ['an unclosed envelope', `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><GetUser/></soap:Body>`],
    ['text', 'GetUser'],
    ['JSON', '{"Envelope": {"Body": {"GetUser": {}}}}'],
    ['XML that is not an envelope', '<GetUser><id>7</id></GetUser>'],
    ['a Body outside an envelope', '<Root><Body><GetUser/></Body></Root>'],
    ['an envelope without a Body', `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header><GetUser/></soap:Header></soap:Envelope>`],
    ['an empty Body', envelope11('')],
    ['a Body holding only text', envelope11('GetUser')],
    ['two root elements', `${envelope11('<GetUser/>')}<Other/>`],
    ['an empty body', ''],
    ['binary', '\u0000\u0001\u00ff<'],
  ];

  it.each(notEnvelopes)('%s never matches, whatever the operator', async (_, body) => {
    for (const condition of [equals('GetUser'), { type: 'soap_action', operator: 'contains', value: '' }, { type: 'soap_action', operator: 'regex', value: '.*' }]) {
      const e = await endpointWith(condition);
      expect(await hits(e, body)).toBe(false);
    }
  });

  it('the server keeps answering: the same endpoint matches a good envelope right after', async () => {
    const e = await endpointWith(equals('GetUser'));
    for (const [, body] of notEnvelopes) expect(await hits(e, body)).toBe(false);
    expect(await hits(e, envelope11('<GetUser/>'))).toBe(true);
    const health = await mg.api.get('/api/health');
    expect(health.status).toBe(200);
  });

  it('entities are not expanded: a DOCTYPE cannot make the parse blow up', async () => {
    const e = await endpointWith(equals('GetUser'));
    const entities = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE Envelope [<!ENTITY l0 "lol">${entities}]>`
      + `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body><GetOrder>&l9;</GetOrder></soap:Body></soap:Envelope>`;
    const started = performance.now();
    expect(await hits(e, bomb)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('soap_action among other rules', () => {
  it('one request tried by several soap_action rules: the first whose condition holds answers', async () => {
    const name = freshName('soap');
    const rule = (value: string, body: string) => ({
      enabled: true, method: 'POST', conditions: [equals(value)], action: { type: 'mock', status: 200, headers: [], body },
    });
    const put = await mg.api.put(`/api/v2/endpoints/${name}/rules`, { rules: [rule('GetOrder', 'order'), rule('GetUser', 'user'), rule('GetUser', 'second')] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await fetch(`${mg.url}/e/${name}/ws`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: envelope11('<GetUser/>') });
    expect(await res.text()).toBe('user');
    const order = await fetch(`${mg.url}/e/${name}/ws`, { method: 'POST', headers: { SOAPAction: '"GetOrder"' } });
    expect(await order.text()).toBe('order');
  });
});
