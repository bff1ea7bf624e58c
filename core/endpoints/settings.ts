// EndpointSettings: schema (the OpenAPI document's, made strict), defaults, and PATCH as a JSON merge patch.
import type { EndpointSettings } from '../contract.js';
import { validationError } from '../errors.js';
import { assertValid, compileSchema, type ErrorStyle } from '../validation.js';
import { chaosProblem, chaosSchema } from '../chaos/chaos.js';

export type { EndpointSettings };

const LOCALES = ['en', 'en_GB', 'en_IN', 'en_US', 'fr', 'id_ID', 'ja', 'pt_BR', 'es', 'es_MX', 'zh_CN'];

/**
 * mockgate's CORS additions when an endpoint does not set them (`headers` absent: the preflight's list is echoed).
 * Kept out of defaultSettings() so GET answers the document's `cors {origins}` shape until one is set.
 */
export const CORS_DEFAULTS = Object.freeze({
  methods: Object.freeze(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']),
  exposeHeaders: Object.freeze([] as string[]),
  credentials: false,
  maxAge: 600,
});

export function defaultSettings(): EndpointSettings {
  return {
    security: { enabled: false, headerKey: '', headerValue: '' },
    cors: { origins: [] },
    locale: 'en',
    rateLimit: { enabled: false, rate: 10, period: 'Second' },
    crud: { autoDelete: false },
    customDomain: { enabled: false, domain: '' },
    mtls: { enabled: false },
    localTunnel: false,
    proxy: { targetUrl: '', ignoreSSLErrors: false },
    rules: { enabled: true },
    journal: { maskHeaders: false, maskedHeaders: [] },
    specs: { validateRequests: true },
  };
}

const HEADER_NAME = "^[!#$%&'*+.^_`|~0-9A-Za-z-]*$";
const HOSTNAME = '^$|^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$';

const object = (properties: Record<string, object>): object => ({ type: 'object', additionalProperties: false, properties });

const settingsSchema = object({
  security: object({
    enabled: { type: 'boolean' },
    headerKey: { type: 'string', maxLength: 256, pattern: HEADER_NAME },
    headerValue: { type: 'string', maxLength: 4096, pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$' },
  }),
  cors: object({
    // visible ASCII only: an allowed origin is written back in Access-Control-Allow-Origin
    origins: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' } },
    methods: { type: 'array', maxItems: 32, items: { type: 'string', minLength: 1, maxLength: 32, pattern: HEADER_NAME } },
    headers: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 256, pattern: HEADER_NAME } },
    exposeHeaders: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 256, pattern: HEADER_NAME } },
    credentials: { type: 'boolean' },
    maxAge: { type: 'integer', minimum: 0, maximum: 86_400 },
  }),
  locale: { enum: LOCALES },
  rateLimit: object({
    enabled: { type: 'boolean' },
    rate: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    period: { enum: ['Second', 'Minute', 'Hour'] },
  }),
  crud: object({ autoDelete: { type: 'boolean' } }),
  customDomain: object({ enabled: { type: 'boolean' }, domain: { type: 'string', maxLength: 253, pattern: HOSTNAME } }),
  mtls: object({ enabled: { type: 'boolean' } }),
  localTunnel: { type: 'boolean' },
  proxy: object({
    targetUrl: { type: 'string', maxLength: 2048, anyOf: [{ const: '' }, { format: 'uri', pattern: '^https?://' }] },
    ignoreSSLErrors: { type: 'boolean' },
    chaos: chaosSchema,
  }),
  rules: object({ enabled: { type: 'boolean' } }),
  journal: object({
    maxEntries: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    maskHeaders: { type: 'boolean' },
    maskedHeaders: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 256, pattern: HEADER_NAME } },
  }),
  specs: object({
    validateRequests: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  }),
});

/** A patch: the same shape, where null removes a value (it returns to its default). */
const patchSchema = { type: 'object' } as const;

const validateSettings = compileSchema(settingsSchema);
const validatePatch = compileSchema(patchSchema);

/** RFC 7396 merge patch over the current settings, then the whole result is validated. Returns new settings. */
export function applySettingsPatch(current: EndpointSettings, patch: unknown, style: ErrorStyle): EndpointSettings {
  assertValid(validatePatch, patch, style);
  const merged = withDefaults(mergePatch(current, patch) as Partial<EndpointSettings>);
  assertValid(validateSettings, merged, style);
  requireWhenEnabled(merged.security.enabled, merged.security.headerKey, '/security/headerKey', 'a header name is required when security is enabled');
  requireWhenEnabled(merged.customDomain.enabled, merged.customDomain.domain, '/customDomain/domain', 'a domain is required when the custom domain is enabled');
  const chaos = merged.proxy.chaos === undefined ? undefined : chaosProblem(merged.proxy.chaos);
  if (chaos !== undefined) throw validationError('/proxy/chaos', chaos);
  // these hosts reach the management API; an endpoint claiming one would take it over
  if (/^[0-9.]+$|^localhost$/i.test(merged.customDomain.domain)) {
    throw validationError('/customDomain/domain', 'must be a domain name, not an IP address or localhost');
  }
  return merged;
}

function requireWhenEnabled(enabled: boolean, value: string, pointer: string, message: string): void {
  if (enabled && value === '') throw validationError(pointer, message);
}

/** Fills what a stored or patched document lacks from the defaults, one level deep. */
export function withDefaults(settings: Partial<EndpointSettings>): EndpointSettings {
  const out = defaultSettings() as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(settings)) {
    const base = out[key];
    out[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return out as unknown as EndpointSettings;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
