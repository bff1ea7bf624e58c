// `body` condition: contains or regex on the raw request body (as UTF-8 text).
import { defineCondition, type Matcher } from '../../../core/contract.js';

interface BodyCondition {
  type: 'body';
  operator: 'contains' | 'regex';
  value: string;
}

export const bodyCondition = defineCondition<BodyCondition>({
  type: 'body',
  needs: ['body'],
  schema: {
    type: 'object',
    required: ['type', 'operator', 'value'],
    additionalProperties: false,
    properties: {
      type: { const: 'body' },
      operator: { enum: ['contains', 'regex'] },
      value: { type: 'string', maxLength: 4096 },
    },
  },

  compile({ operator, value }, cx): Matcher {
    if (operator === 'contains') return (req) => req.text().includes(value);
    const re = cx.regex(value, 'value');
    return (req) => re.test(req.text());
  },
});
