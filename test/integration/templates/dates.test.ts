// Date helpers through a real server: now (long, utc, iso, shorthands, dayjs patterns, offsets), dateAdd, dateParse,
// dateDiff, dateFormat and timestamp; runtime errors answer 500 template_error, bad literals are refused when written.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockgate, type RunningMockgate } from '../../helpers/start-mockgate.js';
import { render, renderFailure, writeRefused, writeTemplate } from './template-harness.js';

dayjs.extend(utc);

let mg: RunningMockgate;
beforeAll(async () => { mg = await startMockgate(); });
afterAll(() => mg.close());

const runtimeError = (template: string, url?: string) => renderFailure(mg, template, url === undefined ? {} : { url });
const writeError = (template: string) => writeRefused(mg, template);

/** Renders and expects 200; also returns the clock around the request. */
async function timed(template: string, url?: string): Promise<{ text: string; before: number; after: number }> {
  const before = Date.now();
  const res = await render(mg, template, url === undefined ? {} : { url });
  const after = Date.now();
  expect(res.status, res.text).toBe(200);
  return { text: res.text, before, after };
}

async function ok(template: string, url?: string): Promise<string> {
  return (await timed(template, url)).text;
}

/** `value` (ms) lies in [before + shift − slack, after + shift + slack]; slack covers second-truncated formats. */
function expectNear(value: number, { before, after }: { before: number; after: number }, shift = 0, slack = 1000): void {
  expect(value).toBeGreaterThanOrEqual(before + shift - slack);
  expect(value).toBeLessThanOrEqual(after + shift + slack);
}

