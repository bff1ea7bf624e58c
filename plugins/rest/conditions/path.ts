// `path` condition: equals, starts_with, contains, regex, template (Express-style, captures path params).
import { match } from 'path-to-regexp';
import { defineCondition, type IndexHint, type Matcher } from '../../../core/contract.js';

interface PathCondition {
  type: 'path';
  operator: 'equals' | 'starts_with' | 'contains' | 'regex' | 'template';
  value: string;
}

const LITERAL_SEGMENT = /^[^:*{}()[\]?+!\\]+$/;

export const pathCondition = defineCondition<PathCondition>({
  type: 'path',
  schema: {
    type: 'object',
    required: ['type', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'path' },
      operator: { enum: ['equals', 'starts_with', 'contains', 'regex', 'template'] },
      value: { type: 'string', maxLength: 2048 },
    },
  },

  hint({ operator, value }): IndexHint | undefined {
    if (operator === 'equals') return { exactPath: value.split('?')[0]! };
    if (operator === 'starts_with') {
      const m = /^\/([^/?#]+)\//.exec(value);
      return m ? { firstSegment: m[1]! } : undefined;
    }
    if (operator === 'template') {
      const m = /^\/([^/]+)/.exec(value);
      return m && LITERAL_SEGMENT.test(m[1]!) ? { firstSegment: m[1]! } : undefined;
    }
    return undefined;
  },

  compile({ operator, value }, cx): Matcher {
    switch (operator) {
      // equals ignores the query string, unless the rule itself names one
      case 'equals':
        return value.includes('?') ? (req) => req.url === value : (req) => req.path === value;
      // starts_with, contains and regex see the path with its query string ("path/URL" in Beeceptor's words)
      case 'starts_with':
        return (req) => req.url.startsWith(value);
      case 'contains':
        return (req) => req.url.includes(value);
      case 'regex': {
        const re = cx.regex(value, 'value');
        return (req, ctx) => {
          const groups = re.groups(req.url);
          if (groups === undefined) return false;
          ctx.captures = ctx.captures ? Object.assign(ctx.captures, groups) : groups;
          return true;
        };
      }
      case 'template': {
        if (!value.startsWith('/')) cx.fail('a path template starts with "/"', 'value');
        let matchPath: ReturnType<typeof match>;
        try {
          matchPath = match(value, { sensitive: true, decode: safeDecode });
        } catch (err) {
          cx.fail(`invalid path template: ${(err as Error).message}`, 'value');
        }
        return (req, ctx) => {
          const result = matchPath(req.path);
          if (result === false) return false;
          const params = toStrings(result.params);
          ctx.captures = ctx.captures ? Object.assign(ctx.captures, params) : params;
          return true;
        };
      }
    }
  },
});

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function toStrings(params: Partial<Record<string, string | string[]>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(params)) if (v !== undefined) out[name] = Array.isArray(v) ? v.join('/') : v;
  return out;
}
