// "Make rules from this spec": one editable mock rule per operation, answering what the spec step answers with no
// Accept or Prefer header — the example, else a value generated once (static mode: the schema's own examples first).
import { englishFaker, startSequence } from './fakers.js';
import { operationName, type OperationRef } from './load-spec.js';
import { servedSpec } from './served-spec.js';

/** The methods a rule can have (HEAD is answered by GET rules). */
const RULE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE']);
/** Rules made from the same spec have the same bodies. */
const RULE_SEED = 1;
const MAX_DESCRIPTION = 1024;

export function rulesFromSpec(text: string): object[] {
  const { spec, answerer } = servedSpec(text);
  const base = spec.basePaths[0] ?? '';
  return mostSpecificFirst(spec.operations.filter((op) => RULE_METHODS.has(op.method))).map((op) => {
    startSequence(englishFaker, RULE_SEED);
    const answer = answerer(op)({ prefer: 'dynamic=false' }, englishFaker);
    const headers = Object.entries(answer.headers ?? {})
      .filter(([key]) => key.toLowerCase() !== 'content-length')
      .map(([key, value]) => ({ key: key.toLowerCase() === 'content-type' ? 'Content-Type' : key, value: String(value) }));
    return {
      enabled: true,
      method: op.method,
      description: describe(op),
      conditions: [{ type: 'path', operator: 'template', value: ruleTemplate(base + op.pathTemplate) }],
      action: { type: 'mock', status: answer.status, headers, body: answer.body === undefined ? '' : answer.body.toString() },
    };
  });
}

/** Rules match first-to-last: `/pet/findByStatus` must come before `/pet/{petId}`, whatever the spec's order. */
function mostSpecificFirst(ops: readonly OperationRef[]): OperationRef[] {
  const kinds = (op: OperationRef): number[] => op.pathTemplate.split('/').map((s) => (s.includes('{') ? 1 : 0));
  return [...ops].sort((a, b) => {
    const ka = kinds(a);
    const kb = kinds(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return 0;
  });
}

/** `/api/v3/pet/{petId}` → `/api/v3/pet/:petId`, in the path condition's template syntax (path-to-regexp). */
export function ruleTemplate(path: string): string {
  return path.split(/(\{[^}]*\})/).map((part, i, parts) => {
    const param = /^\{([^}]*)\}$/.exec(part);
    if (param === null) return part.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
    const name = param[1]!;
    const next = parts[i + 1] ?? '';
    const plain = /^[A-Za-z_$][\w$]*$/.test(name) && !/^[\w$]/.test(next);
    return plain ? `:${name}` : `:"${name.replace(/["\\]/g, '\\$&')}"`;
  }).join('');
}

function describe(op: OperationRef): string {
  const { operationId, summary } = op.operation as { operationId?: unknown; summary?: unknown };
  const parts = [typeof operationId === 'string' ? operationId : operationName(op), typeof summary === 'string' ? summary : undefined];
  return parts.filter((p) => p !== undefined && p !== '').join(': ').slice(0, MAX_DESCRIPTION);
}