describe('now', () => {
  it('prints the long form of JS Date.toString() in UTC by default', async () => {
    const r = await timed('{{now}}');
    expect(r.text).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+0000 \(Coordinated Universal Time\)$/);
    expectNear(Date.parse(r.text), r);
    expect(r.text).toBe(new Date(Date.parse(r.text)).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (.*) GMT$/, '$1 $3 $2 $4 $5 GMT+0000 (Coordinated Universal Time)'));
  });

  it("'utc' is ISO without milliseconds and with Z; 'iso' has milliseconds and +00:00", async () => {
    const u = await timed("{{now 'utc'}}");
    expect(u.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expectNear(Date.parse(u.text), u);
    const i = await timed("{{now 'iso'}}");
    expect(i.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    expectNear(Date.parse(i.text), i, 0, 0);
  });

  it('takes the shorthands timestamp, unix, us, eu, sql and compact', async () => {
    const t = await timed("{{now 'timestamp'}}");
    expect(t.text).toMatch(/^\d{13}$/);
    expectNear(Number(t.text), t, 0, 0);
    const x = await timed("{{now 'unix'}}");
    expect(x.text).toMatch(/^\d{10}$/);
    expectNear(Number(x.text) * 1000, x);
    const all = await timed("{{now 'us'}}|{{now 'eu'}}|{{now 'sql'}}|{{now 'compact'}}");
    const [us, eu, sql, compact] = all.text.split('|') as [string, string, string, string];
    expect(us).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(eu).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(sql).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(compact).toMatch(/^\d{14}$/);
    const at = dayjs.utc(`${sql.replace(' ', 'T')}Z`);
    expectNear(at.valueOf(), all);
    expect(us).toBe(at.format('MM/DD/YYYY'));
    expect(eu).toBe(at.format('DD/MM/YYYY'));
    expect(compact).toBe(at.format('YYYYMMDDHHmmss'));
  });

  it('takes a dayjs pattern, with literal text in brackets', async () => {
    const r = await timed("{{now 'YYYYMMDD'}}|{{now '[day] DD [of] MMMM YYYY, HH:mm'}}");
    const [compact, words] = r.text.split('|') as [string, string];
    expect([dayjs.utc(r.before).format('YYYYMMDD'), dayjs.utc(r.after).format('YYYYMMDD')]).toContain(compact);
    expect(words).toMatch(/^day \d{2} of (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, \d{2}:\d{2}$/);
  });

  it("applies Beeceptor's string offsets, then the format", async () => {
    const r = await timed("{{now '{minutes:5}' 'utc'}}|{{now '{hours:3}' 'utc'}}|{{now '{days: 1, hours:10}' 'utc'}}|{{now '{ weeks:-2 , seconds: 30 }' 'timestamp'}}");
    const [m5, h3, d1h10, w2] = r.text.split('|') as [string, string, string, string];
    expect(m5).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expectNear(Date.parse(m5), r, 5 * 60_000);
    expectNear(Date.parse(h3), r, 3 * 3_600_000);
    expectNear(Date.parse(d1h10), r, 34 * 3_600_000);
    expectNear(Number(w2), r, -14 * 86_400_000 + 30_000, 0);
  });

  it('moves months and years by the calendar', async () => {
    const r = await timed("{{now '{months:-11, days:1}' 'iso'}}|{{now '{years:2}' 'YYYY-MM-DD'}}");
    const [back, ahead] = r.text.split('|') as [string, string];
    expect(back).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    const expected = [r.before, r.after].map((t) => dayjs.utc(t).add(-11, 'month').add(1, 'day').valueOf());
    expect(Date.parse(back)).toBeGreaterThanOrEqual(expected[0]!);
    expect(Date.parse(back)).toBeLessThanOrEqual(expected[1]!);
    expect([r.before, r.after].map((t) => dayjs.utc(t).add(2, 'year').format('YYYY-MM-DD'))).toContain(ahead);
  });

  it('takes the offset as an object from (object …), and the format may come first', async () => {
    const r = await timed("{{now (object hours=3) 'utc'}}|{{now 'utc' '{minutes:-5}'}}|{{now (object days=(queryParam 'd')) 'timestamp'}}", '/t?d=-2');
    const [h3, m5, d2] = r.text.split('|') as [string, string, string];
    expectNear(Date.parse(h3), r, 3 * 3_600_000);
    expectNear(Date.parse(m5), r, -5 * 60_000);
    expectNear(Number(d2), r, -2 * 86_400_000, 0);
  });
});

describe('dateAdd', () => {
  it('moves a date by an offset and prints it (ISO by default)', async () => {
    expect(await ok("{{dateAdd '2026-02-25T05:15:05Z' '{days:3}' 'iso'}}")).toBe('2026-02-28T05:15:05.000+00:00');
    expect(await ok("{{dateAdd '2026-02-25T05:15:05Z' '{hours:-5}' 'utc'}}")).toBe('2026-02-25T00:15:05Z');
    expect(await ok("{{dateAdd '2026-02-25T05:15:05Z' '{minutes:90, seconds:-5}'}}")).toBe('2026-02-25T06:45:00.000+00:00');
    expect(await ok("{{dateAdd '2024-01-31' '{months:1}' 'YYYY-MM-DD'}}")).toBe('2024-02-29');
    expect(await ok("{{dateAdd '2024-02-29' '{years:-1}' 'eu'}}")).toBe('28/02/2023');
  });

  it('reads epoch milliseconds, offset dates and request values', async () => {
    expect(await ok("{{dateAdd 0 '{years:1}' 'utc'}}")).toBe('1971-01-01T00:00:00Z');
    expect(await ok("{{dateAdd '2024-10-10T04:39:51+02:00' '{weeks:1}' 'sql'}}")).toBe('2024-10-17 02:39:51');
    expect(await ok("{{dateAdd (queryParam 'd') (object days=(queryParam 'n')) 'us'}}", '/t?d=2024-10-10&n=-10')).toBe('09/30/2024');
    expect(await ok("{{dateAdd (queryParam 'd') '{hours:1}' 'compact'}}", '/t?d=1728535191000')).toBe('20241010053951');
  });

  it('composes with now', async () => {
    const r = await timed("{{dateAdd (now 'iso') '{days:-1}' 'timestamp'}}");
    expectNear(Number(r.text), r, -86_400_000, 0);
  });
});

describe('dateParse', () => {
  it('reads usual forms without a pattern', async () => {
    expect(await ok("{{dateParse '2024-10-10T04:39:51+02:00'}}")).toBe('2024-10-10T02:39:51.000+00:00');
    expect(await ok("{{dateParse '2024-10-10'}}")).toBe('2024-10-10T00:00:00.000+00:00');
    expect(await ok("{{dateParse 'Thu Oct 10 2024 04:39:51 GMT+0000 (Coordinated Universal Time)' '' 'utc'}}")).toBe('2024-10-10T04:39:51Z');
    expect(await ok("{{dateParse 'October 10, 2024 10:00' '' 'sql'}}")).toBe('2024-10-10 10:00:00');
  });

  it('reads with a dayjs pattern or a shorthand and prints with a format', async () => {
    expect(await ok("{{dateParse '10/31/2024' 'us'}}")).toBe('2024-10-31T00:00:00.000+00:00');
    expect(await ok("{{dateParse '31/10/2024' 'eu' 'YYYY-MM-DD'}}")).toBe('2024-10-31');
    expect(await ok("{{dateParse '31-10-2024 13:05' 'DD-MM-YYYY HH:mm' 'sql'}}")).toBe('2024-10-31 13:05:00');
    expect(await ok("{{dateParse '1728535191' 'unix' 'utc'}}")).toBe('2024-10-10T04:39:51Z');
    expect(await ok("{{dateParse '20241010043951' 'compact' 'iso'}}")).toBe('2024-10-10T04:39:51.000+00:00');
  });
});

describe('dateDiff', () => {
  it('gives b − a as a whole number of the unit', async () => {
    expect(await ok("{{dateDiff '2026-02-25T05:15:05Z' '2026-02-28T05:15:05Z' 'days'}}")).toBe('3');
    expect(await ok("{{dateDiff '2026-02-28T05:15:05Z' '2026-02-25T05:15:06Z' 'days'}}")).toBe('-2');
    expect(await ok("{{dateDiff '2026-02-25T05:15:05Z' '2026-02-28T05:15:05Z' 'hours'}}")).toBe('72');
    expect(await ok("{{dateDiff '2024-01-15' '2024-04-14' 'months'}}")).toBe('2');
    expect(await ok("{{dateDiff '2000-06-01' '2024-05-31' 'years'}}")).toBe('23');
    expect(await ok("{{dateDiff '2024-01-01' '2024-01-22' 'weeks'}}")).toBe('3');
    expect(await ok("{{dateDiff '2024-01-01T00:00:00Z' '2024-01-01T00:01:30Z' 'seconds'}}|{{dateDiff '2024-01-01T00:00:00Z' '2024-01-01T00:01:30Z' 'minutes'}}")).toBe('90|1');
    expect(await ok("{{dateDiff '2024-01-01T00:00:00Z' '2024-01-01T00:00:01.5Z'}}|{{dateDiff 0 1000 'ms'}}")).toBe('1500|1000');
  });

  it('works on now and request values', async () => {
    expect(await ok("{{dateDiff (now 'iso') (now '{days:2}' 'iso') 'hours'}}")).toBe('48');
    expect(await ok("{{dateDiff (queryParam 'from') (queryParam 'to') 'days'}}", '/t?from=2024-02-01&to=2024-03-01')).toBe('29');
  });
});

describe('dateFormat and timestamp', () => {
  it('dateFormat prints a date with a shorthand or pattern (ISO by default)', async () => {
    expect(await ok("{{dateFormat '2024-10-10T04:39:51Z' 'DD/MM/YYYY HH:mm'}}")).toBe('10/10/2024 04:39');
    expect(await ok("{{dateFormat 1728535191000 'ddd, DD MMM YYYY'}}")).toBe('Thu, 10 Oct 2024');
    expect(await ok("{{dateFormat '2024-10-10T04:39:51.250Z'}}")).toBe('2024-10-10T04:39:51.250+00:00');
    expect(await ok("{{dateFormat '2024-10-10T04:39:51Z' 'long'}}")).toBe('Thu Oct 10 2024 04:39:51 GMT+0000 (Coordinated Universal Time)');
    expect(await ok("{{dateFormat '2024-10-10T04:39:51Z' 'unix'}}")).toBe('1728535191');
  });

  it('timestamp is epoch milliseconds of now or of a date', async () => {
    const r = await timed('{{timestamp}}');
    expectNear(Number(r.text), r, 0, 0);
    expect(await ok("{{timestamp '2024-10-10T04:39:51Z'}}")).toBe('1728535191000');
    expect(await ok("{{timestamp (dateParse '10/10/2024' 'us')}}")).toBe('1728518400000');
  });
});

describe('errors', () => {
  it('an unreadable date at render time is a template_error naming the helper', async () => {
    expect(await runtimeError("{{dateAdd (queryParam 'd') '{days:1}'}}", '/t?d=garbage')).toContain('dateAdd: "garbage" is not a date');
    expect(await runtimeError("{{dateFormat (queryParam 'd') 'iso'}}", '/t?d=2024-02-30')).toContain('dateFormat: "2024-02-30" is not a date');
    expect(await runtimeError("{{dateParse (queryParam 'd') 'us'}}", '/t?d=13/31/2024')).toContain('dateParse: "13/31/2024" is not a date in the pattern "us"');
    expect(await runtimeError("{{dateDiff (queryParam 'a') '2024-01-01' 'days'}}")).toContain('dateDiff: needs a date');
    expect(await runtimeError("{{timestamp (queryParam 'd')}}", '/t?d=soon')).toContain('timestamp: "soon" is not a date');
  });

  it('a bad offset or unit from the request is a template_error naming the helper', async () => {
    expect(await runtimeError("{{now (queryParam 'o') 'utc'}}", `/t?o=${encodeURIComponent('{fortnights:1}')}`)).toContain('now: unknown offset unit "fortnights"');
    expect(await runtimeError("{{dateAdd '2024-01-01' (object days=(queryParam 'n'))}}", '/t?n=1.5')).toContain("dateAdd: the offset's days must be a whole number");
    expect(await runtimeError("{{dateDiff '2024-01-01' '2024-02-01' (queryParam 'u')}}", '/t?u=eons')).toContain('dateDiff: unknown unit "eons"');
  });

  it('bad literals are refused when the rule is written', async () => {
    expect(await writeError("{{now '{minutes:5' 'utc'}}")).toMatch(/^\/action\/body: now: bad offset: expected "," or "}" at character 11 of "\{minutes:5" \(line 1, column 1\)$/);
    expect(await writeError("{{now '{decades:1}'}}")).toContain('now: bad offset: unknown offset unit "decades"');
    expect(await writeError("{{dateAdd '2024-01-01' 'tomorrow'}}")).toContain('dateAdd: "tomorrow" is not an offset');
    expect(await writeError("{{dateAdd '2024-02-30' '{days:1}'}}")).toContain('dateAdd: "2024-02-30" is not a date');
    expect(await writeError("{{dateDiff '2024-01-01' '2024-02-01' 'fortnights'}}")).toContain('dateDiff: unknown unit "fortnights"');
    expect(await writeError("{{dateParse '31/02/2024' 'eu'}}")).toContain('dateParse: "31/02/2024" is not a date in the pattern "eu"');
    expect(await writeError("x {{#if true}}{{dateFormat (dateAdd 'now' '{days:1}') 'iso'}}{{/if}}")).toContain('dateAdd: "now" is not a date');
  });

  it('literals that are fine, or not literals, are accepted when written', async () => {
    for (const template of ["{{now '{days:1}' 'utc'}}", "{{now (queryParam 'o')}}", "{{dateAdd (queryParam 'd') (queryParam 'o')}}", "{{dateDiff (now) (now) (queryParam 'u')}}"]) {
      const res = await writeTemplate(mg, template);
      expect(res.status, `${template}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});
