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
    switch (operator) {
      case 'equals':
        return { exactPath: value.split('?')[0]! };
      case 'starts_with':
        return segmentsHint(wholeSegments(value.split('?')[0]!));
      case 'template': {
        const literal: string[] = [];
        for (const segment of value.split('/').slice(1)) {
          if (!LITERAL_SEGMENT.test(segment)) break;
          literal.push(segment);
        }
        return segmentsHint(literal);
      }
      case 'regex': {
        // `^/api/users/\d+` can only match paths under /api/users; any alternation could escape that, so give up on `|`
        const m = /^\^(\/[A-Za-z0-9_~%-]*(?:\/[A-Za-z0-9_~%-]*)*)/.exec(value);
        return m && !value.includes('|') ? segmentsHint(wholeSegments(m[1]!)) : undefined;
      }
      default:
        return undefined;
    }
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
        if (re.groupNames.length === 0) return (req) => re.test(req.url);
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

/** The complete segments of a path prefix: `/api/users/4` → api, users (the last piece may continue). */
function wholeSegments(prefix: string): string[] {
  return prefix.split('/').slice(1, -1);
}

function segmentsHint(segments: readonly string[]): IndexHint | undefined {
  return segments.length > 0 ? { segments } : undefined;
}

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
