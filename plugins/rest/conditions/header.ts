// `header` condition: equals, contains, regex on one header; names compare case-insensitively.
import { defineCondition, headerValue, type Matcher } from '../../../core/contract.js';

interface HeaderCondition {
  type: 'header';
  key: string;
  operator: 'equals' | 'contains' | 'regex';
  value: string;
}

export const headerCondition = defineCondition<HeaderCondition>({
  type: 'header',
  schema: {
    type: 'object',
    required: ['type', 'key', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'header' },
      key: { type: 'string', minLength: 1, maxLength: 256 },
      operator: { enum: ['equals', 'contains', 'regex'] },
      value: { type: 'string', maxLength: 4096 },
    },
  },

  // A request without the header never matches, whatever the operator.
  compile({ key, operator, value }, cx): Matcher {
    const name = key.toLowerCase();
    switch (operator) {
      case 'equals':
        return (req) => headerValue(req, name) === value;
      case 'contains':
        return (req) => headerValue(req, name)?.includes(value) === true;
      case 'regex': {
        const re = cx.regex(value, 'value');
        return (req) => {
          const actual = headerValue(req, name);
          return actual !== undefined && re.test(actual);
        };
      }
    }
  },
});
