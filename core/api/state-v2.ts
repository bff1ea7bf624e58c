// The v2 state API: /api/v2/endpoints/{endpoint}/state… (list, bulk upsert, bulk delete, one item) and mockgate's
// atomic counter increment. Shared with v1: the bulk item checks (type any case, values by type, unique type+key).
import { Router, type Request } from 'express';
import type { StateItem, StateType } from '../contract.js';
import type { Endpoints } from '../endpoints/endpoints.js';
import { MockgateError, notFound } from '../errors.js';
import { checkStateValue, parseStateType, type StateService } from '../state/state-service.js';
import { assertValid, compileSchema, type ErrorStyle, type Validator } from '../validation.js';
import { endpointParam } from './params.js';

export const MAX_STATE_ITEMS = 100;
export const MAX_STATE_KEY = 100;
const MAX_PAGE = 1000;

const V2: ErrorStyle = { code: 'validation_error' };
const keySchema = { type: 'string', minLength: 1, maxLength: MAX_STATE_KEY };

/** `{ <list>: [ {type, key, value?} ] }` with 1–100 items; `extra` names further item properties accepted and ignored. */
export function bulkSchema(list: string, opts: { value: boolean; extra?: Record<string, object>; all?: boolean }): object {
  const item = {
    type: 'object',
    required: opts.value ? ['type', 'key', 'value'] : ['type', 'key'],
    additionalProperties: false,
    properties: { type: { type: 'string' }, key: keySchema, ...(opts.value ? { value: {} } : {}), ...opts.extra },
  };
  return {
    type: 'object',
    ...(opts.all ? {} : { required: [list] }),
    additionalProperties: false,
    properties: {
      ...(opts.all ? { all: { type: 'boolean' } } : {}),
      [list]: { type: 'array', minItems: 1, maxItems: MAX_STATE_ITEMS, items: item },
    },
  };
}

export interface BulkItem {
  type: StateType;
  /** The type as the client wrote it (`datastore`, `Counter`, …), for messages and v1's echo. */
  sentType: string;
  key: string;
  value?: unknown;
}

const wording = (style: ErrorStyle, message: string): string => (style.legacyWording ? message.replace(/^must\b/, 'should') : message);

/**
 * Validates a bulk body against `validate`, then each item's type (any case) and, with `value`, its value for that
 * type and the uniqueness of type+key (`duplicate_key`). Throws before anything is stored.
 */
export function readBulkItems(body: unknown, validate: Validator, list: string, style: ErrorStyle & { typeNames: string },
  opts: { value: boolean }): BulkItem[] {
  assertValid(validate, body, style);
  const raw = (body as Record<string, Array<{ type: string; key: string; value?: unknown }>>)[list]!;
  const items = raw.map(({ type: sentType, key, value }, i): BulkItem => {
    const type = parseStateType(sentType);
    const pointer = `/${list}/${i}/type`;
    if (type === undefined) {
      throw new MockgateError(style.code, `${pointer}: ${wording(style, `must be one of: ${style.typeNames}`)}`, pointer,
        [{ path: pointer, message: wording(style, `must be one of: ${style.typeNames}`), received: sentType }]);
    }
    if (opts.value) checkStateValue(type, value, `/${list}/${i}/value`);
    return opts.value ? { type, sentType, key, value } : { type, sentType, key };
  });
  if (opts.value) {
    const seen = new Set<string>();
    for (const { type, sentType, key } of items) {
      const id = JSON.stringify([type, key]);
      if (seen.has(id)) {
        throw new MockgateError('duplicate_key', `Duplicate key found: type="${sentType}", key="${key}". ` +
          'Each type+key combination must be unique in the request.', `type: ${sentType}, key: ${key}`);
      }
      seen.add(id);
    }
  }
  return items;
}

/**
 * A bulk delete body decided by the fields present (DECISIONS.md): `all` → everything (it must be true), `<list>` →
 * those items; neither, or both, is refused.
 */
export function readDeleteBody(body: unknown, validate: Validator, list: string, style: ErrorStyle & { typeNames: string }):
  { all: true } | { all: false; items: BulkItem[] } {
  assertValid(validate, body, style);
  const b = body as { all?: boolean; [list: string]: unknown };
  const hasAll = b.all !== undefined;
  const hasList = b[list] !== undefined;
  if (hasAll && hasList) {
    throw new MockgateError(style.code, `/: ${wording(style, `must have either all or ${list}, not both`)}`, '/');
  }
  if (hasAll) {
    if (b.all !== true) throw new MockgateError(style.code, `/all: ${wording(style, `must be true; to delete some items send ${list}`)}`, '/all');
    return { all: true };
  }
  if (!hasList) throw new MockgateError(style.code, `/: ${wording(style, `must have either all (true) or ${list}`)}`, '/');
  return { all: false, items: readBulkItems(body, validate, list, style, { value: false }) };
}

