// Arithmetic helpers through a real server: Beeceptor's documented examples, every helper's output, coercion of
// numeric strings and non-numbers, floating-point noise, random values, runtime errors (500) and write-time
// rejections (400).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { expectRejected as rejectedAll, expectRenderErrors as failAll, expectRenders as renderAll, renderOk, jsonBody as json, writeTemplate, type RenderCase, type TemplateRequest } from './template-harness.js';

let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate(); });
afterAll(() => mg.close());

const expectRenders = (cases: readonly RenderCase[]) => renderAll(mg, cases);
const expectRenderErrors = (cases: readonly RenderCase[]) => failAll(mg, cases);
const text = (template: string, request?: TemplateRequest) => renderOk(mg, template, request);
const expectRejected = (cases: ReadonlyArray<[string, string]>) => rejectedAll(mg, cases);


const query = (x: string): TemplateRequest => ({ url: `/t?x=${encodeURIComponent(x)}` });

describe('documented Beeceptor examples', () => {
  it('add and subtract', () => expectRenders([
    ["{ \"total\": {{add (body 'price') (body 'tax') 5}} }", '{ "total": 115 }', json({ price: 100, tax: 10 })],
    ['{{add 10 5 2}}', '17'],
    ["{{add (body 'price') 2}}", '102', json({ price: 100 })],
    ["{{add '10' 5.4 (body 'price')}}", '115.4', json({ price: 100 })],
    // invalid values (non-numeric, missing) are ignored as 0
    ["{{add 'abc' 2 (queryParam 'type')}}", '2'],
    ["{{add 'abc' 2 (queryParam 'type')}}", '2', { url: '/t?type=xyz' }],
    ["{{add 'abc' 2 (queryParam 'type')}}", '5', { url: '/t?type=3' }],
    ['{{subtract 100 25 10}}', '65'],
  ]));

  it('multiply, divide, modulo, floor, toFixed', () => expectRenders([
    ["{{multiply (body 'qty') (body 'price')}}", '59.97', json({ qty: 3, price: 19.99 })],
    ['{{divide 100 2}}', '50'],
    ['{{modulo 7 3}}', '1'],
    ['{{floor 3.7}}', '3'],
    ['"{{toFixed 123.4567 2}}"', '"123.46"'],
  ]));
});

