// String helpers through a real server: Beeceptor's documented examples, every helper's output, escaping, non-string
// inputs, runtime errors (500 naming the helper) and write-time rejections (400).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { expectRejected as rejectedAll, expectRenderErrors as failAll, expectRenders as renderAll, jsonBody as json, type RenderCase, type TemplateRequest } from './template-harness.js';

let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate(); });
afterAll(() => mg.close());

const expectRenders = (cases: readonly RenderCase[]) => renderAll(mg, cases);
const expectRenderErrors = (cases: readonly RenderCase[]) => failAll(mg, cases);
const expectRejected = (cases: ReadonlyArray<[string, string]>) => rejectedAll(mg, cases);


const query = (x: string): TemplateRequest => ({ url: `/t?x=${encodeURIComponent(x)}` });

describe('documented Beeceptor examples', () => {
  it('lowercase, uppercase, contains, padStart, padEnd, split, slugify, stripTags', () => expectRenders([
    ['{{lowercase "HELLO WORLD"}}', 'hello world'],
    ['{{uppercase "hello world"}}', 'HELLO WORLD'],
    ['{ "selected": {{contains "beeceptor-mock-api" "mock"}} }', '{ "selected": true }'],
    ['{{contains "beeceptor-mock-api" "Mock"}}', 'false'],
    ['{{contains (array 1 2 3) 1}}', 'true'],
    ['{{padStart "42" 5 "0"}}', '00042'],
    ['{{padEnd "42" 5 "0"}}', '42000'],
    // an array printed by {{ }} is its items comma-joined
    ['[{{split "1;2;3;4" ";"}}]', '[1,2,3,4]'],
    ["{{slugify 'some product name'}}", 'some-product-name'],
    ["{{stripTags '<greeting>Hello</greeting>'}}", 'Hello'],
  ]));

  it('concat of strings and of arrays', () => expectRenders([
    ['{\n"string-concat": "{{concat "Hello" " " "World"}}",\n"array-concat": [{{concat (array 1 2) (array 3 4)}}]\n}',
      '{\n"string-concat": "Hello World",\n"array-concat": [1,2,3,4]\n}'],
  ]));
});

