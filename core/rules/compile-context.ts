// The CompileContext handed to plugins: one safe regex compiler, failures as validation errors at a JSON pointer.
import type { BlobRef, CompileContext, Logger } from '../contract.js';
import { validationError } from '../errors.js';
import type { TemplateChecker } from '../templates/check-template.js';
import { chaosOf, chaosProblem, type ChaosBlock } from '../chaos/chaos.js';
import { compileSafeRegex } from './safe-regex.js';

/** Looks a blob of the endpoint up by path (and notes that the rule being compiled uses it). */
export type BlobLookup = (path: string) => BlobRef | undefined;

/** Without `blobs` (settings, documents), `cx.blob` refuses every path: only rules may use blobs, so usage stays known. */
export function createCompileContext(pointer: string, log: Logger, templates: TemplateChecker, blobs?: BlobLookup): CompileContext {
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
    blob(path, field) {
      if (blobs === undefined) return fail('blobs can only be used by rules', field);
      return blobs(path) ?? fail(`blobPath "${path.slice(0, 200)}" does not name a blob of this endpoint; ` +
        'upload one with POST /api/v2/endpoints/{endpoint}/blobs', field);
    },
  };
}
