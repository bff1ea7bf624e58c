// Record writes while the journal writer thread commits mock traffic: a write that reads before it writes must wait for
// the lock, not fail with SQLITE_BUSY (a deferred transaction would, now and then).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

let mg: RunningMockgate;
beforeAll(async () => {
  mg = await startMockgate();
});
afterAll(() => mg.close());

it('every record write succeeds while journaled traffic flows', async () => {
  const store = (await mg.api.post('/api/v2/endpoints/busy/data-stores', { name: 's', maxSizeMB: 1 })).body.dataStore;
  const data = `/api/v2/endpoints/busy/data-stores/${store.id}/data`;
  let stop = false;
  const traffic = (async () => {
    while (!stop) await Promise.all(Array.from({ length: 20 }, () => fetch(`${mg.url}/e/busy/traffic`).then((r) => r.text())));
  })();
  const failures: unknown[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      const res = await mg.api.put(`${data}/k${i % 5}`, { data: { i } });
      if (res.status >= 300) failures.push(res.body);
    }
  } finally {
    stop = true;
    await traffic;
  }
  expect(failures).toEqual([]);
  expect((await mg.api.get(`/api/v2/endpoints/busy/data-stores/${store.id}`)).body.dataStore.records).toBe(5);
}, 60_000);
