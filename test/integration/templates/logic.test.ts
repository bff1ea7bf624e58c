// Logic helpers through a real server: switch/case/default, repeat, comparisons, logical operators, type tests, coalesce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { jsonBody as json, renderFailure, renderOk, writeRefused, type TemplateRequest } from './template-harness.js';

const MAX_REPEAT = 20;
let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate({ config: { templateMaxRepeat: MAX_REPEAT } }); });
afterAll(() => mg.close());

const ok = (template: string, request?: TemplateRequest) => renderOk(mg, template, request);
const fails = (template: string, request?: TemplateRequest) => renderFailure(mg, template, request);
const refused = (template: string) => writeRefused(mg, template);


describe('switch / case / default', () => {
  const doc = '{\n"name":\n{{#switch (queryParam \'id\')}}\n{{#case \'1\'}}"Alex"{{/case}}\n{{#case \'2\'}}"Jenny"{{/case}}\n'
    + '{{#default}}"Some-Name"{{/default}}\n{{/switch}},\n"status": "The switch/case are amazing!"\n}';

  it('renders the documented example: id=1 gives "Alex"', async () => {
    const text = await ok(doc, { url: '/t?id=1' });
    expect(text).toBe('{\n"name":\n"Alex"\n\n\n,\n"status": "The switch/case are amazing!"\n}');
    expect(JSON.parse(text)).toEqual({ name: 'Alex', status: 'The switch/case are amazing!' });
  });

  it('renders the second case and the default of the documented example', async () => {
    expect(JSON.parse(await ok(doc, { url: '/t?id=2' }))).toEqual({ name: 'Jenny', status: 'The switch/case are amazing!' });
    expect(JSON.parse(await ok(doc, { url: '/t?id=9' }))).toEqual({ name: 'Some-Name', status: 'The switch/case are amazing!' });
    expect(JSON.parse(await ok(doc))).toEqual({ name: 'Some-Name', status: 'The switch/case are amazing!' });
  });

  it('compares as text: a JSON number 1 matches case \'1\' and a literal \'1\' matches case 1', async () => {
    expect(await ok("{{#switch (body 'n')}}{{#case '1'}}one{{/case}}{{#default}}other{{/default}}{{/switch}}", json({ n: 1 }))).toBe('one');
    expect(await ok("{{#switch '1'}}{{#case 1}}one{{/case}}{{#default}}other{{/default}}{{/switch}}")).toBe('one');
    expect(await ok("{{#switch true}}{{#case 'true'}}yes{{/case}}{{/switch}}")).toBe('yes');
  });

  it('matches any of several case values, and the items of an array value', async () => {
    const template = "{{#switch (queryParam 'r')}}{{#case 'admin' 'owner'}}full{{/case}}{{#case (array 'guest' 'anon')}}none{{/case}}{{#default}}some{{/default}}{{/switch}}";
    expect(await ok(template, { url: '/t?r=owner' })).toBe('full');
    expect(await ok(template, { url: '/t?r=anon' })).toBe('none');
    expect(await ok(template, { url: '/t?r=user' })).toBe('some');
  });

  it('renders only the first matching case', async () => {
    expect(await ok("{{#switch 'a'}}{{#case 'a'}}first{{/case}}{{#case 'a'}}second{{/case}}{{#default}}D{{/default}}{{/switch}}")).toBe('first');
  });

  it('renders nothing when no case matches and there is no default', async () => {
    expect(await ok("<{{#switch 'z'}}{{#case 'a'}}A{{/case}}{{#case 'b'}}B{{/case}}{{/switch}}>")).toBe('<>');
  });

  it('passes the whitespace between cases through once', async () => {
    expect(await ok("[{{#switch 'b'}} {{#case 'a'}}A{{/case}} {{#case 'b'}}B{{/case}} {{#default}}D{{/default}} {{/switch}}]")).toBe('[  B  ]');
    expect(await ok("[{{#switch 'q'}} {{#case 'a'}}A{{/case}} {{#default}}D{{/default}} {{/switch}}]")).toBe('[  D ]');
  });

  it('renders a default written before the cases only when none matches', async () => {
    expect(await ok("{{#switch 3}}{{#default}}D{{/default}}{{#case 3}}three{{/case}}{{/switch}}")).toBe('three');
    expect(await ok("{{#switch 4}}{{#default}}D{{/default}}{{#case 3}}three{{/case}}{{/switch}}")).toBe('D');
  });

  it('keeps nested switches apart', async () => {
    const template = "{{#switch (queryParam 'a')}}{{#case 'x'}}X[{{#switch (queryParam 'b')}}{{#case 'y'}}Y{{/case}}{{#default}}inner{{/default}}{{/switch}}]{{/case}}"
      + '{{#case \'z\'}}Z{{/case}}{{#default}}outer[{{#switch (queryParam \'b\')}}{{#case \'y\'}}Y{{/case}}{{#default}}inner{{/default}}{{/switch}}]{{/default}}{{/switch}}';
    expect(await ok(template, { url: '/t?a=x&b=y' })).toBe('X[Y]');
    expect(await ok(template, { url: '/t?a=x&b=q' })).toBe('X[inner]');
    expect(await ok(template, { url: '/t?a=z&b=q' })).toBe('Z');
    expect(await ok(template, { url: '/t?a=q&b=y' })).toBe('outer[Y]');
    expect(await ok(template, { url: '/t?a=q&b=q' })).toBe('outer[inner]');
  });

  it('switches per item inside each, and a case inside each inside a switch renders once', async () => {
    expect(await ok("{{#each (body 'items')}}{{#switch this}}{{#case 'a'}}A{{/case}}{{#default}}?{{/default}}{{/switch}}{{/each}}",
      json({ items: ['a', 'b', 'a'] }))).toBe('A?A');
    expect(await ok("{{#switch 'x'}}{{#each (array 1 2 3)}}{{#case 'x'}}hit{{this}}{{/case}}{{/each}}{{#default}}D{{/default}}{{/switch}}")).toBe('hit1');
  });

  it('matches a missing value against the empty case', async () => {
    expect(await ok("{{#switch (body 'nope')}}{{#case ''}}empty{{/case}}{{#default}}D{{/default}}{{/switch}}")).toBe('empty');
  });

  it('fails a case or default outside a switch at render time, naming the helper', async () => {
    expect(await fails("{{#case 'a'}}x{{/case}}")).toContain('case: {{#case}} must be inside a {{#switch}} block');
    expect(await fails('{{#default}}x{{/default}}')).toContain('default: {{#default}} must be inside a {{#switch}} block');
    expect(await fails("{{switch 'a'}}")).toContain('switch: is a block helper');
  });

  it('refuses switch without a value, case without values and default with one when written', async () => {
    expect(await refused('{{#switch}}{{/switch}}')).toContain('switch: takes 1 argument');
    expect(await refused("{{#switch 'a'}}{{#case}}x{{/case}}{{/switch}}")).toContain('case: needs at least one value');
    expect(await refused("{{#switch 'a'}}{{#default 'b'}}x{{/default}}{{/switch}}")).toContain('default: takes 0 arguments');
  });
});

