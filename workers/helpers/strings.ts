// (being written)
import type { Helper, HelperCheck } from './helper-kit.js';

export default {} as Record<string, Helper>;

export const checks: Record<string, HelperCheck> = {};
