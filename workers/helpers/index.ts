// The built-in template helpers: every category module's helpers, write-time checks, and which helpers read the parts
// of a request the main thread sends only on demand.
import collections, { checks as collectionChecks } from './collections.js';
import dates, { checks as dateChecks } from './dates.js';
import encoding, { checks as encodingChecks } from './encoding.js';
import faker, { checks as fakerChecks } from './faker.js';
import type { Helper, HelperCheck } from './helper-kit.js';
import logic, { checks as logicChecks } from './logic.js';
import numbers, { checks as numberChecks } from './numbers.js';
import request, { BODY_HELPERS as BODY, HEADER_HELPERS as HEADERS } from './request.js';
import state, { checks as stateChecks, STATE_HELPER_NAMES } from './state.js';
import strings, { checks as stringChecks } from './strings.js';

export type { BuiltinData } from './helper-kit.js';

const modules = { collections, dates, encoding, faker, logic, numbers, request, state, strings };

/** Every built-in helper by name; a name defined by two modules is a programming error caught at load. */
export const BUILTIN_HELPERS: Readonly<Record<string, Helper>> = merge(modules);

/** Checked when a rule is written, for calls whose arguments are literals. */
export const HELPER_CHECKS: Readonly<Record<string, HelperCheck>> = {
  ...collectionChecks, ...dateChecks, ...encodingChecks, ...fakerChecks, ...logicChecks, ...numberChecks, ...stateChecks, ...stringChecks,
};

export const BODY_HELPERS: ReadonlySet<string> = new Set(BODY);
export const HEADER_HELPERS: ReadonlySet<string> = new Set(HEADERS);
/** Helpers that read or change the endpoint's state. */
export const STATE_HELPERS: ReadonlySet<string> = new Set(STATE_HELPER_NAMES);

function merge(groups: Record<string, Record<string, Helper>>): Record<string, Helper> {
  const all: Record<string, Helper> = {};
  for (const [group, helpers] of Object.entries(groups)) {
    for (const [name, helper] of Object.entries(helpers)) {
      if (Object.hasOwn(all, name)) throw new Error(`template helper "${name}" of ${group} is defined twice`);
      all[name] = helper;
    }
  }
  return all;
}
