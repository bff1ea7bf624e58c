// The faker helper through a real server: Beeceptor's documented calls, options (object, string literal, hash,
// positional), date results with formats, old names, the endpoint's locale, seeded output, and refusals.
import { faker as en } from '@faker-js/faker/locale/en';
import { faker as fr } from '@faker-js/faker/locale/fr';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { freshEndpoint, render, renderFailure, writeRefused, writeTemplate } from './template-harness.js';

dayjs.extend(utc);

let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate(); });
afterAll(() => mg.close());

const runtimeError = (template: string, url?: string) => renderFailure(mg, template, url === undefined ? {} : { url });
const writeError = (template: string) => writeRefused(mg, template);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;

async function ok(template: string, url?: string, endpoint?: string): Promise<string> {
  const res = await render(mg, template, url === undefined ? {} : { url }, endpoint);
  expect(res.status, res.text).toBe(200);
  return res.text;
}

/** The template n times, joined by `|`, rendered once and split. */
async function many(template: string, n = 20): Promise<string[]> {
  return (await ok(Array.from({ length: n }, () => template).join('|'))).split('|');
}

const flat = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(flat) : value !== null && typeof value === 'object' ? Object.values(value).flatMap(flat) : [String(value)];

describe("Beeceptor's documented calls", () => {
  it('string.uuid, location.country, finance.currencyCode, hacker.phrase, lorem.paragraph', async () => {
    const [uuid, country, currency, phrase, paragraph] = (await ok(
      "{{faker 'string.uuid'}}|{{{faker 'location.country'}}}|{{faker 'finance.currencyCode'}}|{{{faker 'hacker.phrase'}}}|{{faker 'lorem.paragraph'}}",
    )).split('|') as [string, string, string, string, string];
    expect(uuid).toMatch(UUID);
    expect(en.definitions.location.country).toContain(country);
    expect(currency).toMatch(/^[A-Z]{3}$/);
    expect(phrase.length).toBeGreaterThan(10);
    expect(paragraph).toMatch(/^[A-Z][a-z]*( [a-z]+)*\.( [A-Z][a-z]*( [a-z]+)*\.)*$/);
  });

  it('the value can feed other helpers', async () => {
    expect(await ok("{{len (faker 'string.uuid')}}")).toBe('36');
  });

  it('person.fullName and internet.email', async () => {
    const [name, email] = (await ok("{{{faker 'person.fullName'}}}|{{faker 'internet.email'}}")).split('|') as [string, string];
    expect(name).toMatch(/\S \S/);
    expect(email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });
});

describe('arguments', () => {
  it('an options object from (object …)', async () => {
    for (const n of await many("{{faker 'number.int' (object max=1000)}}")) {
      expect(Number.isInteger(Number(n)) && Number(n) >= 0 && Number(n) <= 1000, n).toBe(true);
    }
    expect(await ok("{{faker 'number.int' (object min=3 max=3)}}")).toBe('3');
  });

  it("an options object written as Beeceptor's string literal", async () => {
    for (const n of await many("{{faker 'number.int' '{min:500, max:600}'}}")) {
      expect(Number(n) >= 500 && Number(n) <= 600 && /^\d+$/.test(n), n).toBe(true);
    }
    expect(await ok("{{faker 'number.int' '{ \"min\": 7, max: 7 }'}}")).toBe('7');
    expect(await ok("{{faker 'string.alpha' '{length:6, casing:\"upper\"}'}}")).toMatch(/^[A-Z]{6}$/);
    expect(await ok("{{faker 'datatype.boolean' '{probability:1}'}}|{{faker 'datatype.boolean' '{probability:0}'}}")).toBe('true|false');
    expect(['red', 'green']).toContain(await ok("{{faker 'helpers.arrayElement' '[\"red\", \"green\"]'}}"));
  });

  it('hash arguments and positional values', async () => {
    expect(await ok("{{faker 'number.int' min=9 max=9}}")).toBe('9');
    expect(await ok("{{faker 'string.alphanumeric' 12}}")).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect(await ok("{{faker 'lorem.words' 3}}")).toMatch(/^[a-z]+ [a-z]+ [a-z]+$/);
    expect(['x', 'y']).toContain(await ok("{{faker 'helpers.arrayElement' (array 'x' 'y')}}"));
    expect((await ok("{{faker 'helpers.arrayElements' (array 'a' 'b' 'c') 3}}")).split(',').sort()).toEqual(['a', 'b', 'c']);
  });

  it('numbers from the request arrive as text and are read as numbers', async () => {
    expect(await ok("{{faker 'number.int' (object min=(queryParam 'n') max=(queryParam 'n'))}}", '/t?n=42')).toBe('42');
    expect(await ok("{{faker 'string.numeric' (queryParam 'len')}}", '/t?len=8')).toMatch(/^\d{8}$/);
  });

  it('objects print as JSON and keep their fields', async () => {
    const element = JSON.parse(await ok("{{{faker 'science.chemicalElement'}}}")) as { symbol: string; name: string; atomicNumber: number };
    expect(en.definitions.science.chemical_element).toContainEqual(element);
    const [symbol, json] = (await ok("{{#with (faker 'science.chemicalElement')}}{{symbol}}{{/with}}|{{{json (faker 'science.chemicalElement')}}}")).split('|') as [string, string];
    expect(symbol).toMatch(/^[A-Z][a-z]{0,2}$/);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['symbol', 'name', 'atomicNumber']);
  });
});

