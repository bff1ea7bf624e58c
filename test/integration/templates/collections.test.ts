// Collection helpers through a real server: len, object, array, json, jsonParse, sort, reverse, oneOf, someOf, join,
// first, last, at, range, keys, values, pluck.
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


describe('len', () => {
  it('renders the documented example', async () => {
    const request = json({ companyName: 'Acme Corporation', amount: 2342432, listOfItems: [{ a: 1 }, { a: 2 }, { a: 3 }] });
    const text = await ok("{\n\"itemsCount\": {{len (body 'listOfItems')}},\n\"companyNameLength\": {{len (body 'companyName')}},\n\"amountSize\": {{len (body 'amount')}}\n}", request);
    expect(text).toBe('{\n"itemsCount": 3,\n"companyNameLength": 16,\n"amountSize": 7\n}');
  });

  it('counts characters of strings and numbers, keys of objects, and 0 for missing', async () => {
    expect(await ok("{{len 'Alex'}} {{len -1.5}} {{len ''}} {{len (body 'o')}} {{len (body 'nope')}} {{len (array)}} {{len 'héllo'}}", json({ o: { a: 1, b: 2 } })))
      .toBe('4 4 0 2 0 0 5');
  });

  it('refuses len without exactly one argument when written', async () => {
    expect(await refused('{{len}}')).toContain('len: takes 1 argument: {{len value}}');
    expect(await refused("{{len 'a' 'b'}}")).toContain('len: takes 1 argument');
  });
});

describe('object, array and json', () => {
  it('object: the documented example keeps the order and the types', async () => {
    expect(await ok('{{{json (object name="Ada Lovelace" age=36 city="London") }}}')).toBe('{"name":"Ada Lovelace","age":36,"city":"London"}');
  });

  it('json: the documented nested example extracts a dotted key before serialising', async () => {
    expect(await ok('{ "nested-key1": {{{json (object nested=(object key1="value1" key2="value2")) \'nested.key1\'}}} }'))
      .toBe('{ "nested-key1": "value1" }');
    expect(await ok('{{{json (object nested=(object key1="value1" key2="value2")) \'nested\'}}}')).toBe('{"key1":"value1","key2":"value2"}');
  });

  it('array: the documented example', async () => {
    expect(await ok('{ "items_numbers": {{{json (array 1 2 3)}}}, "items_string": {{{json (array "One" "Two" "Three")}}} }'))
      .toBe('{ "items_numbers": [1,2,3], "items_string": ["One","Two","Three"] }');
  });

  it('prints arrays comma-joined and objects as [object Object] without json', async () => {
    expect(await ok('[{{array 1 2 3}}] {{object a=1}} [{{array}}]')).toBe('[1,2,3] [object Object] []');
  });

  it('json: compact, a string quoted but not parsed again, missing → empty', async () => {
    const request = json({ text: '{"a":1}', n: 5, obj: { x: [1, { y: null }] }, nul: null });
    expect(await ok("{{{json (body 'text')}}}|{{{json (body 'n')}}}|{{{json (body 'obj')}}}|{{{json (body 'obj') 'x.1'}}}|{{{json (body 'obj') 'x.9'}}}|{{{json true}}}", request))
      .toBe('"{\\"a\\":1}"|5|{"x":[1,{"y":null}]}|{"y":null}||true');
    // with {{ }} the quotes are HTML-escaped, hence the docs' triple-stash
    expect(await ok("{{json (array 'a')}}")).toBe('[&quot;a&quot;]');
  });

  it('jsonParse turns a JSON string into a value, and fails on invalid JSON naming the helper', async () => {
    const request = json({ raw: '{"a":[1,2],"b":"x"}', bad: '{a:1}' });
    expect(await ok("{{{json (jsonParse (body 'raw'))}}} {{lookup (jsonParse '{\"k\":5}') 'k'}} {{len (jsonParse (body 'raw'))}} [{{jsonParse (body 'nope')}}] {{jsonParse 42}}", request))
      .toBe('{"a":[1,2],"b":"x"} 5 2 [] 42');
    expect(await fails("{{jsonParse (body 'bad')}}", request)).toContain('jsonParse: the text is not valid JSON');
  });

  it('refuses positional object arguments, invalid literal JSON and a wrong json arity when written', async () => {
    expect(await refused("{{json (object 'a' 1)}}")).toContain('object: takes key=value pairs, not plain values');
    expect(await refused("{{jsonParse '{a:1}'}}")).toContain('jsonParse: the text is not valid JSON');
    expect(await refused('{{json}}')).toContain('json: takes 1 to 2 arguments');
  });
});