describe('each helper', () => {
  it('lowercase, uppercase, capitalize, trim', () => expectRenders([
    ['{{lowercase (queryParam "x")}}', 'mixed case äö', query('MiXeD CaSe äÖ')],
    ['{{uppercase (queryParam "x")}}', 'MIXED CASE ÄÖ', query('MiXeD CaSe äÖ')],
    ["{{capitalize 'hello world'}}", 'Hello world'],
    ["{{capitalize 'hELLO'}}", 'HELLO'],
    ["{{capitalize 'élan'}}", 'Élan'],
    ["{{capitalize ''}}", ''],
    ["[{{trim '  \t padded \n '}}]", '[padded]'],
    ['[{{trim (body "s")}}]', '[a  b]', json({ s: '\n a  b \t' })],
  ]));

  it('concat: strings, numbers, arrays mixed with values, missing values', () => expectRenders([
    ["{{concat 'a' 1 true 2.5}}", 'a1true2.5'],
    ["{{concat 'id-' (queryParam 'x')}}", 'id-42', query('42')],
    ["{{concat 'a' (queryParam 'missing') 'b'}}", 'ab'],
    ['{{concat}}', ''],
    ['{{{json (concat (body "a") (body "b"))}}}', '[1,"two",{"three":3},4]', json({ a: [1, 'two'], b: [{ three: 3 }, 4] })],
    // with an array, other values become items; missing ones (an unknown variable) are skipped
    ["{{{json (concat (array 1) 'x' nothing (array 2 3) '')}}}", '[1,"x",2,3,""]'],
  ]));

  it('contains: substrings, array items, numbers against numeric strings, missing values', () => expectRenders([
    ["{{contains 'abc' 'bc'}}", 'true'],
    ["{{contains 'abc' 'BC'}}", 'false'],
    ["{{contains 'abc' ''}}", 'true'],
    ['{{contains 12345 34}}', 'true'],
    ["{{contains (array 'a' 'b') 'b'}}", 'true'],
    ["{{contains (array 'a' 'b') 'c'}}", 'false'],
    // a query parameter is text: it matches the number it writes
    ["{{contains (body 'ids') (queryParam 'x')}}", 'true', { ...json({ ids: [7, 42] }), url: '/t?x=42' }],
    ["{{contains (body 'ids') (queryParam 'x')}}", 'false', { ...json({ ids: [7, 42] }), url: '/t?x=4' }],
    ["{{contains (body 'items') (body 'item')}}", 'true', json({ items: [{ id: 1 }, { id: 2 }], item: { id: 2 } })],
    // request helpers give '' for a missing value, which every text contains; a missing variable contains nothing
    ["{{contains (queryParam 'missing') 'a'}}", 'false'],
    ["{{contains 'abc' (queryParam 'missing')}}", 'true'],
    ["{{contains 'abc' nothing}}", 'false'],
    ["{{contains nothing 'a'}}", 'false'],
  ]));

  it('padStart and padEnd: default space, longer pad text, already long enough, numbers', () => expectRenders([
    ["[{{padStart 'ab' 5}}]", '[   ab]'],
    ["[{{padEnd 'ab' 5}}]", '[ab   ]'],
    ["{{padStart 'abc' 8 'xy'}}", 'xyxyxabc'],
    ["{{padEnd 'abc' 8 'xy'}}", 'abcxyxyx'],
    ["{{padStart 'abcdef' 3 '0'}}", 'abcdef'],
    ['{{padStart 7 3 0}}', '007'],
    ["{{padStart (queryParam 'x') '4' '0'}}", '0042', query('42')],
    ["[{{padEnd (queryParam 'missing') 3 '-'}}]", '[---]'],
  ]));

  it('split: separator, default comma, multi-character separator, empty input', () => expectRenders([
    ["{{{json (split 'a,b,,c')}}}", '["a","b","","c"]'],
    ["{{{json (split 'a::b::c' '::')}}}", '["a","b","c"]'],
    // the separator is plain text, not a pattern
    ["{{{json (split 'a.b|c' '.')}}}", '["a","b|c"]'],
    ["{{{json (split '' ',')}}}", '[]'],
    ["{{{json (split (queryParam 'missing') ',')}}}", '[]'],
    ['{{{json (split 1.5 ".")}}}', '["1","5"]'],
    ["{{#each (split (queryParam 'x') ' ')}}<{{this}}>{{/each}}", '<red><green><blue>', query('red green blue')],
  ]));

  it('substring: start, start and end, as JS substring', () => expectRenders([
    ["{{substring 'abcdef' 2}}", 'cdef'],
    ["{{substring 'abcdef' 1 3}}", 'bc'],
    ["{{substring 'abcdef' 4 1}}", 'bcd'],
    ["{{substring 'abcdef' -2 2}}", 'ab'],
    ["{{substring 'abc' 10}}", ''],
    ["{{substring (queryParam 'x') '0' '3'}}", 'ABC', query('ABCDEF')],
    ['{{substring 123456 1 3}}', '23'],
  ]));

  it('replace: every occurrence, plain text (no patterns, no $ substitutions)', () => expectRenders([
    ["{{replace 'a-b-c' '-' '+'}}", 'a+b+c'],
    ["{{replace 'a.b.c' '.' ''}}", 'abc'],
    ["{{{replace 'x*y*z' '*' '$&$1'}}}", 'x$&$1y$&$1z'],
    ["{{replace 'aaa' 'aa' 'b'}}", 'ba'],
    ["{{replace 'abc' '' 'x'}}", 'abc'],
    ['{{replace 1000 0 9}}', '1999'],
    ["{{replace (queryParam 'x') ' ' '_'}}", 'a_b_c', query('a b c')],
    ["{{replace 'abc' 'b' (queryParam 'missing')}}", 'ac'],
  ]));

  it('startsWith and endsWith: case-sensitive booleans', () => expectRenders([
    ["{{startsWith 'Beeceptor' 'Bee'}}", 'true'],
    ["{{startsWith 'Beeceptor' 'bee'}}", 'false'],
    ["{{endsWith 'Beeceptor' 'tor'}}", 'true'],
    ["{{endsWith 'Beeceptor' 'Tor'}}", 'false'],
    ['{{startsWith 12345 12}}', 'true'],
    ["{{endsWith (queryParam 'x') '.json'}}", 'true', query('data.json')],
    ["{{startsWith 'abc' nothing}}|{{endsWith 'abc' nothing}}", 'false|false'],
    ["{{#if (startsWith (queryParam 'x') '/api')}}api{{else}}other{{/if}}", 'api', query('/api/users')],
  ]));

  it('slugify: accents, punctuation, runs of separators, digits', () => expectRenders([
    ["{{slugify '  Crème Brûlée: the BEST!  '}}", 'creme-brulee-the-best'],
    ["{{slugify 'Hello___World -- 2024'}}", 'hello-world-2024'],
    ["{{slugify '!!!'}}", ''],
    ['{{slugify 3.14}}', '3-14'],
  ]));

  it('stripTags: tags with attributes, comments, self-closing tags; a lone < stays', () => expectRenders([
    ['{{{stripTags (body "html")}}}', 'Title & text', json({ html: '<h1 class="x">Title</h1><!-- note --><br/> & <b>text</b>' })],
    ["{{{stripTags 'a < b and c > d'}}}", 'a < b and c > d'],
    ["{{{stripTags '<?xml version=\"1.0\"?><!DOCTYPE x><x>1</x>'}}}", '1'],
  ]));

  it('truncate: length, suffix counted in the length, short text unchanged, whole characters', () => expectRenders([
    ["{{truncate 'Hello World' 5}}", 'Hello'],
    ["{{truncate 'Hello World' 8 '...'}}", 'Hello...'],
    ["{{truncate 'Hello' 5 '...'}}", 'Hello'],
    ["{{truncate 'Hello' 10}}", 'Hello'],
    ["{{truncate 'Hello' 0}}", ''],
    ["{{truncate 'ab😀cd' 3}}", 'ab😀'],
    ["{{truncate (queryParam 'x') '4' '…'}}", 'abc…', query('abcdefgh')],
  ]));
});

