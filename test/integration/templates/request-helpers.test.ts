// Request helpers through real requests: body (JSON, form, XML), query parameters, headers, cookies, path parameters,
// method, path and URL, and the root context (`request`, `params`, `endpoint`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { render } from './template-harness.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('body', () => {
  const order = { customer: { name: 'Ada', tags: ['vip', 'new'] }, line_items: [{ id: 110, quantity: 1, total: 60 }], note: null };

  it.each([
    ["{{body 'customer.name'}}", 'Ada'],
    ["{{body 'line_items.0.id'}}", '110'],
    ["{{body 'line_items[0].total'}}", '60'],
    ["{{body '$.line_items[0].quantity'}}", '1'],
    ["{{body 'customer.tags.1'}}", 'new'],
    ["{{body 'customer.tags'}}", 'vip,new'],
    ["{{body 'customer.missing' 'none'}}", 'none'],
    ["{{body 'note' 'was null'}}", 'was null'],
    ["[{{body 'customer.missing'}}]", '[]'],
    ["{{body 'constructor'}}|{{body '__proto__'}}", '|'],
  ])('%s on a JSON body gives %s', async (template, expected) => {
    expect((await render(mg, template, json(order))).text).toBe(expected);
  });

  it('reproduces the documented Beeceptor example', async () => {
    const template = `{
"products": [
{
"productId": "{{body 'line_items.0.id'}}",
"quantity": {{body 'line_items.0.quantity'}},
"price": {{body 'line_items.0.total'}}
}
]
}`;
    const res = await render(mg, template, json({ line_items: [{ id: 110, name: 'Tiger Tail Pack', quantity: 1, total: 60 }] }));
    expect(JSON.parse(res.text)).toEqual({ products: [{ productId: '110', quantity: 1, price: 60 }] });
  });

  it('{{body}} is the whole body, escaped; {{{body}}} raw', async () => {
    const res = await render(mg, '{{body}}|{{{body}}}', { body: '{"a":"<b>"}', headers: { 'content-type': 'application/json' } });
    expect(res.text).toBe('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}|{"a":"<b>"}');
  });

  it('reads url-encoded form fields, repeated fields as a list', async () => {
    const res = await render(mg, "{{body 'name'}}|{{body 'tag'}}|{{body 'none' '-'}}", {
      body: 'name=Grace+Hopper&tag=a&tag=b', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.text).toBe('Grace Hopper|a,b|-');
  });

  it('reads XML (a SOAP envelope, namespace prefixes dropped, attributes as @_name)', async () => {
    const envelope = `<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:u="urn:users">
  <soap:Body><u:GetUser id="7"><u:name>Linus</u:name><u:age>54</u:age></u:GetUser></soap:Body>
</soap:Envelope>`;
    const res = await render(mg, "{{body 'Envelope.Body.GetUser.name'}}|{{body 'Envelope.Body.GetUser.age'}}|{{body 'Envelope.Body.GetUser.@_id'}}",
      { body: envelope, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    expect(res.text).toBe('Linus|54|7');
  });

  it('gives the default for a body that does not parse', async () => {
    expect((await render(mg, "{{body 'a' 'unparsed'}}", { body: '{oops', headers: { 'content-type': 'application/json' } })).text).toBe('unparsed');
  });
});

describe('query, headers, cookies', () => {
  it('reads query parameters, a repeated one as a list, with defaults', async () => {
    const res = await render(mg, "{{queryParam 'q'}}|{{queryParam 'tag'}}|{{queryParam 'page' '1'}}|{{queryParam 'empty' 'x'}}", { url: '/t?q=red+shoes&tag=a&tag=b&empty=' });
    expect(res.text).toBe('red shoes|a,b|1|');
  });

  it('reads headers by any case, and cookies', async () => {
    const res = await render(mg, "{{header 'X-Tenant'}}|{{header 'x-tenant'}}|{{header 'x-none' 'anon'}}|{{cookie 'session'}}|{{cookie 'theme' 'light'}}", {
      headers: { 'x-tenant': 'acme', cookie: 'a=1; session=abc%20123; other=2' },
    });
    expect(res.text).toBe('acme|acme|anon|abc 123|light');
  });
});

describe('path and request facts', () => {
  it('reads path parameters of a template path condition', async () => {
    const res = await render(mg, "{{pathParam 'org'}}/{{pathParam 'id'}}|{{params.id}}|{{pathParam 'nope' '-'}}", {
      url: '/orgs/acme/users/42', path: { operator: 'template', value: '/orgs/:org/users/:id' },
    });
    expect(res.text).toBe('acme/42|42|-');
  });

  it('reads named groups of a regex path condition', async () => {
    const res = await render(mg, "user {{pathParam 'userID'}}", { url: '/api/users/981', path: { operator: 'regex', value: '^/api/users/(?<userID>\\d+)$' } });
    expect(res.text).toBe('user 981');
  });

  it('gives method, path and URL, as helpers and from the root context', async () => {
    const res = await render(mg, '{{method}} {{path}} {{url}}|{{request.method}} {{request.path}} {{request.query.a}}|{{endpoint.locale}}', {
      method: 'PATCH', url: '/t?a=1&b=2', body: 'x',
    });
    expect(res.text).toBe('PATCH /t /t?a&#x3D;1&amp;b&#x3D;2|PATCH /t 1|en');
  });
});
