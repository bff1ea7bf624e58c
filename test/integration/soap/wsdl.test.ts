// WSDL-driven SOAP answers: a WSDL uploaded to an endpoint is served at ?wsdl with its addresses pointing back at the
// endpoint, and SOAP requests no rule answers get an envelope sampled from the operation's output message. The `soap`
// package's client checks the result the way a real consumer would: it reads the served WSDL, calls, parses the answer.
import { readFileSync } from 'node:fs';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rest from '../../../plugins/rest/index.js';
import soapPlugin from '../../../plugins/soap/index.js';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/wsdl/${name}.wsdl`, import.meta.url), 'utf8');
const CALCULATOR = fixture('calculator');
const COUNTRIES = fixture('country-info');
const WEATHER = fixture('weather-rpc');

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

let mg: RunningMockgate;
const upload = (endpoint: string, text: string, contentType = 'text/xml') =>
  mg.api.send('PUT', `/api/v2/endpoints/${endpoint}/wsdl`, text, { 'content-type': contentType });

beforeAll(async () => {
  mg = await startMockgate({ plugins: [rest, soapPlugin] });
  for (const [endpoint, text] of [['calc', CALCULATOR], ['countries', COUNTRIES], ['weather', WEATHER]] as const) {
    const res = await upload(endpoint, text);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
});
afterAll(() => mg.close());

const post = (endpoint: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${mg.url}/e/${endpoint}/Service`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body });
const envelope = (namespace: string, inner: string): string =>
  `<?xml version="1.0"?><s:Envelope xmlns:s="${namespace}"><s:Body>${inner}</s:Body></s:Envelope>`;
const NO_RULE = /^mockgate: no rule/;

describe('the wsdl document', () => {
  it('is stored (201), replaced (200) and read back, with any XML content type', async () => {
    const first = await upload('doc', CALCULATOR, 'application/wsdl+xml');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ path: 'wsdl', size: Buffer.byteLength(CALCULATOR) });
    expect((await upload('doc', COUNTRIES, 'application/xml; charset=utf-8')).status).toBe(200);
    const back = await fetch(`${mg.url}/api/v2/endpoints/doc/wsdl`);
    expect(back.headers.get('content-type')).toMatch(/^application\/wsdl\+xml/);
    expect(await back.text()).toBe(COUNTRIES);
  });

  it.each([
    ['not XML', '{"definitions": {}}', /not well-formed XML: char '\{' is not expected \(line 1, column 1\)/],
    ['broken XML', '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"><types></definitions>', /not well-formed XML: .*line 1/],
    ['XML that is not a WSDL', '<html><body/></html>', /the root element is <html>, not a WSDL 1\.1 <definitions>/],
    ['a WSDL 2.0', '<description xmlns="http://www.w3.org/ns/wsdl"/>', /WSDL 2\.0/],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${CALCULATOR.replace(/^<\?xml[^>]*>/, '')}`, /DOCTYPE/],
    ['a message that is not there', CALCULATOR.replace('message="tns:AddSoapOut"', 'message="tns:AddOut"'),
      /the output of operation "Add" of portType "CalculatorSoap" refers to message "tns:AddOut", which is not defined/],
    ['a portType that is not there', CALCULATOR.replace('type="tns:CalculatorSoap">\n    <soap12', 'type="tns:Calc">\n    <soap12'),
      /binding "CalculatorSoap12" refers to portType "tns:Calc", which is not defined/],
    ['a binding that is not there', CALCULATOR.replace('binding="tns:CalculatorSoap12"', 'binding="tns:Nope"'), /port "CalculatorSoap12" refers to binding "tns:Nope"/],
    ['an element that is not there', CALCULATOR.replace('element="tns:AddResponse"', 'element="tns:AddAnswer"'),
      /operation "Add" of binding "CalculatorSoap": element "AddAnswer" of namespace http:\/\/tempuri\.org\/ is not defined/],
    ['an undeclared prefix', CALCULATOR.replace('element="tns:AddResponse"', 'element="zz:AddResponse"'), /the prefix of "zz:AddResponse" is not declared/],
    ['a type of a schema it imports', WEATHER.replace('<xsd:schema targetNamespace="urn:example:weather:types">',
      '<xsd:schema targetNamespace="urn:example:weather:types"><xsd:import namespace="urn:other" schemaLocation="http://example.com/other.xsd"/>')
      .replace('type="wt:Conditions"/>\n  </wsdl:message>', 'type="o:Other" xmlns:o="urn:other"/>\n  </wsdl:message>'),
      /type "Other" of namespace urn:other is not defined in the WSDL \(imports are not fetched — http:\/\/example\.com\/other\.xsd/],
    ['no SOAP binding', CALCULATOR.replace(/<wsdl:binding[\s\S]*<\/wsdl:binding>/, '').replace(/<wsdl:service[\s\S]*<\/wsdl:service>/, ''),
      /binds no operation to SOAP/],
  ])('refuses %s with a 400 saying what is wrong, and keeps the WSDL it had', async (_, text, message) => {
    const res = await upload('calc', text);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message) });
    expect(await fetch(`${mg.url}/api/v2/endpoints/calc/wsdl`).then((r) => r.text())).toBe(CALCULATOR);
  });

  it('refuses a content type that is not XML (the core checks it)', async () => {
    const res = await upload('calc', CALCULATOR, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Content-Type must be one of application\/wsdl\+xml, text\/xml, application\/xml/);
  });
});

describe('?wsdl', () => {
  it('serves the WSDL with every SOAP address pointing at the URL the client used, and journals behavior wsdl', async () => {
    const res = await fetch(`${mg.url}/e/calc/calculator.asmx?wsdl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const text = await res.text();
    const self = `${mg.url}/e/calc/calculator.asmx`;
    expect(text.match(/address location="[^"]*"/g)).toEqual([`address location="${self}"`, `address location="${self}"`]);
    expect(text.replaceAll(self, 'http://www.dneonline.com/calculator.asmx')).toBe(CALCULATOR);
    expect((await fetch(`${mg.url}/e/calc/other/path?WSDL`).then((r) => r.text()))).toContain(`location="${mg.url}/e/calc/other/path"`);
    expect(await journaled('calc', (entry) => entry.method === 'GET')).toBe(true);
  });
});

