// The CompileContext handed to plugins: one safe regex compiler, failures as validation errors at a JSON pointer.
import type { CompileContext, Logger } from '../contract.js';
import { validationError } from '../errors.js';
import type { TemplateChecker } from '../templates/check-template.js';
import { chaosOf, chaosProblem, type ChaosBlock } from '../chaos/chaos.js';
import { compileSafeRegex } from './safe-regex.js';

export function createCompileContext(pointer: string, log: Logger, templates: TemplateChecker): CompileContext {
  const at = (field?: string): string => (field ? `${pointer}/${field}` : pointer);
  const fail = (message: string, field?: string): never => {
    throw validationError(at(field), message);
  };
  return {
    pointer,
    log,
    fail,
    regex(source, field, options) {
      try {
        return compileSafeRegex(source, options);
      } catch (err) {
        return fail((err as Error).message, field);
      }
    },
    chaos(block, field) {
      const problem = chaosProblem(block as ChaosBlock);
      return problem === undefined ? chaosOf(block as ChaosBlock) : fail(problem, field);
    },
    template(source, field) {
      try {
        return templates.check(source);
      } catch (err) {
        return fail((err as Error).message, field);
      }
    },
  };
}
