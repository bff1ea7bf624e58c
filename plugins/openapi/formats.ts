// Values for the string formats of OpenAPI and JSON Schema; a name hint may refine a date (createdAt is in the past).
import type { Faker } from '@faker-js/faker';
import type { StringMaker } from './names.js';

const iso = (date: Date): string => date.toISOString();

export const FORMATS: Readonly<Record<string, StringMaker>> = {
  'date-time': (f) => iso(f.date.recent({ days: 30 })),
  date: (f) => iso(f.date.recent({ days: 30 })).slice(0, 10),
  time: (f) => `${iso(f.date.recent()).slice(11, 19)}Z`,
  duration: (f) => f.helpers.arrayElement(['P1D', 'PT15M', 'PT1H30M', 'P1W', 'P3M', 'PT45S']),
  email: (f) => f.internet.email(),
  'idn-email': (f) => f.internet.email(),
  uuid: (f) => f.string.uuid(),
  uri: (f) => f.internet.url(),
  url: (f) => f.internet.url(),
  iri: (f) => f.internet.url(),
  'uri-reference': (f) => f.internet.url(),
  'iri-reference': (f) => f.internet.url(),
  'uri-template': (f) => `${f.internet.url()}/{id}`,
  hostname: (f) => f.internet.domainName(),
  'idn-hostname': (f) => f.internet.domainName(),
  ipv4: (f) => f.internet.ipv4(),
  ipv6: (f) => f.internet.ipv6(),
  byte: (f) => Buffer.from(f.lorem.words(3)).toString('base64'),
  binary: (f) => f.string.alphanumeric(24),
  password: (f) => f.internet.password(),
  'json-pointer': (f) => `/${f.lorem.word()}/${f.number.int(9)}`,
  'relative-json-pointer': (f) => `${f.number.int(3)}/${f.lorem.word()}`,
  regex: () => '^[a-z]+$',
  phone: (f) => f.phone.number(),
  mac: (f) => f.internet.mac(),
  decimal: (f) => f.finance.amount(),
};

/** A date-time or date format whose property name tells past from future uses the name's maker, reformatted. */
export function formatMaker(format: string, byName: StringMaker | undefined): StringMaker | undefined {
  const maker = FORMATS[format];
  if (maker === undefined || byName === undefined || (format !== 'date-time' && format !== 'date')) return maker;
  return (f: Faker) => {
    const named = byName(f);
    const date = new Date(named);
    if (Number.isNaN(date.getTime()) || !/^\d{4}-\d\d-\d\d/.test(named)) return maker(f);
    return format === 'date' ? iso(date).slice(0, 10) : iso(date);
  };
}
