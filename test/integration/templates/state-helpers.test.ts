// State helpers through real requests: step counters, key-value data and lists share the endpoint's state with the
// state API and the state condition, and concurrent requests never lose an update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { freshEndpoint, render } from './template-harness.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

async function rules(endpoint: string, entries: Record<string, string>): Promise<void> {
  for (const [path, body] of Object.entries(entries)) {
    const res = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, {
      enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: path }],
      action: { type: 'mock', status: 200, headers: [], body, templated: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
}

const text = async (endpoint: string, path: string, init?: RequestInit): Promise<string> => {
  const res = await fetch(`${mg.url}/e/${endpoint}${path}`, init);
  const body = await res.text();
  expect(res.status, body).toBe(200);
  return body;
};

const item = async (endpoint: string, type: string, key: string) => (await mg.api.get(`/api/v2/endpoints/${endpoint}/state/${type}/${key}`)).body;

describe('step-counter', () => {
  it('inc, dec, get, set and reset print the value after the operation, kept in the state store', async () => {
    const e = freshEndpoint();
    await rules(e, {
      '/inc': "{{step-counter 'inc' 'orders'}}",
      '/inc5': "{{step-counter 'inc' 'orders' 5}}",
      '/dec': "{{step-counter 'dec' 'orders'}}",
      '/dec2': "{{step-counter 'dec' 'orders' '2'}}",
      '/neg': "{{step-counter 'inc' 'orders' -1}}",
      '/get': "{{step-counter 'get' 'orders'}}",
      '/set': "{{step-counter 'set' 'orders' 40}}",
      '/reset': "{{step-counter 'reset' 'orders'}}",
      '/reset7': "{{step-counter 'reset' 'orders' 7}}",
      '/missing': "{{step-counter 'get' 'never-set'}}",
      '/by-query': "{{step-counter 'inc' (queryParam 'name') (queryParam 'by')}}",
    });
    expect(await text(e, '/missing')).toBe('0');
    expect(await text(e, '/inc')).toBe('1');
    expect(await text(e, '/inc')).toBe('2');
    expect(await text(e, '/inc5')).toBe('7');
    expect(await text(e, '/dec')).toBe('6');
    expect(await text(e, '/dec2')).toBe('4');
    expect(await text(e, '/neg')).toBe('3');
    expect(await text(e, '/get')).toBe('3');
    expect(await text(e, '/set')).toBe('40');
    expect(await item(e, 'counter', 'orders')).toMatchObject({ type: 'counter', key: 'orders', value: 40 });
    expect(await text(e, '/reset')).toBe('0');
    expect(await text(e, '/reset7')).toBe('7');
    expect(await text(e, '/by-query?name=visits&by=3')).toBe('3');
    expect(await item(e, 'counter', 'visits')).toMatchObject({ value: 3 });
  });

  it('reads a counter set through the state API, and the state condition sees what a template wrote', async () => {
    const e = freshEndpoint();
    await mg.api.put(`/api/v2/endpoints/${e}/state`, { items: [{ type: 'counter', key: 'attempts', value: 2 }] });
    // rule 1 locks out at 3 attempts; rule 2 counts the attempt
    await mg.api.post(`/api/v2/endpoints/${e}/rules`, {
      enabled: true, method: 'POST',
      conditions: [{ type: 'path', operator: 'equals', value: '/login' }, { type: 'state', key: 'attempts', stateType: 'counter', operator: 'greater_than_equal', value: '3' }],
      action: { type: 'mock', status: 423, headers: [], body: 'locked' },
    });
    await rules(e, { '/login': "attempt {{step-counter 'inc' 'attempts'}}" });
    expect(await text(e, '/login', { method: 'POST' })).toBe('attempt 3');
    const locked = await fetch(`${mg.url}/e/${e}/login`, { method: 'POST' });
    expect(locked.status).toBe(423);
  });

  it('counts 100 concurrent increments exactly once each', async () => {
    const e = freshEndpoint();
    await rules(e, { '/hit': "{{step-counter 'inc' 'hits'}}" });
    const answers = await Promise.all(Array.from({ length: 100 }, () => text(e, '/hit')));
    expect(answers.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await item(e, 'counter', 'hits')).toMatchObject({ value: 100 });
  });

  it('counts 100 concurrent increments of a counter named by the request (answered call by call) exactly once each', async () => {
    const e = freshEndpoint();
    await rules(e, { '/hit': "{{step-counter 'inc' (queryParam 'k')}}" });
    const answers = await Promise.all(Array.from({ length: 100 }, () => text(e, '/hit?k=dynamic')));
    expect(answers.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await item(e, 'counter', 'dynamic')).toMatchObject({ value: 100 });
  });

  it('applies state calls in template order, whether known when written or only when rendered', async () => {
    const e = freshEndpoint();
    await rules(e, {
      '/literal': "{{step-counter 'get' 'x'}}-{{step-counter 'inc' 'x'}}-{{step-counter 'get' 'x'}}-{{list 'push' 'l' 'a'}}{{list 'size' 'l'}}",
      '/mixed': "{{step-counter 'get' 'y'}}-{{step-counter 'inc' (queryParam 'k')}}-{{step-counter 'get' 'y'}}",
      '/conditional': "{{#if (eq (queryParam 'go') 'yes')}}{{step-counter 'inc' 'z'}}{{/if}}|{{step-counter 'get' 'z'}}",
    });
    expect(await text(e, '/literal')).toBe('0-1-1-1');
    expect(await text(e, '/literal')).toBe('1-2-2-2');
    expect(await text(e, '/mixed?k=y')).toBe('0-1-1');
    expect(await text(e, '/conditional?go=no')).toBe('|0');
    expect(await text(e, '/conditional?go=yes')).toBe('1|1');
  });

  it('refuses a step that is not a whole number with a 500 naming it', async () => {
    const res = await render(mg, "{{step-counter 'inc' 'c' 'lots'}}");
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error).toMatchObject({ code: 'template_error', message: expect.stringContaining('whole number') });
  });
});