describe('dates', () => {
  it('a date prints as ISO, or in a trailing format', async () => {
    const before = Date.now();
    const [past, future, recent, soon] = (await ok(
      "{{faker 'date.past'}}|{{faker 'date.future' 'timestamp'}}|{{faker 'date.recent' (object days=2) 'utc'}}|{{faker 'date.soon' '{days:3}' 'unix'}}",
    )).split('|') as [string, string, string, string];
    const after = Date.now();
    expect(past).toMatch(ISO);
    expect(Date.parse(past)).toBeLessThan(after);
    expect(Date.parse(past)).toBeGreaterThan(before - 366 * 86_400_000);
    expect(future).toMatch(/^\d{13}$/);
    expect(Number(future)).toBeGreaterThan(before);
    expect(Number(future)).toBeLessThan(after + 366 * 86_400_000);
    expect(recent).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(recent)).toBeGreaterThan(before - 2 * 86_400_000 - 1000);
    expect(Date.parse(recent)).toBeLessThan(after);
    expect(soon).toMatch(/^\d{10}$/);
    expect(Number(soon) * 1000).toBeGreaterThan(before - 1000);
    expect(Number(soon) * 1000).toBeLessThan(after + 3 * 86_400_000);
  });

  it('the shorthands us, eu, sql, compact and dayjs patterns', async () => {
    const [us, eu, sql, compact, pattern] = (await ok(
      "{{faker 'date.past' 'us'}}|{{faker 'date.past' 'eu'}}|{{faker 'date.past' 'sql'}}|{{faker 'date.anytime' 'compact'}}|{{faker 'date.future' '[in] YYYY'}}",
    )).split('|') as [string, string, string, string, string];
    expect(us).toMatch(/^(0[1-9]|1[0-2])\/\d{2}\/\d{4}$/);
    expect(eu).toMatch(/^\d{2}\/(0[1-9]|1[0-2])\/\d{4}$/);
    expect(sql).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(compact).toMatch(/^\d{14}$/);
    expect(pattern).toMatch(/^in \d{4}$/);
  });

  it('between, with options or the old positional form, and birthdate', async () => {
    expect(await ok("{{faker 'date.between' '{from:\"2020-01-01T00:00:00Z\", to:\"2020-01-01T00:00:00Z\"}' 'iso'}}")).toBe('2020-01-01T00:00:00.000+00:00');
    expect(await ok("{{faker 'date.between' '2021-05-06' '2021-05-06'}}")).toBe('2021-05-06T00:00:00.000+00:00');
    expect(await ok("{{faker 'date.between' '2021-05-06' '2021-05-06' 'eu'}}")).toBe('06/05/2021');
    expect(await ok("{{faker 'date.betweens' (object from='2022-02-02' to='2022-02-02' count=2) 'compact'}}")).toBe('20220202000000,20220202000000');
    const year = Number(await ok("{{faker 'date.birthdate' '{mode:\"age\", min:30, max:30}' 'YYYY'}}"));
    expect([dayjs.utc().year() - 31, dayjs.utc().year() - 30]).toContain(year);
  });
});

