// Recording: POST /api/v2/endpoints/{endpoint}/recordings (start), …/recordings/stop, …/recordings/snapshot.
import { Router } from 'express';
import type { Endpoints } from '../endpoints/endpoints.js';
import { validationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Journal } from '../journal/journal.js';
import type { JournalRow } from '../journal/journal-model.js';
import type { Registry } from '../plugins/registry.js';
import { recordingsOf, type Recording } from '../recording/recordings.js';
import { rulesFromRecording } from '../recording/snapshot.js';
import { validateRule } from '../rules/compile-rules.js';
import { MAX_RULES, type StoredRule } from '../rules/rule-model.js';
import type { JournalStore } from '../store/store.js';
import { assertValid, compileSchema } from '../validation.js';
import { endpointParam } from './params.js';

const V2 = { code: 'validation_error' } as const;
const SCAN_PAGE = 500;

const validateStart = compileSchema({
  type: 'object',
  required: ['targetUrl'],
  additionalProperties: false,
  properties: {
    targetUrl: { type: 'string', maxLength: 2048, format: 'uri', pattern: '^https?://' },
    ignoreSSLErrors: { type: 'boolean' },
  },
});
const validateSnapshot = compileSchema({
  type: 'object',
  additionalProperties: false,
  properties: {
    pathPrefix: { type: 'string', maxLength: 2048 },
    methods: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 16 } },
  },
});

const view = (r: Recording): { targetUrl: string; startedAt: string } => ({ targetUrl: r.targetUrl, startedAt: new Date(r.startedAt).toISOString() });

/** The endpoint's recorded entries, newest first, page by page. */
function* recordedRows(store: JournalStore, endpoint: string): Generator<JournalRow> {
  let before: number | undefined;
  for (;;) {
    const page = store.scan(endpoint, { behavior: 'recording' }, before, SCAN_PAGE);
    yield* page;
    if (page.length < SCAN_PAGE) return;
    before = page[page.length - 1]!.seq;
  }
}

export function recordingsRouter(endpoints: Endpoints, registry: Registry, journal: Journal, journalStore: JournalStore): Router {
  const router = Router();
  const base = '/api/v2/endpoints/:endpoint/recordings';
  const recordings = recordingsOf(endpoints);

  router.post(base, (req, res) => {
    const name = endpointParam(req);
    assertValid(validateStart, req.body, V2);
    const { targetUrl, ignoreSSLErrors = false } = req.body as { targetUrl: string; ignoreSSLErrors?: boolean };
    const recording = recordings.start(endpoints.getOrCreate(name), targetUrl, ignoreSSLErrors);
    res.status(201).json({ recording: view(recording) });
  });

  router.post(`${base}/stop`, (req, res) => {
    const name = endpointParam(req);
    const recording = recordings.stop(endpoints.get(name), name);
    res.json({ recording: { ...view(recording), stoppedAt: new Date().toISOString(), exchanges: recording.exchanges } });
  });

  router.post(`${base}/snapshot`, async (req, res) => {
    const name = endpointParam(req);
    const filter = (req.body ?? {}) as { pathPrefix?: string; methods?: string[] };
    assertValid(validateSnapshot, filter, V2);
    await journal.flush(); // what was answered is in the journal
    const { rules: bodies, skipped } = rulesFromRecording(recordedRows(journalStore, name), filter);
    const current = endpoints.get(name)?.rules ?? [];
    if (current.length + bodies.length > MAX_RULES) {
      throw validationError('/', `an endpoint holds at most ${MAX_RULES} rules; it has ${current.length} and the snapshot would add ${bodies.length} (narrow it with pathPrefix or methods)`);
    }
    const rules: StoredRule[] = bodies.map((body, i) => ({ id: newId(), ...validateRule(body, registry, { ...V2, prefix: `/rules/${i}` }) }));
    if (rules.length > 0) endpoints.setRules(name, [...current, ...rules], (i) => `/rules/${i - current.length}`);
    res.status(201).json({ created: rules.length, rules: rules.map((r) => r.id), skipped });
  });

  return router;
}