describe('data-store', () => {
  it('set stores any JSON value and prints nothing; get prints it (or the default); delete removes it', async () => {
    const e = freshEndpoint();
    await rules(e, {
      '/save': "[{{data-store 'set' 'lastOrder' (body 'orderId')}}]",
      '/save-object': "[{{data-store 'set' 'customer' (body 'customer')}}]",
      '/load': "{{data-store 'get' 'lastOrder'}}",
      '/load-default': "{{data-store 'get' 'nothing' 'n/a'}}",
      '/drop': "[{{data-store 'delete' 'lastOrder'}}]",
    });
    const json = { 'content-type': 'application/json' };
    expect(await text(e, '/save', { method: 'POST', headers: json, body: '{"orderId":"A-17"}' })).toBe('[]');
    expect(await text(e, '/load')).toBe('A-17');
    expect(await text(e, '/load-default')).toBe('n/a');
    expect(await item(e, 'string', 'lastOrder')).toMatchObject({ type: 'string', value: 'A-17' });
    expect(await text(e, '/save-object', { method: 'POST', headers: json, body: '{"customer":{"id":5,"tags":["a"]}}' })).toBe('[]');
    expect(await item(e, 'string', 'customer')).toMatchObject({ value: { id: 5, tags: ['a'] } });
    expect(await text(e, '/drop')).toBe('[]');
    expect((await mg.api.get(`/api/v2/endpoints/${e}/state/string/lastOrder`)).status).toBe(404);
    expect(await text(e, '/load')).toBe('');
  });
});

describe('list', () => {
  it('push, push-unique, unshift, get, size, contains, pop, shift, delete and reset', async () => {
    const e = freshEndpoint();
    await rules(e, {
      '/push': "[{{list 'push' 'queue' (queryParam 'v')}}]",
      '/unique': "[{{list 'push-unique' 'queue' (queryParam 'v')}}]",
      '/front': "[{{list 'unshift' 'queue' (queryParam 'v')}}]",
      '/all': "{{list 'get' 'queue'}}",
      '/at': "{{list 'get' 'queue' (queryParam 'i')}}",
      '/size': "{{list 'size' 'queue'}}|{{list 'length' 'queue'}}",
      '/has': "{{list 'contains' 'queue' (queryParam 'v')}}",
      '/pop': "{{list 'pop' 'queue'}}",
      '/shift': "{{list 'shift' 'queue'}}",
      '/delete': "[{{list 'delete' 'queue' (queryParam 'v')}}]",
      '/reset': "[{{list 'reset' 'queue'}}]",
    });
    for (const v of ['a', 'b', 'c']) expect(await text(e, `/push?v=${v}`)).toBe('[]');
    await text(e, '/unique?v=b');
    await text(e, '/unique?v=d');
    await text(e, '/front?v=z');
    expect(await item(e, 'list', 'queue')).toMatchObject({ value: ['z', 'a', 'b', 'c', 'd'] });
    expect(await text(e, '/all')).toBe('z,a,b,c,d');
    expect(await text(e, '/at?i=1')).toBe('a');
    expect(await text(e, '/at?i=-1')).toBe('d');
    expect(await text(e, '/at?i=9')).toBe('');
    expect(await text(e, '/size')).toBe('5|5');
    expect(await text(e, '/has?v=c')).toBe('true');
    expect(await text(e, '/has?v=q')).toBe('false');
    expect(await text(e, '/pop')).toBe('d');
    expect(await text(e, '/shift')).toBe('z');
    expect(await text(e, '/delete?v=b')).toBe('[]');
    expect(await item(e, 'list', 'queue')).toMatchObject({ value: ['a', 'c'] });
    expect(await text(e, '/reset')).toBe('[]');
    expect(await text(e, '/pop')).toBe('');
    expect(await text(e, '/size')).toBe('0|0');
  });

  it('keeps every one of 100 concurrent pushes', async () => {
    const e = freshEndpoint();
    await rules(e, { '/push': "{{list 'push' 'ids' (queryParam 'id')}}" });
    await Promise.all(Array.from({ length: 100 }, (_, i) => text(e, `/push?id=${i}`)));
    const { value } = await item(e, 'list', 'ids');
    expect([...value].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