describe('old faker names', () => {
  it('random.*, datatype.*, name.* and address.* still work', async () => {
    const [uuid1, uuid2, n1, n2, first, last, full, city, country, word, alnum, bool] = (await ok([
      "{{faker 'random.uuid'}}", "{{faker 'datatype.uuid'}}", "{{faker 'random.number' '{min:1, max:1}'}}",
      "{{faker 'datatype.number' (object min=2 max=2)}}", "{{{faker 'name.firstName'}}}", "{{{faker 'name.lastName'}}}",
      "{{{faker 'name.findName'}}}", "{{{faker 'address.city'}}}", "{{{faker 'address.country'}}}", "{{faker 'random.word'}}",
      "{{faker 'random.alphaNumeric' 8}}", "{{faker 'datatype.boolean'}}",
    ].join('|'))).split('|') as string[] as [string, string, string, string, string, string, string, string, string, string, string, string];
    expect(uuid1).toMatch(UUID);
    expect(uuid2).toMatch(UUID);
    expect([n1, n2]).toEqual(['1', '2']);
    expect(flat(en.definitions.person.first_name)).toContain(first);
    // en last names follow patterns, some of them double-barrelled ("Stroman-Kertzmann")
    for (const part of last.split('-')) expect(flat(en.definitions.person.last_name)).toContain(part);
    expect(full).toMatch(/\S \S/);
    expect(city.length).toBeGreaterThan(1);
    expect(en.definitions.location.country).toContain(country);
    expect(en.definitions.lorem.word).toContain(word);
    expect(alnum).toMatch(/^[a-zA-Z0-9]{8}$/);
    expect(['true', 'false']).toContain(bool);
  });
});