describe('repeat', () => {
  it('renders the documented example as a JSON array without doubled or trailing commas', async () => {
    const text = await ok('[\n{{#repeat 3}}\n{\n"name": "Dave",\n"address": "45 Brookfield",\n"country": "US"\n},\n{{/repeat}}\n]');
    const item = '{\n"name": "Dave",\n"address": "45 Brookfield",\n"country": "US"\n}';
    expect(text).toBe(`[\n${item},${item},${item}]`);
    expect(JSON.parse(text)).toEqual(Array(3).fill({ name: 'Dave', address: '45 Brookfield', country: 'US' }));
  });

  it('adds the commas itself when the content has none', async () => {
    expect(await ok('[{{#repeat 3}}{"a":1}{{/repeat}}]')).toBe('[{"a":1},{"a":1},{"a":1}]');
    expect(await ok('[{{#repeat 2}} {"a":1} , {{/repeat}}]')).toBe('[ {"a":1}, {"a":1}]');
  });

  it('joins with separator= instead, dropping no comma', async () => {
    expect(await ok("{{#repeat 3 separator=''}}ab{{/repeat}}")).toBe('ababab');
    expect(await ok("{{#repeat 3 separator=' | '}}x,{{/repeat}}")).toBe('x, | x, | x,');
  });

  it('sets @index, @first and @last, and block parameters', async () => {
    expect(await ok('[{{#repeat 3}}{{@index}}{{/repeat}}]')).toBe('[0,1,2]');
    expect(await ok("{{#repeat 3 separator=''}}{{@index}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}};{{/repeat}}")).toBe('0F;1;2L;');
    expect(await ok("{{#repeat 2 separator='' as |i|}}<{{i}}>{{/repeat}}")).toBe('<0><1>');
  });

  it('keeps the outer context as this', async () => {
    expect(await ok('{{#with (object name="Ada")}}{{#repeat 2}}{{name}}{{/repeat}}{{/with}}')).toBe('Ada,Ada');
    expect(await ok("{{#repeat 2}}{{request.method}}{{/repeat}}")).toBe('GET,GET');
  });

  it('nests: the inner @index, and the outer one as @../index', async () => {
    expect(await ok("{{#repeat 2}}{{#repeat 3 separator=''}}{{@../index}}{{@index}} {{/repeat}}{{/repeat}}")).toBe('00 01 02 ,10 11 12 ');
  });

  it('repeats inside each, and each inside repeat', async () => {
    const request = json({ items: ['a', 'b'] });
    expect(await ok("{{#each (body 'items')}}{{this}}=[{{#repeat 2}}{{@index}}{{/repeat}}];{{/each}}", request)).toBe('a=[0,1];b=[0,1];');
    expect(await ok("{{#repeat 2}}{{#each (body 'items')}}{{this}}{{@index}}{{/each}}{{/repeat}}", request)).toBe('a0b1,a0b1');
    expect(await ok("{{#each (body 'items')}}{{#repeat 2 separator=''}}{{this}}{{/repeat}}{{/each}}", request)).toBe('aabb');
  });

  it('takes the count from the request', async () => {
    expect(await ok("{{#repeat (queryParam 'n')}}x{{/repeat}}", { url: '/t?n=4' })).toBe('x,x,x,x');
    expect(await ok("{{#repeat (body 'n')}}x{{/repeat}}", json({ n: 2 }))).toBe('x,x');
  });

  it('renders nothing for 0, or the else block', async () => {
    expect(await ok('<{{#repeat 0}}x{{/repeat}}>')).toBe('<>');
    expect(await ok('{{#repeat 0}}x{{else}}none{{/repeat}}')).toBe('none');
  });

  it('picks a count between min and max, both included', async () => {
    expect(await ok("{{#repeat 3 3 separator=''}}x{{/repeat}}")).toBe('xxx');
    const lengths = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const text = await ok("{{#repeat 1 3 separator=''}}x{{/repeat}}");
      expect(text).toMatch(/^x{1,3}$/);
      lengths.add(text.length);
    }
    expect(lengths.size).toBeGreaterThan(1);
  });

  it('allows exactly the cap and fails a count above it at render time, saying how to raise it', async () => {
    expect(await ok(`{{#repeat ${MAX_REPEAT} separator=''}}x{{/repeat}}`)).toBe('x'.repeat(MAX_REPEAT));
    const message = await fails("{{#repeat (queryParam 'n')}}x{{/repeat}}", { url: `/t?n=${MAX_REPEAT + 1}` });
    expect(message).toBe(`the response template failed: repeat: a count of ${MAX_REPEAT + 1} is above the limit of ${MAX_REPEAT} (raise it with the server flag --template-max-repeat)`);
    expect(await fails("{{#repeat 1 (queryParam 'n')}}x{{/repeat}}", { url: '/t?n=500' })).toContain('repeat: a count of 500 is above the limit of 20');
  });

  it('refuses a literal count above the cap when written', async () => {
    expect(await refused(`{{#repeat ${MAX_REPEAT + 1}}}x{{/repeat}}`))
      .toContain(`repeat: the count ${MAX_REPEAT + 1} is above the limit of ${MAX_REPEAT} (raise it with the server flag --template-max-repeat)`);
    expect(await refused('{{#repeat 1 1000}}x{{/repeat}}')).toContain('repeat: the maximum 1000 is above the limit of 20');
  });

  it('refuses literal counts that are not whole numbers of 0 or more, and min above max, when written', async () => {
    expect(await refused('{{#repeat -1}}x{{/repeat}}')).toContain('repeat: the count must be a whole number of 0 or more, got -1');
    expect(await refused("{{#repeat 'many'}}x{{/repeat}}")).toContain('repeat: the count must be a whole number of 0 or more, got "many"');
    expect(await refused('{{#repeat 2.5}}x{{/repeat}}')).toContain('got 2.5');
    expect(await refused('{{#repeat true}}x{{/repeat}}')).toContain('got true');
    expect(await refused('{{#repeat 5 2}}x{{/repeat}}')).toContain('repeat: the minimum 5 is above the maximum 2');
    expect(await refused('{{#repeat}}x{{/repeat}}')).toContain('repeat: takes a count or a min and a max');
    expect(await refused('{{#repeat 1 2 3}}x{{/repeat}}')).toContain('repeat: takes a count or a min and a max');
  });

  it('fails a negative, non-numeric or reversed count from the request at render time', async () => {
    const template = "{{#repeat (queryParam 'n')}}x{{/repeat}}";
    expect(await fails(template, { url: '/t?n=-2' })).toContain('repeat: the count must not be negative, got -2');
    expect(await fails(template, { url: '/t?n=abc' })).toContain("repeat: the count must be a whole number, got 'abc'");
    expect(await fails(template)).toContain("repeat: the count must be a whole number, got ''");
    expect(await fails("{{#repeat (queryParam 'n') 2}}x{{/repeat}}", { url: '/t?n=5' })).toContain('repeat: the minimum 5 is above the maximum 2');
    expect(await fails('{{repeat 2}}')).toContain('repeat: is a block helper');
  });
});

