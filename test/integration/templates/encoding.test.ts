// Encoding helpers through a real server: base64 (inline and block, as Beeceptor documents), base64Decode, urlEncode,
// urlDecode and hash; escaping, non-string inputs, runtime errors (500) and write-time rejections (400).
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

describe('documented examples', () => {
  it('base64 inline and as a block', () => expectRenders([
    ["{{base64 'hello world'}}", 'aGVsbG8gd29ybGQ='],
    ['{{#base64}}username:password{{/base64}}', 'dXNlcm5hbWU6cGFzc3dvcmQ='],
  ]));
});

describe('each helper', () => {
  it('base64: UTF-8 bytes, dynamic block content, numbers, missing values, padding printed as is', () => expectRenders([
    ["{{base64 'héllo ✓'}}", 'aMOpbGxvIOKckw=='],
    ['Authorization: Basic {{#base64}}{{queryParam "u"}}:{{queryParam "p"}}{{/base64}}', 'Authorization: Basic YWRtaW46czNjcmV0',
      { url: '/t?u=admin&p=s3cret' }],
    // inside the block {{ }} still escapes; {{{ }}} encodes the value as sent
    ['{{#base64}}{{queryParam "x"}}{{/base64}}|{{#base64}}{{{queryParam "x"}}}{{/base64}}', 'YSZhbXA7Yg==|YSZi', query('a&b')],
    ['{{base64 12345}}', 'MTIzNDU='],
    ["[{{base64 (queryParam 'missing')}}]", '[]'],
    ["{{{base64 'ab'}}}|{{base64 'ab'}}", 'YWI=|YWI='],
    ["{{base64 (body 'creds')}}", 'QWxhZGRpbjpvcGVuIHNlc2FtZQ==', json({ creds: 'Aladdin:open sesame' })],
  ]));

  it('base64 inside other helpers: text for string helpers, a JSON string for json', () => expectRenders([
    ["{{{concat 'Basic ' (base64 'ab')}}}", 'Basic YWI='],
    ["{{lowercase (base64 'ab')}}", 'ywi&#x3D;'],
    ["{{{json (object auth=(base64 'ab'))}}}", '{"auth":"YWI="}'],
    ["{{hash 'md5' (base64 'x')}}", '64fc83fc6acc4664eef9697d2228fa9c'],
  ]));

  it('base64Decode: padded, unpadded, URL-safe, spaces, block, round trip', () => expectRenders([
    ["{{base64Decode 'aGVsbG8gd29ybGQ='}}", 'hello world'],
    ["{{base64Decode 'aGVsbG8gd29ybGQ'}}", 'hello world'],
    ["{{{base64Decode 'Pj4+Pz8/'}}}|{{{base64Decode 'Pj4-Pz8_'}}}", '>>>???|>>>???'],
    ["{{base64Decode 'aGVs bG8='}}", 'hello'],
    ['{{#base64Decode}}dXNlcm5hbWU6cGFzc3dvcmQ={{/base64Decode}}', 'username:password'],
    ["{{base64Decode (base64 'héllo ✓')}}", 'héllo ✓'],
    ["{{base64Decode (queryParam 'x')}}", 'q&#x3D;a b', query('cT1hIGI=')],
    ["[{{base64Decode (queryParam 'missing')}}]", '[]'],
  ]));

  it('urlEncode: every reserved character, UTF-8, numbers, block', () => expectRenders([
    ["{{urlEncode 'a b&c=d/é?'}}", 'a%20b%26c%3Dd%2F%C3%A9%3F'],
    ["{{urlEncode \"it's (ok)!*\"}}", 'it%27s%20%28ok%29%21%2A'],
    ["{{urlEncode '-_.~'}}", '-_.~'],
    ['{{urlEncode 12.5}}', '12.5'],
    ["[{{urlEncode (queryParam 'missing')}}]", '[]'],
    ["https://example.com/search?q={{urlEncode (queryParam 'x')}}", 'https://example.com/search?q=%3Cb%3E%20%26%20%22x%22', query('<b> & "x"')],
    ["{{#urlEncode}}q={{queryParam 'x'}}{{/urlEncode}}", 'q%3Dhi%20there', query('hi there')],
  ]));

  it('urlDecode: percent-encoding decoded, + kept, round trip, block', () => expectRenders([
    ["{{{urlDecode 'a%20b%26c%3Dd%2F%C3%A9'}}}", 'a b&c=d/é'],
    ["{{urlDecode 'a+b'}}", 'a+b'],
    ["{{urlDecode (urlEncode 'x/y z')}}", 'x/y z'],
    ["{{#urlDecode}}%7B%7D{{/urlDecode}}", '{}'],
    ["[{{urlDecode (queryParam 'missing')}}]", '[]'],
  ]));

  it('hash: md5, sha1, sha256 hex digests of UTF-8 text; block form; case of the algorithm', () => expectRenders([
    ["{{hash 'md5' 'hello'}}", '5d41402abc4b2a76b9719d911017c592'],
    ["{{hash 'sha1' 'hello'}}", 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
    ["{{hash 'sha256' 'hello'}}", '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ["{{hash 'SHA256' (queryParam 'x')}}", '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c', query('é')],
    ["{{hash 'sha256' (queryParam 'missing')}}", 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ["{{hash 'md5' 123}}", '202cb962ac59075b964b07152d234b70'],
    ["{{#hash 'md5'}}{{queryParam 'u'}}:{{queryParam 'p'}}{{/hash}}", 'd8160c9b3dc20d4e931aeb4f45262155', { url: '/t?u=a&p=b' }],
    ["{{hash (queryParam 'a') 'hello'}}", '5d41402abc4b2a76b9719d911017c592', { url: '/t?a=md5' }],
  ]));
});

describe('escaping', () => {
  it('{{ }} HTML-escapes decoded text; {{{ }}} prints it raw; encoded output has nothing to escape', () => expectRenders([
    ["{{base64Decode 'PGI+JjwvYj4='}}", '&lt;b&gt;&amp;&lt;/b&gt;'],
    ["{{{base64Decode 'PGI+JjwvYj4='}}}", '<b>&</b>'],
    ['{{urlDecode (queryParam "x")}}', '&lt;a title&#x3D;&quot;t&quot; id&#x3D;&#x27;i&#x27;&gt;&amp;&#x60;', query(encodeURIComponent(`<a title="t" id='i'>&\``))],
    ['{{{urlDecode (queryParam "x")}}}', `<a title="t" id='i'>&\``, query(encodeURIComponent(`<a title="t" id='i'>&\``))],
    ['{{urlEncode (body "s")}}|{{{urlEncode (body "s")}}}', '%3Ca%3D%27%22%26%3E|%3Ca%3D%27%22%26%3E', json({ s: `<a='"&>` })],
    ["{{base64 (body 's')}}", 'PGE9JyImPg==', json({ s: `<a='"&>` })],
  ]));
});

describe('errors', () => {
  it('invalid input at render time is a 500 naming the helper', () => expectRenderErrors([
    ["{{base64Decode 'abc$'}}", 'base64Decode: "abc$" is not base64'],
    ["{{base64Decode (queryParam 'x')}}", 'base64Decode: "a" is not base64', query('a')],
    ["{{base64Decode 'aGk=aGk='}}", 'base64Decode: "aGk=aGk=" is not base64'],
    ["{{base64Decode '/w=='}}", 'base64Decode: "/w==" does not encode UTF-8 text'],
    ["{{urlDecode '%E0%A4%A'}}", 'urlDecode: "%E0%A4%A" is not valid percent-encoding (each % needs two hex digits of UTF-8)'],
    ["{{urlDecode (queryParam 'x')}}", 'urlDecode: "100%" is not valid percent-encoding (each % needs two hex digits of UTF-8)', query('100%')],
    ["{{base64 (body 'o')}}", 'base64: the input must be text, got an object', json({ o: { a: 1 } })],
    ["{{urlEncode (body 'o')}}", 'urlEncode: the input must be text, got an object', json({ o: { a: 1 } })],
    ["{{hash (queryParam 'a') 'x'}}", 'hash: unknown algorithm "sha512"; use one of md5, sha1, sha256', { url: '/t?a=sha512' }],
    ["{{hash 'md5' (body 'o')}}", 'hash: the input must be text, got an object', json({ o: {} })],
  ]));

  it('a literal hash algorithm that does not exist is refused when the rule is written', () => expectRejected([
    ["{{hash 'sha512' 'x'}}", 'hash: unknown algorithm "sha512"; use one of md5, sha1, sha256 (line 1, column 1)'],
    ["a\n{{#hash 'crc32'}}x{{/hash}}", 'hash: unknown algorithm "crc32"; use one of md5, sha1, sha256 (line 2, column 1)'],
    ['{{hash}}', "hash: needs an algorithm (md5, sha1, sha256) and a text: {{hash 'sha256' text}} (line 1, column 1)"],
  ]));
});
