// The v1 history date filters (dateFrom, dateTo, dateRange) with a clock the test sets: exact entry dates, exact windows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockRule, startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';

const E = 'dates';
const T0 = Date.parse('2026-01-15T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (t: number): string => new Date(t).toISOString();

let mg: RunningMockgate;
let clock = T0;

/** Requests sent at these offsets before T0 (oldest first); odd ones are POSTs answered by a rule with 201. */
const AGO = [3 * DAY, 25 * HOUR, 2 * HOUR, 30 * MIN, 5 * MIN, 1 * MIN];
const label = (ago: number): string => `/ago/${ago / MIN}m`;

async function listed(params: Record<string, string> = {}): Promise<string[]> {
  const res = await mg.api.get(`/api/v1/endpoints/${E}/requests?${new URLSearchParams(params)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.map((e: any) => e.path);
}

/** The labels of the requests sent these amounts of time before T0, newest first. */
const at = (...agos: number[]): string[] => [...agos].sort((a, b) => a - b).map(label);

beforeAll(async () => {
  mg = await startMockgate({ now: () => clock });
  const rule = await mg.api.post(`/api/v2/endpoints/${E}/rules`,
    mockRule({ type: 'path', operator: 'starts_with', value: '/ago/' }, { status: 201, body: 'made' }, { method: 'POST' }));
  expect(rule.status).toBe(201);
  for (const [i, ago] of AGO.entries()) {
    clock = T0 - ago;
    const res = await fetch(`${mg.url}/e/${E}${label(ago)}`, i % 2 ? { method: 'POST', body: 'p' } : {});
    await res.text();
    expect(res.status).toBe(i % 2 ? 201 : 200);
  }
  clock = T0;
});

afterAll(async () => {
  await mg.close();
});

describe('entry dates', () => {
  it('are the server clock when the request arrived, in ISO UTC with milliseconds', async () => {
    const res = await mg.api.get(`/api/v1/endpoints/${E}/requests`);
    expect(res.body.data.map((e: any) => e.date)).toEqual([...AGO].reverse().map((ago) => iso(T0 - ago)));
    const full = await mg.api.get(`/api/v1/endpoints/${E}/requests?mode=full`);
    expect(full.body.data.map((e: any) => e.date)).toEqual([...AGO].reverse().map((ago) => iso(T0 - ago)));
  });

  it('GET one has the same date', async () => {
    const [newest] = (await mg.api.get(`/api/v1/endpoints/${E}/requests?count=1`)).body.data;
    const one = await mg.api.get(`/api/v1/endpoints/${E}/requests/${newest.id}`);
    expect(one.body.data[0].date).toBe(iso(T0 - MIN));
  });
});

describe('dateRange', () => {
  it('looks back from now: 10m, 1h, 24h = 1d, 2d, 7d', async () => {
    expect(await listed({ dateRange: '10m' })).toEqual(at(5 * MIN, MIN));
    expect(await listed({ dateRange: '1h' })).toEqual(at(30 * MIN, 5 * MIN, MIN));
    expect(await listed({ dateRange: '24h' })).toEqual(at(2 * HOUR, 30 * MIN, 5 * MIN, MIN));
    expect(await listed({ dateRange: '1d' })).toEqual(await listed({ dateRange: '24h' }));
    expect(await listed({ dateRange: '2d' })).toEqual(at(25 * HOUR, 2 * HOUR, 30 * MIN, 5 * MIN, MIN));
    expect(await listed({ dateRange: '7d' })).toEqual(at(...AGO));
    expect(await listed({ dateRange: '30s' })).toEqual([]);
  });

  it('follows the clock', async () => {
    clock = T0 + 10 * MIN;
    try {
      expect(await listed({ dateRange: '10m' })).toEqual([]);
      expect(await listed({ dateRange: '12m' })).toEqual(at(MIN));
    } finally {
      clock = T0;
    }
  });

  it('combines with the other filters', async () => {
    expect(await listed({ dateRange: '24h', method: 'POST' })).toEqual(at(30 * MIN, MIN));
    expect(await listed({ dateRange: '24h', status: '200' })).toEqual(at(2 * HOUR, 5 * MIN));
    expect(await listed({ dateRange: '24h', status: 'abc' })).toEqual(at(2 * HOUR, 30 * MIN, 5 * MIN, MIN));
    expect(await listed({ dateRange: '1d', path: '^/ago/(1|5)m$' })).toEqual(at(5 * MIN, MIN));
    expect(await listed({ dateRange: '7d', count: '2' })).toEqual(at(5 * MIN, MIN));
  });

  it('with dateFrom, extends forward from it; with dateTo, back from it', async () => {
    expect(await listed({ dateFrom: iso(T0 - 3 * HOUR), dateRange: '2h' })).toEqual(at(2 * HOUR));
    expect(await listed({ dateTo: iso(T0 - 20 * HOUR), dateRange: '1d' })).toEqual(at(25 * HOUR));
  });
});

describe('dateFrom and dateTo', () => {
  it('dateFrom keeps the requests from that instant on', async () => {
    expect(await listed({ dateFrom: iso(T0 - 10 * MIN) })).toEqual(at(5 * MIN, MIN));
    expect(await listed({ dateFrom: iso(T0 - 2 * DAY) })).toEqual(at(25 * HOUR, 2 * HOUR, 30 * MIN, 5 * MIN, MIN));
    expect(await listed({ dateFrom: iso(T0) })).toEqual([]);
  });

  it('dateTo keeps the requests up to that instant', async () => {
    expect(await listed({ dateTo: iso(T0 - HOUR) })).toEqual(at(3 * DAY, 25 * HOUR, 2 * HOUR));
    expect(await listed({ dateTo: iso(T0 - 4 * DAY) })).toEqual([]);
    expect(await listed({ dateTo: iso(T0) })).toEqual(at(...AGO));
  });

  it('both make a window', async () => {
    expect(await listed({ dateFrom: iso(T0 - DAY - 2 * HOUR), dateTo: iso(T0 - 10 * MIN) })).toEqual(at(25 * HOUR, 2 * HOUR, 30 * MIN));
    expect(await listed({ dateFrom: iso(T0 - 3 * MIN), dateTo: iso(T0 - 10 * MIN) })).toEqual([]); // from after to
  });

  it('an entry exactly at a bound is inside the window', async () => {
    expect(await listed({ dateFrom: iso(T0 - 5 * MIN) })).toEqual(at(5 * MIN, MIN));
    expect(await listed({ dateTo: iso(T0 - 5 * MIN) })).toEqual(at(3 * DAY, 25 * HOUR, 2 * HOUR, 30 * MIN, 5 * MIN));
    expect(await listed({ dateFrom: iso(T0 - 5 * MIN), dateTo: iso(T0 - 5 * MIN) })).toEqual(at(5 * MIN));
    expect(await listed({ dateFrom: iso(T0 - 5 * MIN + 1) })).toEqual(at(MIN));
  });

  it('accepts the seed format and ISO UTC without milliseconds', async () => {
    expect(await listed({ dateFrom: '2026-01-15T11:50:00Z' })).toEqual(at(5 * MIN, MIN));
    expect(await listed({ dateFrom: '2026-01-15T11:50:00.000Z', dateTo: '2026-01-15T11:58:00.000Z' })).toEqual(at(5 * MIN));
    expect(await listed({ dateFrom: '2019-10-20T18:19:48.851Z' })).toEqual(at(...AGO));
  });

  it('combine with the other filters', async () => {
    expect(await listed({ dateTo: iso(T0 - HOUR), method: 'POST' })).toEqual(at(25 * HOUR));
    expect(await listed({ dateFrom: iso(T0 - DAY), status: '201', mode: 'full' })).toEqual(at(30 * MIN, MIN));
    expect(await listed({ dateFrom: iso(T0 - 4 * DAY), resBody: '^made$', reqBody: 'p' })).toEqual(at(25 * HOUR, 30 * MIN, MIN));
  });

  it('malformed values are a 400 bad_request naming the parameter', async () => {
    for (const [name, value] of [['dateFrom', 'now'], ['dateTo', '15/01/2026'], ['dateFrom', '2026-02-30T25:00:00Z'], ['dateRange', '1x']]) {
      const res = await mg.api.get(`/api/v1/endpoints/${E}/requests?${name}=${encodeURIComponent(value!)}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bad_request', parameter: name });
    }
  });
});