describe('locale', () => {
  it("uses the endpoint's locale from its settings", async () => {
    const endpoint = freshEndpoint();
    const patched = await mg.api.patch(`/api/v2/endpoints/${endpoint}/settings`, { locale: 'fr' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.locale).toBe('fr');
    const values = (text: string) => text.split('|');
    const months = values(await ok(Array.from({ length: 12 }, () => "{{faker 'date.month'}}").join('|'), '/months', endpoint));
    const enMonths = flat(en.definitions.date.month.wide);
    for (const month of months) {
      expect(flat(fr.definitions.date.month.wide)).toContain(month);
      expect(enMonths).not.toContain(month);
    }
    const countries = values(await ok(Array.from({ length: 10 }, () => "{{{faker 'location.country'}}}").join('|'), '/countries', endpoint));
    for (const country of countries) expect(fr.definitions.location.country).toContain(country);
    expect(countries.some((c) => !en.definitions.location.country.includes(c)), countries.join(', ')).toBe(true);
    const names = values(await ok(Array.from({ length: 10 }, () => "{{{faker 'person.firstName'}}}").join('|'), '/names', endpoint));
    for (const name of names) expect(flat(fr.definitions.person.first_name)).toContain(name);
    // another endpoint keeps the default locale
    for (const month of await many("{{faker 'date.month'}}", 6)) expect(enMonths).toContain(month);
  });
});

describe('seeded faker', () => {
  const TEMPLATE = "{{faker 'string.uuid'}}|{{{faker 'person.fullName'}}}|{{faker 'number.int' (object max=1000000)}}|{{faker 'lorem.sentence'}}|{{faker 'internet.ipv4'}}";
  const expected = (seed: number): string => {
    en.seed(seed);
    const out = [en.string.uuid(), en.person.fullName(), en.number.int({ max: 1_000_000 }), en.lorem.sentence(), en.internet.ipv4()].join('|');
    en.seed();
    return out;
  };
  let s42: RunningMockgate;
  let s43: RunningMockgate;
  beforeAll(async () => { [s42, s43] = await Promise.all([startMockgate({ config: { fakerSeed: 42 } }), startMockgate({ config: { fakerSeed: 43 } })]); });
  afterAll(async () => { await Promise.all([s42?.close(), s43?.close()]); });

  it('the same template gives the same text under one seed, and other text under another', async () => {
    const get = async (server: RunningMockgate, endpoint?: string) => {
      const res = await render(server, TEMPLATE, {}, endpoint);
      expect(res.status, res.text).toBe(200);
      return res.text;
    };
    const endpoint = freshEndpoint();
    const first = await get(s42, endpoint);
    const res = await fetch(`${s42.url}/e/${endpoint}/t`);
    expect(await res.text()).toBe(first);
    expect(await get(s42)).toBe(first);
    expect(first).toBe(expected(42));
    const other = await get(s43);
    expect(other).toBe(expected(43));
    expect(other).not.toBe(first);
    // an unseeded server gives new values each time
    const [a, b] = [await ok(TEMPLATE), await ok(TEMPLATE)];
    expect(a).not.toBe(b);
  });
});

describe('refusals', () => {
  it('an unknown or forbidden method from the request is a template_error naming faker', async () => {
    const call = (m: string) => runtimeError("{{faker (queryParam 'm')}}", `/t?m=${encodeURIComponent(m)}`);
    expect(await call('person.firstNam')).toContain('faker: "person.firstNam" is not a faker method; did you mean "person.firstName"?');
    for (const m of ['faker.seed', 'seed', 'setDefaultRefDate', 'date.setDefaultRefDate', 'constructor', '__proto__.x', 'helpers.constructor',
      'person.constructor', 'definitions.person', 'rawDefinitions.person', '_randomizer.next', 'person.firstName.call']) {
      expect(await call(m)).toContain(`faker: ${JSON.stringify(m)} is not a faker method`);
    }
  });

  it("faker's own errors and oversized requests name the method", async () => {
    expect(await runtimeError("{{faker 'number.int' (object min=10 max=1)}}")).toContain('faker: number.int: Max 1 should be greater than min 10.');
    expect(await runtimeError("{{faker 'lorem.paragraphs' (queryParam 'n')}}", '/t?n=100000')).toContain('faker: lorem.paragraphs: a length or count must be a number up to 10000');
    expect(await runtimeError("{{faker 'lorem.paragraphs' (queryParam 'n')}}", '/t?n=lots')).toContain('faker: lorem.paragraphs: a length or count must be a number up to 10000');
    expect(await runtimeError("{{faker 'string.alpha' (object length=50000)}}")).toContain('faker: string.alpha: a length or count');
    expect(await runtimeError("{{faker 'number.int' (queryParam 'o')}}", `/t?o=${encodeURIComponent('{min:1 max:2}')}`)).toContain('faker: number.int: bad options: expected "," or "}" at character 8');
  });

  it('literal paths that do not resolve are refused when the rule is written', async () => {
    expect(await writeError("{{faker 'person.nope'}}")).toBe('/action/body: faker: "person.nope" is not a faker method (line 1, column 1)');
    expect(await writeError("{{faker 'uuid'}}")).toContain('faker: "uuid" is not a faker method; did you mean "string.uuid"?');
    expect(await writeError("{{faker 'faker.seed'}}")).toContain('faker: "faker.seed" is not a faker method');
    expect(await writeError("{{faker '__proto__.constructor'}}")).toContain('faker: "__proto__.constructor" is not a faker method');
    expect(await writeError('{{faker}}')).toContain("faker: needs a method such as 'person.firstName'");
    expect(await writeError('{{faker 42}}')).toContain('faker: 42 is not a faker method');
    expect(await writeError("{{faker 'number.int' '{min:}'}}")).toContain('faker: number.int: bad options: unexpected "}"');
    expect(await writeError("{{len (faker 'name.nope')}}")).toContain('faker: "name.nope" is not a faker method');
  });

  it('literal paths that resolve, and non-literal paths, are accepted when written', async () => {
    for (const template of ["{{faker 'person.firstName'}}", "{{faker 'name.findName'}}", "{{faker 'random.uuid'}}", "{{faker (queryParam 'm')}}"]) {
      const res = await writeTemplate(mg, template);
      expect(res.status, `${template}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});