describe('sort', () => {
  const request = json({
    nums: [5, 1, 9, 2],
    cartItems: [{ name: 'b', price: 20 }, { name: 'a', price: 5 }, { name: 'c', price: 12 }],
    users: [{ name: { firstName: 'Zoe' } }, { name: { firstName: 'Adam' } }, { name: { firstName: 'Maya' } }],
    withNull: [3, null, 1, null, 2],
    words: ['b', 'B', 'a', 'A'],
    dates: ['Mar 1, 2024', 'Feb 1, 2025', 'Jan 5, 2024'],
    text: '[3,1,2]',
  });

  it('the documented examples: ascending, descending, by key, by a nested key', async () => {
    expect(await ok("{{{json (sort (body 'nums'))}}} {{{json (sort (body 'nums') 'desc')}}}", request)).toBe('[1,2,5,9] [9,5,2,1]');
    expect(await ok("{{{json (pluck (sort (body 'cartItems') 'price') 'price')}}}", request)).toBe('[5,12,20]');
    expect(await ok("{{{json (sort (body 'users') 'name.firstName')}}}", request))
      .toBe('[{"name":{"firstName":"Adam"}},{"name":{"firstName":"Maya"}},{"name":{"firstName":"Zoe"}}]');
    expect(await ok("{{{json (pluck (sort (body 'cartItems') 'name' 'desc') 'name')}}}", request)).toBe('["c","b","a"]');
    expect(await ok('{{{sort (array 5 1 9 2)}}}')).toBe('1,2,5,9');
  });

  it('puts missing values last in both orders', async () => {
    expect(await ok("{{{json (sort (body 'withNull'))}}} {{{json (sort (body 'withNull') 'DESC')}}}", request)).toBe('[1,2,3,null,null] [3,2,1,null,null]');
    expect(await ok('{{{json (sort (body \'items\') \'n\')}}}', json({ items: [{ n: 2 }, {}, { n: 1 }] }))).toBe('[{"n":1},{"n":2},{}]');
  });

  it('sorts text case-sensitively, dates by time, and a JSON-array string after parsing it', async () => {
    expect(await ok("{{{json (sort (body 'words'))}}}", request)).toBe('["A","B","a","b"]');
    expect(await ok("{{{json (sort (body 'dates'))}}}", request)).toBe('["Jan 5, 2024","Mar 1, 2024","Feb 1, 2025"]');
    expect(await ok("{{{json (sort (body 'text') 'desc')}}}", request)).toBe('[3,2,1]');
  });

  it('returns anything that is not an array unchanged, and leaves its input as it was', async () => {
    expect(await ok("{{sort 'hello'}}|{{sort 42}}|{{{json (sort (body 'obj'))}}}|{{sort (body 'nope')}}", json({ obj: { b: 1, a: 2 } })))
      .toBe('hello|42|{"b":1,"a":2}|');
    expect(await ok("{{{json (sort (body 'nums'))}}} {{{json (body 'nums')}}}", request)).toBe('[1,2,5,9] [5,1,9,2]');
  });

  it('refuses a literal order that is not asc or desc when written, and fails one from the request', async () => {
    expect(await refused("{{sort (body 'nums') 'price' 'up'}}")).toContain("sort: the order must be 'asc' or 'desc', got \"up\"");
    expect(await fails("{{sort (body 'nums') 'price' (queryParam 'o')}}", { ...request, url: '/t?o=sideways' }))
      .toContain("sort: the order must be 'asc' or 'desc', got 'sideways'");
  });
});