const V2_TYPES = { ...V2, typeNames: 'string, counter, list' };
// an item read with GET can be PUT back: its lastModified (a number; the document's examples show ISO strings) is ignored
const validatePut = compileSchema(bulkSchema('items', { value: true, extra: { lastModified: { type: ['number', 'string'] } } }));
const validateDelete = compileSchema(bulkSchema('items', { value: false, all: true }));
const validateIncrement = compileSchema({
  type: 'object',
  additionalProperties: false,
  properties: { by: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } },
});

type Query = Record<string, unknown>;

function queryText(query: Query, name: string): string | undefined {
  const v = query[name];
  const text = Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
  return text === '' ? undefined : text;
}

function queryInt(query: Query, name: string, min: number, max: number, fallback: number): number {
  const v = queryText(query, name);
  if (v === undefined) return fallback;
  const n = /^\d+$/.test(v) ? Number(v) : NaN; // plain decimal digits only
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new MockgateError('validation_error', `${name}: must be an integer from ${min} to ${max}, got "${v.slice(0, 80)}"`, name);
  }
  return n;
}

function typeParam(text: string, name: string): StateType {
  const type = parseStateType(text);
  if (type === undefined) {
    throw new MockgateError('validation_error', `${name}: must be one of: string, counter, list, got "${text.slice(0, 80)}"`, name);
  }
  return type;
}

export function stateV2Router(endpoints: Endpoints, state: StateService): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint/state';
  const keyOf = (req: Request): string => String(req.params['key']);

  router.get(base, (req, res) => {
    const name = endpointParam(req);
    const query = req.query as Query;
    const limit = queryInt(query, 'limit', 1, MAX_PAGE, 20);
    const offset = queryInt(query, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
    const typeText = queryText(query, 'type');
    const type = typeText === undefined ? undefined : typeParam(typeText, 'type');
    const keyPrefix = queryText(query, 'keyPrefix');
    const { items, total } = state.list(name, { type, keyPrefix, offset, limit });
    res.json({ data: items, pagination: { total, limit, offset, hasMore: offset + items.length < total } });
  });

  router.put(base, (req, res) => {
    const name = endpointParam(req);
    const items = readBulkItems(req.body, validatePut, 'items', V2_TYPES, { value: true });
    endpoints.getOrCreate(name);
    res.json(state.upsert(name, items.map(({ type, key, value }) => ({ type, key, value }))));
  });

  router.delete(base, (req, res) => {
    const name = endpointParam(req);
    const body = readDeleteBody(req.body ?? {}, validateDelete, 'items', V2_TYPES);
    // an unknown endpoint has no state: nothing to delete, and it is not created
    const count = body.all ? state.deleteAll(name) : state.deleteItems(name, body.items).length;
    res.json({ deleted: true, count });
  });

  router.post(`${base}/counter/:key/increment`, (req, res) => {
    const name = endpointParam(req);
    const key = keyOf(req);
    if ([...key].length > MAX_STATE_KEY) {
      throw new MockgateError('validation_error', `key: must NOT have more than ${MAX_STATE_KEY} characters`, 'key');
    }
    const body: unknown = req.body ?? {};
    assertValid(validateIncrement, body, V2);
    const by = (body as { by?: number }).by ?? 1;
    endpoints.getOrCreate(name);
    const item: StateItem = state.addToCounter(name, key, by);
    res.json(item);
  });

  router.get(`${base}/:type/:key`, (req, res) => {
    const name = endpointParam(req);
    const type = typeParam(String(req.params['type']), 'type');
    const key = keyOf(req);
    const item = state.get(name, type, key);
    if (!item) throw notFound(`state item ${type} "${key}" does not exist in endpoint "${name}"`);
    res.json(item);
  });

  router.delete(`${base}/:type/:key`, (req, res) => {
    const name = endpointParam(req);
    const type = typeParam(String(req.params['type']), 'type');
    const key = keyOf(req);
    if (state.deleteItems(name, [{ type, key }]).length === 0) {
      throw notFound(`state item ${type} "${key}" does not exist in endpoint "${name}"`);
    }
    res.json({ key, deleted: true });
  });

  return router;
}