describe('a soap client following the served WSDL', () => {
  it('calls a document/literal operation and gets a typed result (calculator, SOAP 1.1)', async () => {
    const client = await soap.createClientAsync(`${mg.url}/e/calc/calculator.asmx?wsdl`);
    const [result, raw] = await client['AddAsync']!({ intA: 1, intB: 2 });
    expect(result).toEqual({ AddResult: 42 });
    expect(raw).toContain(`xmlns:soap="${SOAP11}"`);
  });

  it('gets nested complex types, repeated elements as one item (country info)', async () => {
    const client = await soap.createClientAsync(`${mg.url}/e/countries/CountryInfoService.wso?WSDL`);
    const [info] = await client['FullCountryInfoAsync']!({ sCountryISOCode: 'NL' });
    expect(info.FullCountryInfoResult).toMatchObject({ sISOCode: 'NL', sCapitalCity: 'Amsterdam', Languages: { tLanguage: [{ sISOCode: 'NL' }] } });
    const [continents] = await client['ListOfContinentsByNameAsync']!({});
    expect(continents.ListOfContinentsByNameResult.tContinent).toHaveLength(1);
  });

  it('calls rpc/literal operations: enumerations, dates, attributes, extensions; over SOAP 1.2 too', async () => {
    const client = await soap.createClientAsync(`${mg.url}/e/weather/ws?wsdl`);
    const [forecast] = await client['GetForecastAsync']!({ city: 'Paris', days: 2 });
    expect(forecast.issuedAt).toBeInstanceOf(Date);
    expect(forecast.forecast).toMatchObject({
      location: { city: 'Amsterdam' }, date: '2024-05-17', dry: 'true', warning: expect.any(String), pollenCount: '42',
      reading: { attributes: { station: expect.any(String) }, conditions: 'SUNNY', temperature: { attributes: { unit: 'C' } } },
    });
    expect(forecast.forecast.next).toBeUndefined(); // the optional recursive element stops the recursion
    const client12 = await soap.createClientAsync(`${mg.url}/e/weather/ws?wsdl`, { forceSoap12Headers: true });
    const [temperature, raw] = await client12['GetTemperatureAsync']!({ city: 'Paris' });
    expect(temperature).toEqual({ celsius: 1.5, conditions: 'SUNNY' });
    expect(raw).toContain(`xmlns:soap="${SOAP12}"`);
  });
});

