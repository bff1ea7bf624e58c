// This plugin's own faker instances, two per endpoint locale: one that is never seeded (its sequence simply goes on,
// request after request) and one restarted at the endpoint's seed for each answer — so seeding never makes the
// unseeded answers of another endpoint repeat, nor disturbs the faker of templates or other plugins. English is
// loaded up front (rules are made synchronously); other locales on first use.
import type { Faker } from '@faker-js/faker';
import { faker as shippedEn } from '@faker-js/faker/locale/en';

export interface LocaleFakers {
  readonly random: Faker;
  readonly seeded: Faker;
}

type FakerClass = new (options: { locale: Faker['rawDefinitions'] }) => Faker;
const own = (shipped: Faker): Faker => new (shipped.constructor as FakerClass)({ locale: shipped.rawDefinitions });
const pair = (shipped: Faker): LocaleFakers => ({ random: own(shipped), seeded: own(shipped) });

const english = pair(shippedEn);
/** English, for answers made with a seed: rules and the import's trial answers. */
export const englishFaker: Faker = english.seeded;
const loading = new Map<string, Promise<LocaleFakers>>([['en', Promise.resolve(english)]]);

/** The fakers of an endpoint locale (`en_GB`, `ja`, …); English when the locale has none. */
export function fakersFor(locale: string): Promise<LocaleFakers> {
  let fakers = loading.get(locale);
  if (fakers === undefined) {
    fakers = import(`@faker-js/faker/locale/${locale}`).then((m: { faker: Faker }) => pair(m.faker), () => english);
    loading.set(locale, fakers);
  }
  return fakers;
}

/** The faker for one answer: the random one, or the seeded one restarted at `seed`. */
export function answerFaker(fakers: LocaleFakers, seed: number | undefined): Faker {
  const faker = seed === undefined ? fakers.random : fakers.seeded;
  startSequence(faker, seed);
  return faker;
}

/** Dates of a seeded answer are counted from here, so they repeat too. */
const SEEDED_NOW = new Date('2025-01-01T00:00:00Z');

/** Starts a generation: at the seed, with a fixed "now", when given; else where the sequence is, with the real now. */
export function startSequence(faker: Faker, seed: number | undefined): void {
  if (seed === undefined) {
    faker.setDefaultRefDate();
  } else {
    faker.seed(seed);
    faker.setDefaultRefDate(SEEDED_NOW);
  }
}
