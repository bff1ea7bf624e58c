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
