// Entry of a worker thread whose module is TypeScript source (mockgate running from its sources, as under vitest):
// registers tsx, then hands over the module's default export.
import { workerData } from 'node:worker_threads';

const tsx = await import('tsx/esm/api');
tsx.register();
const mod = await import(workerData.tsModule);
export default mod.default;