describe('SOAP requests', () => {
  it('answers a SOAP 1.2 envelope with a SOAP 1.2 envelope', async () => {
    const res = await post('countries', envelope(SOAP12, '<m:CountryName xmlns:m="http://www.oorsprong.org/websamples.countryinfo"/>'),
      { 'content-type': 'application/soap+xml; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/soap+xml; charset=utf-8');
    expect(await res.text()).toBe('<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" '
      + 'xmlns:ns1="http://www.oorsprong.org/websamples.countryinfo"><soap:Body><ns1:CountryNameResponse><ns1:CountryNameResult>Netherlands'
      + '</ns1:CountryNameResult></ns1:CountryNameResponse></soap:Body></soap:Envelope>');
  });

  it('finds the operation by SOAPAction first, then by the first Body element', async () => {
    const add = envelope(SOAP11, '<Add xmlns="http://tempuri.org/"><intA>1</intA><intB>2</intB></Add>');
    expect(await post('calc', add, { SOAPAction: '"http://tempuri.org/Divide"' }).then((r) => r.text())).toContain('<ns1:DivideResponse>');
    expect(await post('calc', add, { SOAPAction: '"urn:unknown"' }).then((r) => r.text())).toContain('<ns1:AddResponse>');
    expect(await post('calc', add).then((r) => r.text())).toContain('<ns1:AddResponse><ns1:AddResult>42</ns1:AddResult>');
  });

  it('leaves a rule first: a soap_action rule answers before the WSDL does', async () => {
    await mg.api.post('/api/v2/endpoints/ruled/rules', mockRule({ type: 'soap_action', operator: 'equals', value: 'http://tempuri.org/Add' }, { status: 201, body: 'ruled' }));
    await upload('ruled', CALCULATOR);
    const add = envelope(SOAP11, '<Add xmlns="http://tempuri.org/"/>');
    expect(await post('ruled', add, { SOAPAction: 'http://tempuri.org/Add' }).then((r) => r.text())).toBe('ruled');
    expect(await post('ruled', add, { SOAPAction: 'http://tempuri.org/Subtract' }).then((r) => r.text())).toContain('SubtractResponse');
  });

  it('journals the answers with behavior wsdl', async () => {
    await post('countries', envelope(SOAP11, '<CountryIntPhoneCode/>'));
    expect(await journaled('countries', (entry) => entry.method === 'POST')).toBe(true);
  });

  it('leaves what is not a SOAP request of the WSDL to the default answer', async () => {
    const unknown = await post('calc', envelope(SOAP11, '<Power xmlns="http://tempuri.org/"/>'));
    expect(await unknown.text()).toMatch(NO_RULE);
    for (const body of ['{"a":1}', '', '<Add/>', envelope('urn:not-soap', '<Add/>'), envelope(SOAP11, '')]) {
      expect(await post('calc', body).then((r) => r.text()), body).toMatch(NO_RULE);
    }
    expect(await fetch(`${mg.url}/e/calc/calculator.asmx`).then((r) => r.text())).toMatch(NO_RULE);
  });

  it('survives hostile bodies: garbage, deep nesting, entity bombs', async () => {
    const bodies = [
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      `<s:Envelope xmlns:s="${SOAP11}"><s:Body>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</s:Body></s:Envelope>`,
      `<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${envelope(SOAP11, '<Add>&c;</Add>')}`,
      '<'.repeat(100_000),
    ];
    for (const body of bodies) {
      const res = await post('calc', body);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^mockgate: no rule|<ns1:AddResponse>/);
    }
    expect(await post('calc', envelope(SOAP11, '<Add/>')).then((r) => r.text())).toContain('AddResponse');
  });

  it('stops answering from the WSDL once it is deleted', async () => {
    await upload('gone', CALCULATOR);
    expect(await post('gone', envelope(SOAP11, '<Add/>')).then((r) => r.text())).toContain('AddResponse');
    expect((await mg.api.delete('/api/v2/endpoints/gone/wsdl')).status).toBe(200);
    expect(await post('gone', envelope(SOAP11, '<Add/>')).then((r) => r.text())).toMatch(NO_RULE);
    expect(await fetch(`${mg.url}/e/gone/x?wsdl`).then((r) => r.text())).toMatch(NO_RULE);
  });
});

/** Whether the endpoint's journal gets an entry with behavior wsdl that `which` accepts (the journal is written after the answer). */
async function journaled(endpoint: string, which: (entry: { method: string }) => boolean): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const entries: Array<{ method: string }> = (await mg.api.get(`/api/v2/endpoints/${endpoint}/requests?behavior=wsdl`)).body.data;
    if (entries.some(which)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