describe('each helper', () => {
  it('add: numeric strings coerced, other values ignored, no floating-point noise', () => expectRenders([
    ['{{add}}', '0'],
    ["{{add (body 'n') 1}}", '6', json({ n: '5' })],
    ["{{add (body 'n') 1}}", '1001', json({ n: '1e3' })],
    ["{{add (body 'n') 1}}", '8', json({ n: ' 7 ' })],
    ["{{add (body 'n') 1}}", '-1.5', json({ n: '-2.5' })],
    ["{{add (body 'n') 1}}", '1', json({ n: '1,000' })],
    ["{{add (body 'n') 1}}", '1', json({ n: '0x10' })],
    ["{{add (body 'n') 1}}", '1', json({ n: true })],
    ["{{add (body 'n') 1}}", '1', json({ n: null })],
    ["{{add (body 'n') 1}}", '1', json({ n: [2, 3] })],
    ['{{add 0.1 0.2}}', '0.3'],
    ['{{add 100000000000000 0.3}}', '100000000000000.3'],
    ["{{add (queryParam 'x') 0.05}}", '19.99', query('19.94')],
  ]));

  it('subtract, multiply, divide: left folds, numbers print bare', () => expectRenders([
    ['{{subtract 5}}', '5'],
    ['{{subtract}}', '0'],
    ["{{subtract 10 'x' 3}}", '7'],
    ['{{subtract 0.3 0.1}}', '0.2'],
    ['{{subtract 1 5}}', '-4'],
    ['{{multiply 2 3 4}}', '24'],
    ['{{multiply 1.1 3}}', '3.3'],
    ["{{multiply 2 'abc'}}", '0'],
    ['{{multiply}}', '0'],
    ['{{divide 100 2 5}}', '10'],
    ['{{divide 10 4}}', '2.5'],
    ['{{divide 0.3 0.1}}', '3'],
    ['{{divide 1 3}}', '0.333333333333333'],
    ['{{divide 7}}', '7'],
    ["{\"half\": {{divide (queryParam 'x') 2}} }", '{"half": 21 }', query('42')],
  ]));

  it('modulo, floor, ceil, abs', () => expectRenders([
    ['{{modulo -7 3}}', '-1'],
    ['{{modulo 5.5 2}}', '1.5'],
    ["{{modulo (queryParam 'x') '4'}}", '2', query('10')],
    ['{{floor -3.2}}', '-4'],
    ["{{floor '7.9'}}", '7'],
    ["{{floor (queryParam 'missing')}}", '0'],
    ['{{ceil 3.2}}', '4'],
    ['{{ceil -3.7}}', '-3'],
    ['{{ceil 5}}', '5'],
    ['{{abs -3.5}}', '3.5'],
    ["{{abs '-2'}}", '2'],
    ['{{abs 0}}', '0'],
  ]));

  it('round: half away from zero, decimals as written', () => expectRenders([
    ['{{round 2.5}}', '3'],
    ['{{round -2.5}}', '-3'],
    ['{{round 1.4}}', '1'],
    ['{{round 1.005 2}}', '1.01'],
    ['{{round 1234.5678 2}}', '1234.57'],
    ["{{round '2.345' '2'}}", '2.35'],
    ['{{round 5 2}}', '5'],
    ['{{round -0.4}}', '0'],
    ["{{round (body 'n') 1}}", '0.3', json({ n: 0.30000000000000004 })],
  ]));

  it('min and max: variadic or one array; non-numbers skipped; nothing when no number', () => expectRenders([
    ['{{min 3 1 2}}', '1'],
    ['{{max 3 1 2}}', '3'],
    ['{{max -1 -5}}', '-1'],
    ["{{min (body 'list')}}|{{max (body 'list')}}", '2|9', json({ list: [5, '2', 'x', 9, null] })],
    ["[{{min 'a' 'b'}}|{{max (body 'empty')}}]", '[|]', json({ empty: [] })],
    ["{{min (queryParam 'x') 10}}", '4.5', query('4.5')],
  ]));

  it('toFixed: exact digits as text, rounding half away from zero', () => expectRenders([
    ['{{toFixed 1.005 2}}', '1.01'],
    ['{{toFixed -1.005 2}}', '-1.01'],
    ['{{toFixed 2.5}}', '3'],
    ['{{toFixed 1 3}}', '1.000'],
    ["{{toFixed (queryParam 'x') 1}}", '3.1', query('3.14159')],
    ["{{toFixed 'abc' 2}}", '0.00'],
    ['{"price": "{{toFixed (body \'p\') 2}}"}', '{"price": "10.50"}', json({ p: 10.5 })],
  ]));

  it('formatNumber: grouping, decimals, locales', () => expectRenders([
    ['{{formatNumber 1234567.891 2}}', '1,234,567.89'],
    ['{{formatNumber 1234567.891}}', '1,234,567.891'],
    ['{{formatNumber 1234567.891 0}}', '1,234,568'],
    ['{{formatNumber -1234.5 1}}', '-1,234.5'],
    ["{{formatNumber 1234.5 2 'de-DE'}}", '1.234,50'],
    ["{{formatNumber 1234.5 'de-DE'}}", '1.234,5'],
    ["{{formatNumber 1234.5 'en-IN' 1}}", '1,234.5'],
    ["{{formatNumber 12345678 'en-IN'}}", '1,23,45,678'],
    ["{{formatNumber (body 'n') 2}}", '9,876.50', json({ n: '9876.5' })],
    ["{{formatNumber (queryParam 'missing') 2}}", '0.00'],
  ]));

  it('randomInt: whole numbers from min to max, both included', async () => {
    const values = (await text(Array.from({ length: 300 }, () => '{{randomInt 1 3}}').join(','))).split(',').map(Number);
    expect(new Set(values)).toEqual(new Set([1, 2, 3]));
    const negative = (await text(Array.from({ length: 100 }, () => "{{randomInt '-2' -1}}").join(','))).split(',').map(Number);
    expect(new Set(negative)).toEqual(new Set([-2, -1]));
    const inner = (await text(Array.from({ length: 100 }, () => '{{randomInt 1.5 3.5}}').join(','))).split(',').map(Number);
    expect(new Set(inner)).toEqual(new Set([2, 3]));
    expect(await text("{{randomInt 5 5}}|{{randomInt (queryParam 'x') 7}}", query('7'))).toBe('5|7');
  });

  it('randomFloat: numbers from min to max, with at most the given decimals', async () => {
    const plain = (await text(Array.from({ length: 100 }, () => '{{randomFloat 1 2}}').join(','))).split(',').map(Number);
    expect(plain.every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(new Set(plain).size).toBeGreaterThan(90);
    const rounded = (await text(Array.from({ length: 100 }, () => '{{randomFloat 10 20 2}}').join(','))).split(',');
    expect(rounded.filter((n) => !/^\d{2}(\.\d{1,2})?$/.test(n) || Number(n) < 10 || Number(n) > 20)).toEqual([]);
    expect(await text('{{randomFloat 3 3}}|{{randomFloat 3 3 2}}')).toBe('3|3');
  });

  it('uuid: a fresh version 4 UUID per call', async () => {
    const [a, b] = (await text('{{uuid}} {{uuid}}')).split(' ');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

describe('errors', () => {
  it('division by zero and bad arguments at render time are a 500 naming the helper', () => expectRenderErrors([
    ["{{divide 1 (queryParam 'x')}}", 'divide: division by zero', query('0')],
    ["{{divide 1 (queryParam 'missing')}}", 'divide: division by zero'],
    ["{{divide 10 2 (queryParam 'x')}}", 'divide: division by zero', query('0.0')],
    ["{{modulo 7 (queryParam 'x')}}", 'modulo: division by zero', query('0')],
    ["{{randomInt (queryParam 'x') 3}}", 'randomInt: the minimum must be a number, got "abc"', query('abc')],
    ["{{randomInt 1 (queryParam 'missing')}}", 'randomInt: the maximum must be a number, got ""'],
    ["{{randomInt 5 (queryParam 'x')}}", 'randomInt: the minimum 5 is greater than the maximum 1', query('1')],
    ["{{randomInt 1.2 (queryParam 'x')}}", 'randomInt: there is no whole number from 1.2 to 1.8', query('1.8')],
    ["{{randomFloat 2 (queryParam 'x')}}", 'randomFloat: the minimum 2 is greater than the maximum 1', query('1')],
    ["{{randomFloat 1.001 1.009 (queryParam 'x')}}", 'randomFloat: there is no number with 2 decimals from 1.001 to 1.009', query('2')],
    ["{{randomFloat 1 2 (queryParam 'x')}}", 'randomFloat: the number of decimals must be a whole number from 0 to 20, got "25"', query('25')],
    ["{{round 1 (queryParam 'x')}}", 'round: the number of decimals must be a whole number from 0 to 100, got "-1"', query('-1')],
    ["{{toFixed 1 (queryParam 'x')}}", 'toFixed: the number of decimals must be a whole number from 0 to 100, got "101"', query('101')],
    ["{{formatNumber 1 (queryParam 'x')}}", 'formatNumber: "not a locale!" is not a locale', query('not a locale!')],
  ]));

  it('literal arguments a helper can never accept are refused when the rule is written', () => expectRejected([
    ['{{divide 1 0}}', 'divide: division by zero (the divisor is 0) (line 1, column 1)'],
    ["x {{divide 10 2 '0'}}", 'divide: division by zero (the divisor is 0) (line 1, column 3)'],
    ["{{divide 1 'abc'}}", 'divide: division by zero ("abc" is not a number, so it counts as 0) (line 1, column 1)'],
    ['{{add 1 (modulo 7 0)}}', 'modulo: division by zero (the divisor is 0) (line 1, column 9)'],
    ['{{modulo 7}}', 'modulo: needs a number and a divisor: {{modulo 7 3}} (line 1, column 1)'],
    ['{{randomInt 1}}', 'randomInt: needs a minimum and a maximum: {{randomInt 1 10}} (line 1, column 1)'],
    ["{{randomInt 'a' 5}}", 'randomInt: the minimum must be a number, got "a" (line 1, column 1)'],
    ['{{randomInt 10 1}}', 'randomInt: the minimum 10 is greater than the maximum 1 (line 1, column 1)'],
    ['{{randomInt 1.2 1.8}}', 'randomInt: there is no whole number from 1.2 to 1.8 (line 1, column 1)'],
    ['{{randomFloat 2 1}}', 'randomFloat: the minimum 2 is greater than the maximum 1 (line 1, column 1)'],
    ['{{randomFloat 1 2 30}}', 'randomFloat: the number of decimals must be a whole number from 0 to 20, got 30 (line 1, column 1)'],
    ['{{toFixed 1 101}}', 'toFixed: the number of decimals must be a whole number from 0 to 100, got 101 (line 1, column 1)'],
    ['{{toFixed 1 1.5}}', 'toFixed: the number of decimals must be a whole number from 0 to 100, got 1.5 (line 1, column 1)'],
    ['{{round 1 -1}}', 'round: the number of decimals must be a whole number from 0 to 100, got -1 (line 1, column 1)'],
    ['{{formatNumber 1 21}}', 'formatNumber: the number of decimals must be a whole number from 0 to 20, got 21 (line 1, column 1)'],
    ["{{formatNumber 1 2 'not a locale!'}}", 'formatNumber: "not a locale!" is not a locale (line 1, column 1)'],
  ]));

  it('arguments known only at render time are accepted when the rule is written', async () => {
    for (const template of ["{{divide 1 (queryParam 'x')}}", "{{randomInt (queryParam 'a') (queryParam 'b')}}", "{{toFixed 1 (body 'd')}}"]) {
      expect((await writeTemplate(mg, template)).status).toBe(201);
    }
  });
});