describe('escaping', () => {
  const risky = `<a href='x' title="t">Tom & Jerry = 1</a>`;
  it('{{ }} HTML-escapes a string helper output; {{{ }}} prints it raw', () => expectRenders([
    ['{{concat (body "s") ""}}', '&lt;a href&#x3D;&#x27;x&#x27; title&#x3D;&quot;t&quot;&gt;Tom &amp; Jerry &#x3D; 1&lt;/a&gt;', json({ s: risky })],
    ['{{{concat (body "s") ""}}}', risky, json({ s: risky })],
    ['{{uppercase (body "s")}}', '&lt;A HREF&#x3D;&#x27;X&#x27; TITLE&#x3D;&quot;T&quot;&gt;TOM &amp; JERRY &#x3D; 1&lt;/A&gt;', json({ s: risky })],
    ['{{{uppercase (body "s")}}}', risky.toUpperCase(), json({ s: risky })],
    ['{{replace (body "s") "Jerry" "`x`"}}', '&lt;a href&#x3D;&#x27;x&#x27; title&#x3D;&quot;t&quot;&gt;Tom &amp; &#x60;x&#x60; &#x3D; 1&lt;/a&gt;', json({ s: risky })],
    ['{{stripTags (body "s")}}', 'Tom &amp; Jerry &#x3D; 1', json({ s: risky })],
    ['{{{stripTags (body "s")}}}', 'Tom & Jerry = 1', json({ s: risky })],
  ]));
});

describe('non-string and missing inputs', () => {
  it('numbers and booleans are used as their text; missing values print nothing', () => expectRenders([
    ['{{uppercase 12.5}}', '12.5'],
    ['{{lowercase true}}', 'true'],
    ["{{trim (body 'n')}}", '42', json({ n: 42 })],
    ["{{capitalize (body 'b')}}", 'False', json({ b: false })],
    ["[{{lowercase (queryParam 'missing')}}|{{uppercase (body 'none')}}|{{trim (body 'nil')}}|{{capitalize}}]", '[|||]', json({ nil: null })],
    ["[{{slugify (queryParam 'missing')}}|{{stripTags (queryParam 'missing')}}|{{truncate (queryParam 'missing') 3}}]", '[||]'],
    ["[{{substring (queryParam 'missing') 0 2}}|{{replace (queryParam 'missing') 'a' 'b'}}|{{padStart (queryParam 'missing') 0}}]", '[||]'],
    // an array is used as it prints: its items comma-joined
    ["{{uppercase (body 'list')}}", 'A,B', json({ list: ['a', 'b'] })],
  ]));
});

describe('errors', () => {
  it('a wrong argument type at render time is a 500 naming the helper', () => expectRenderErrors([
    ["{{uppercase (body 'o')}}", 'uppercase: the input must be text, got an object', json({ o: { a: 1 } })],
    ["{{concat 'a' (body 'o')}}", 'concat: the input must be text, got an object', json({ o: { a: 1 } })],
    ["{{contains (body 'o') 'a'}}", 'contains: the input must be text, got an object', json({ o: { a: 1 } })],
    ["{{padStart 'a' (queryParam 'x')}}", 'padStart: the length must be a whole number, got "abc"', query('abc')],
    ["{{padEnd 'a' (queryParam 'missing')}}", 'padEnd: the length must be a whole number, got ""'],
    ["{{padStart 'a' (queryParam 'x')}}", 'padStart: the length must be from 0 to 1000000, got 5000000', query('5000000')],
    ["{{substring 'abc' (queryParam 'x')}}", 'substring: the start must be a whole number, got "1.5"', query('1.5')],
    ["{{truncate 'abc' (queryParam 'x')}}", 'truncate: the length must be from 0 to 9007199254740991, got -1', query('-1')],
    ["{{replace 'abc' (body 'o') 'x'}}", 'replace: the text to replace must be text, got an object', json({ o: {} })],
  ]));

  it('literal arguments a helper can never accept are refused when the rule is written', () => expectRejected([
    ["{{padStart 'x' 'abc'}}", 'padStart: the length must be a whole number, got "abc" (line 1, column 1)'],
    ["{{padEnd 'x'}}", "padEnd: needs a text and a length: {{padEnd text 5 '0'}} (line 1, column 1)"],
    ["ok {{padStart 'x' 2000000}}", 'padStart: the length must be from 0 to 1000000, got 2000000 (line 1, column 4)'],
    ["{{substring 'abc'}}", 'substring: needs a text and a start: {{substring text 0 5}} (line 1, column 1)'],
    ["{{substring 'abc' 0 'z'}}", 'substring: the end must be a whole number, got "z" (line 1, column 1)'],
    ["{{truncate 'abc' -1}}", 'truncate: the length must be from 0 to 9007199254740991, got -1 (line 1, column 1)'],
    ["{{replace 'a' 'b'}}", "replace: needs a text, the text to replace and a replacement: {{replace text 'a' 'b'}} (line 1, column 1)"],
  ]));
});