describe('reverse, oneOf, someOf', () => {
  it('reverse: a reversed copy of an array, a reversed string', async () => {
    expect(await ok("{{{reverse (array 1 2 3)}}} {{{json (reverse (body 'a'))}}} {{{json (body 'a')}}} {{reverse 'abc'}} [{{reverse (body 'nope')}}]", json({ a: [1, 'x', null] })))
      .toBe('3,2,1 [null,"x",1] [1,"x",null] cba []');
    expect(await fails("{{reverse (body 'o')}}", json({ o: { a: 1 } }))).toContain('reverse: the argument must be an array or a string, got an object');
  });

  it('oneOf: one of its arguments, or of one array argument', async () => {
    const states = ['draft', 'in-progress', 'approved', 'rejected'];
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(await ok("{{oneOf 'draft' 'in-progress' 'approved' 'rejected'}}"));
    expect([...seen].every((s) => states.includes(s))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
    expect(['a', 'b']).toContain(await ok("{{oneOf (body 'list')}}", json({ list: ['a', 'b'] })));
    expect(await ok("{{oneOf 'only'}} [{{oneOf (array)}}]")).toBe('only []');
    expect(await refused('{{oneOf}}')).toContain('oneOf: takes at least 1 argument');
  });

  it('someOf: the documented example gives 1 or 2 different items', async () => {
    const items = ['car', 'house', 'boat', 'bike'];
    for (let i = 0; i < 6; i++) {
      const picked = JSON.parse(await ok("{{{json (someOf (array 'car' 'house' 'boat' 'bike') 1 2 true)}}}")) as string[];
      expect(picked.length).toBeGreaterThanOrEqual(1);
      expect(picked.length).toBeLessThanOrEqual(2);
      expect(new Set(picked).size).toBe(picked.length);
      expect(picked.every((p) => items.includes(p))).toBe(true);
    }
  });

  it('someOf: repeats allowed unless unique, and unique stops at the list length', async () => {
    expect(await ok("{{len (someOf (array 'a' 'b') 5 5)}} {{len (someOf (array 'a' 'b') 3 5 true)}} [{{someOf (body 'nope') 1 2}}]", json({}))).toBe('5 2 []');
    expect(await ok("{{{json (someOf (array 'a') 3 3)}}}")).toBe('["a","a","a"]');
  });

  it('someOf: refuses bad literal bounds when written, fails bad runtime arguments naming the helper', async () => {
    expect(await refused("{{someOf (array 1 2) 3 1}}")).toContain('someOf: the minimum 3 is above the maximum 1');
    expect(await refused(`{{someOf (array 1 2) 1 ${MAX_REPEAT + 1}}}`)).toContain(`someOf: the maximum ${MAX_REPEAT + 1} is above the limit of ${MAX_REPEAT}`);
    expect(await refused("{{someOf (array 1 2) 'x' 2}}")).toContain('someOf: the minimum must be a whole number of 0 or more');
    expect(await refused("{{someOf 'abc' 1 2}}")).toContain('someOf: the first argument must be an array');
    expect(await refused('{{someOf (array 1 2) 1}}')).toContain('someOf: takes 3 to 4 arguments');
    expect(await fails("{{someOf (body 'o') 1 2}}", json({ o: { a: 1 } }))).toContain('someOf: the first argument must be an array, got an object');
    expect(await fails("{{someOf (array 1) 1 (queryParam 'n')}}", { url: '/t?n=500' })).toContain('someOf: a maximum of 500 is above the limit of 20');
  });
});

describe('join, first, last, at', () => {
  const request = json({ list: ['a', 'b', 'c', 'd'], mixed: [1, null, 'x'] });

  it('join: comma by default, any separator, missing items empty', async () => {
    expect(await ok("{{join (body 'list')}}|{{join (body 'list') ' - '}}|{{join (body 'mixed') '/'}}|{{join (body 'nope')}}|{{join (body 'list') ''}}", request))
      .toBe('a,b,c,d|a - b - c - d|1//x||abcd');
    expect(await fails("{{join (body 'o')}}", json({ o: { a: 1 } }))).toContain('join: the first argument must be an array, got an object');
    expect(await refused("{{join 'abc'}}")).toContain('join: the first argument must be an array');
  });

  it('first and last: an item, or the first/last n as an array; characters of a string', async () => {
    expect(await ok("{{first (body 'list')}} {{last (body 'list')}} {{{json (first (body 'list') 2)}}} {{{json (last (body 'list') 3)}}} {{{json (last (body 'list') 0)}}}", request))
      .toBe('a d ["a","b"] ["b","c","d"] []');
    expect(await ok("{{first 'hello'}} {{last 'hello'}} {{first 'hello' 3}} {{last 'hello' 2}} [{{first (array)}}] [{{first (body 'nope')}}]", request))
      .toBe('h o hel lo [] []');
    expect(await refused("{{first (body 'list') -1}}")).toContain('first: the count must be a whole number of 0 or more, got -1');
    expect(await fails("{{last (body 'o')}}", json({ o: { a: 1 } }))).toContain('last: the first argument must be an array or a string, got an object');
  });

  it('at: the item at an index, negative from the end, out of range empty', async () => {
    expect(await ok("{{at (body 'list') 0}} {{at (body 'list') -1}} {{at (body 'list') -4}} [{{at (body 'list') 4}}] {{at 'hello' 1}} {{at (body 'list') (queryParam 'i')}}",
      { ...request, url: '/t?i=2' })).toBe('a d a [] e c');
    expect(await refused("{{at (body 'list') 1.5}}")).toContain('at: the index must be a whole number, got 1.5');
    expect(await fails("{{at (body 'list') (queryParam 'i')}}", { ...request, url: '/t?i=x' })).toContain("at: the index must be a whole number, got 'x'");
  });
});

describe('range, keys, values, pluck', () => {
  it('range: both ends included, any step, counting down when end is below start', async () => {
    expect(await ok('{{range 1 5}}|{{range 0 10 5}}|{{range 5 1}}|{{range 10 0 -4}}|{{{json (range 0 1 0.25)}}}|[{{range 1 5 -1}}]|{{range 3 3}}'))
      .toBe('1,2,3,4,5|0,5,10|5,4,3,2,1|10,6,2|[0,0.25,0.5,0.75,1]|[]|3');
    expect(await ok("{{#each (range 1 3)}}<{{this}}:{{@index}}>{{/each}} {{range '2' (queryParam 'n')}}", { url: '/t?n=4' })).toBe('<1:0><2:1><3:2> 2,3,4');
  });

  it('range: a length above the cap is refused when written and fails when rendered', async () => {
    expect(await ok(`{{len (range 1 ${MAX_REPEAT})}}`)).toBe(String(MAX_REPEAT));
    expect(await refused(`{{range 1 ${MAX_REPEAT + 1}}}`))
      .toContain(`range: a length of ${MAX_REPEAT + 1} is above the limit of ${MAX_REPEAT} (raise it with the server flag --template-max-repeat)`);
    expect(await fails("{{range 0 (queryParam 'n')}}", { url: '/t?n=1000' })).toContain('range: a length of 1001 is above the limit of 20');
  });

  it('range: refuses a zero step and non-numbers when written, fails them when rendered', async () => {
    expect(await refused('{{range 1 5 0}}')).toContain('range: the step must not be 0');
    expect(await refused("{{range 'a' 5}}")).toContain('range: the start must be a number, got "a"');
    expect(await refused('{{range 1}}')).toContain('range: takes 2 to 3 arguments');
    expect(await fails("{{range 1 (queryParam 'n')}}", { url: '/t?n=ten' })).toContain("range: the end must be a number, got 'ten'");
    expect(await fails("{{range 1 5 (queryParam 's')}}", { url: '/t?s=0' })).toContain('range: the step must not be 0');
  });

  it('keys and values of objects and arrays; missing gives nothing', async () => {
    const request = json({ o: { id: 7, name: 'Ada', tags: ['x'] }, a: ['p', 'q'] });
    expect(await ok("{{{json (keys (body 'o'))}}} {{{json (values (body 'o'))}}} {{{json (keys (body 'a'))}}} {{{json (values (body 'a'))}}} [{{keys (body 'nope')}}]", request))
      .toBe('["id","name","tags"] [7,"Ada",["x"]] ["0","1"] ["p","q"] []');
    expect(await fails("{{keys 'abc'}}")).toContain("keys: the argument must be an object or an array, got 'abc'");
    expect(await fails('{{values 5}}')).toContain('values: the argument must be an object or an array, got 5');
  });

  it('pluck: each item\'s value at a dotted key', async () => {
    const request = json({ users: [{ id: 1, profile: { city: 'Oslo' } }, { id: 2, profile: {} }, { id: 3, profile: { city: 'Rome' } }] });
    expect(await ok("{{pluck (body 'users') 'id'}} {{{json (pluck (body 'users') 'profile.city')}}} [{{pluck (body 'nope') 'id'}}]", request))
      .toBe('1,2,3 ["Oslo",null,"Rome"] []');
    expect(await fails("{{pluck (body 'users') (body 'nokey')}}", request)).toContain("pluck: needs a key");
    expect(await fails("{{pluck 'abc' 'id'}}")).toContain("pluck: the first argument must be an array, got 'abc'");
    expect(await refused("{{pluck (body 'users')}}")).toContain('pluck: takes 2 arguments');
  });
});
