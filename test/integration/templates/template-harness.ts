// Renders a template through a real server: each call writes a one-rule endpoint with the template as its templated
// body, then sends the request over HTTP and returns what came back.
import { expect } from 'vitest';
import type { RunningMockgate } from '../../helpers/start-mockgate.js';

export interface TemplateRequest {
  method?: string;
  /** Endpoint-relative path and query, default `/t`. */
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A path condition other than `equals url-path`, e.g. `{ operator: 'template', value: '/users/:id' }`. */
  path?: { operator: string; value: string };
}

let counter = 0;

/** A fresh endpoint name per call, so rules and state never collide between cases. */
export const freshEndpoint = (): string => `tpl-${process.pid}-${++counter}`;

export async function render(mg: RunningMockgate, template: string, request: TemplateRequest = {}, endpoint = freshEndpoint()):
Promise<{ status: number; text: string; headers: Headers }> {
  const url = request.url ?? '/t';
  const path = request.path ?? { operator: 'equals', value: url.split('?')[0]! };
  const created = await mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, {
    enabled: true, method: '*', conditions: [{ type: 'path', ...path }],
    action: { type: 'mock', status: 200, headers: [], body: template, templated: true },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const res = await fetch(`${mg.url}/e/${endpoint}${url}`, {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** Writes a rule with the template and returns the API's answer (for write-time rejections). */
export async function writeTemplate(mg: RunningMockgate, template: string, endpoint = freshEndpoint()) {
  return mg.api.post(`/api/v2/endpoints/${endpoint}/rules`, {
    enabled: true, method: '*', conditions: [{ type: 'path', operator: 'equals', value: '/t' }],
    action: { type: 'mock', status: 200, headers: [], body: template, templated: true },
  });
}

/** A request with a JSON body. */
export const jsonBody = (value: unknown): TemplateRequest => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

/** Renders and expects 200; returns the text. */
export async function renderOk(mg: RunningMockgate, template: string, request?: TemplateRequest, endpoint?: string): Promise<string> {
  const res = await render(mg, template, request, endpoint);
  expect(res.status, res.text).toBe(200);
  return res.text;
}

/** Renders and expects the 500 template_error; returns its message. */
export async function renderFailure(mg: RunningMockgate, template: string, request?: TemplateRequest): Promise<string> {
  const res = await render(mg, template, request);
  expect(res.status, res.text).toBe(500);
  const body = JSON.parse(res.text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('template_error');
  return body.error.message;
}

/** Writes the template and expects the 400 validation_error at /action/body; returns its message. */
export async function writeRefused(mg: RunningMockgate, template: string): Promise<string> {
  const res = await writeTemplate(mg, template);
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_error');
  expect(res.body.error.parameter).toBe('/action/body');
  return res.body.error.message as string;
}

export type RenderCase = [template: string, expected: string, request?: TemplateRequest];

/** Renders every case at once and compares all the texts (status 200 each). */
export async function expectRenders(mg: RunningMockgate, cases: readonly RenderCase[]): Promise<void> {
  const results = await Promise.all(cases.map(([template, , request]) => render(mg, template, request)));
  expect(results.map((r, i) => [cases[i]![0], r.status, r.text])).toEqual(cases.map(([template, expected]) => [template, 200, expected]));
}

/** Renders every case at once; each must fail with a template error of exactly that message. */
export async function expectRenderErrors(mg: RunningMockgate, cases: readonly RenderCase[]): Promise<void> {
  const results = await Promise.all(cases.map(([template, , request]) => render(mg, template, request)));
  expect(results.map((r, i) => [cases[i]![0], r.status, JSON.parse(r.text)])).toEqual(cases.map(([template, message]) =>
    [template, 500, { error: { code: 'template_error', message: `the response template failed: ${message}` } }]));
}

/** Writing a rule with each template is refused with exactly that message. */
export async function expectRejected(mg: RunningMockgate, cases: ReadonlyArray<[template: string, message: string]>): Promise<void> {
  const results = await Promise.all(cases.map(([template]) => writeTemplate(mg, template)));
  expect(results.map((r, i) => [cases[i]![0], r.status, r.body])).toEqual(cases.map(([template, message]) =>
    [template, 400, { error: expect.objectContaining({ code: 'validation_error', parameter: '/action/body', message: `/action/body: ${message}` }) }]));
}