describe('comparisons and logic', () => {
  it('eq: the documented examples', async () => {
    expect(await ok('{{#if (eq 100 100)}}\nThis text block is always qualified for the response.\n{{/if}}'))
      .toBe('This text block is always qualified for the response.\n');
    const template = "{{#if (eq (body 'stage') 1)}}\n{\n\"message\": \"one\"\n}\n{{else}}\n{\n\"message\": \"not one\"\n}\n{{/if}}";
    expect(JSON.parse(await ok(template, json({ stage: 1 })))).toEqual({ message: 'one' });
    expect(JSON.parse(await ok(template, json({ stage: 2 })))).toEqual({ message: 'not one' });
    // strict: a string '1' is not the number 1
    expect(JSON.parse(await ok(template, json({ stage: '1' })))).toEqual({ message: 'not one' });
  });

  it('eq and ne print true/false inline and are strict', async () => {
    expect(await ok("{{eq 1 1}} {{eq '1' 1}} {{eq 'a' 'a'}} {{eq (queryParam 'x') '5'}} {{eq (body 'missing') (body 'gone')}}", { url: '/t?x=5' }))
      .toBe('true false true true true');
    expect(await ok("{{ne 1 1}} {{ne '1' 1}} {{ne 'a' 'b'}}")).toBe('false true true');
  });

  it('gt: the documented credit-score example', async () => {
    const template = "{\"status\": {{#if (gt (body 'creditScore') 700)}}\"APPROVED\"{{else}}\"REJECTED\"{{/if}} }";
    expect(await ok(template, json({ creditScore: 750 }))).toBe('{"status": "APPROVED" }');
    expect(await ok(template, json({ creditScore: 650 }))).toBe('{"status": "REJECTED" }');
    expect(await ok(template, json({ creditScore: 700 }))).toBe('{"status": "REJECTED" }');
    expect(await ok(template, json({ creditScore: '720' }))).toBe('{"status": "APPROVED" }');
  });

  it('gt, gte, lt, lte compare numbers numerically, dates by time and other text case-sensitively', async () => {
    expect(await ok("{{gt '10' 9}} {{gt 10 '9'}} {{lt 2 10}} {{gte 3 3}} {{lte 3 2}} {{lte '3.0' 3}} {{gt -1 -2}}")).toBe('true true true true false true true');
    expect(await ok("{{gt 'b' 'a'}} {{lt 'apple' 'banana'}} {{lt 'B' 'a'}} {{gte 'x' 'x'}} {{gt '10' 'abc'}}")).toBe('true true true true false');
    expect(await ok("{{gt '2024-03-01' '2024-02-28'}} {{lt 'Mar 1, 2024' 'Feb 1, 2025'}} {{gt '2024-01-01T10:00:00+02:00' '2024-01-01T09:00:00Z'}}"))
      .toBe('true true false');
    expect(await ok("{{gt (queryParam 'n') 5}} {{lt (body 'none') 'a'}}", { url: '/t?n=12' })).toBe('true true');
  });

  it('and, or (any number of values) and not use the truth of {{#if}}', async () => {
    expect(await ok("{{and 1 'x' true}} {{and 1 0}} {{and 1 (array)}} {{and true}} {{and 1 2 3 ''}}")).toBe('true false false true false');
    expect(await ok("{{or 0 '' 'x'}} {{or 0 ''}} {{or false (body 'nope') (array 1)}}")).toBe('true false true');
    expect(await ok("{{not 0}} {{not 'x'}} {{not (array)}} {{not (body 'nope')}} {{not (eq 1 2)}}")).toBe('true false true true true');
    expect(await ok('{{#if (and (gt 5 1) (not (eq 1 2)) (or 0 1))}}yes{{else}}no{{/if}}')).toBe('yes');
  });

  it('isNumber, isInteger and isDate', async () => {
    expect(await ok("{{isNumber '42'}} {{isNumber -1.5}} {{isNumber (body 'n')}} {{isNumber 'abc'}} {{isNumber ''}} {{isNumber (body 'nope')}} {{isNumber '0x10'}}",
      json({ n: 7 }))).toBe('true true true false false false false');
    expect(await ok("{{isInteger 3}} {{isInteger '42'}} {{isInteger '3.5'}} {{isInteger (body 'count')}} {{isInteger 'x'}}", json({ count: 10 })))
      .toBe('true true false true false');
    expect(await ok("{{isDate (body 'eventDate')}} {{isDate '2024-10-10T04:39:51Z'}} {{isDate '2024-02-29'}} {{isDate '2024-02-30'}} {{isDate 'hello'}} {{isDate '12'}} {{isDate 12}}",
      json({ eventDate: '2025-09-04' }))).toBe('true true true false false false false');
    expect(await ok("{{isDate 'Thu Oct 10 2024 04:39:51 GMT+0000 (Coordinated Universal Time)'}} {{isDate '10/31/2024'}} {{isDate 'May I help'}}"))
      .toBe('true true false');
  });

  it('isEmpty: missing, empty text, empty array and empty object', async () => {
    expect(await ok("{{isEmpty (body 'nope')}} {{isEmpty ''}} {{isEmpty (array)}} {{isEmpty (object)}} {{isEmpty (body 'o')}} {{isEmpty (body 'a')}}",
      json({ o: {}, a: [] }))).toBe('true true true true true true');
    expect(await ok("{{isEmpty 0}} {{isEmpty 'x'}} {{isEmpty (array 1)}} {{isEmpty (object a=1)}} {{isEmpty false}}")).toBe('false false false false false');
  });

  it("coalesce: the first value that is not missing or ''", async () => {
    expect(await ok("{{coalesce (body 'nick') (body 'name') 'anonymous'}}", json({ name: 'Ada' }))).toBe('Ada');
    expect(await ok("{{coalesce (body 'nick') (body 'name') 'anonymous'}}", json({}))).toBe('anonymous');
    expect(await ok("[{{coalesce '' 'x'}}] [{{coalesce 0 1}}] [{{coalesce false 1}}] [{{coalesce (body 'a') (body 'b')}}]", json({}))).toBe('[x] [0] [false] []');
  });

  it('refuses a wrong number of arguments when written', async () => {
    expect(await refused('{{#if (eq 1)}}x{{/if}}')).toContain('eq: takes 2 arguments: (eq a b)');
    expect(await refused('{{gt 1 2 3}}')).toContain('gt: takes 2 arguments');
    expect(await refused('{{not 1 2}}')).toContain('not: takes 1 argument: (not value)');
    expect(await refused('{{and}}')).toContain('and: takes at least 1 argument:');
    expect(await refused('{{isDate}}')).toContain('isDate: takes 1 argument');
    expect(await refused('{{coalesce}}')).toContain('coalesce: takes at least 1 argument:');
  });
});
