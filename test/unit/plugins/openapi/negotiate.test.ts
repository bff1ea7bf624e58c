// Accept negotiation and the Prefer header, as the spec step reads them.
import { describe, expect, it } from 'vitest';
import { negotiate, parsePrefer } from '../../../../plugins/openapi/negotiate.js';

const offered = ['application/xml', 'application/json'];

describe('negotiate', () => {
  it('answers JSON to a client that names nothing or anything, even where the spec lists XML first', () => {
    expect(negotiate(undefined, offered)).toBe('application/json');
    expect(negotiate('*/*', offered)).toBe('application/json');
    expect(negotiate('application/*', offered)).toBe('application/json');
  });

  it('honours the client: exact types, q-values, wildcards', () => {
    expect(negotiate('application/xml', offered)).toBe('application/xml');
    expect(negotiate('application/json;q=0.5, application/xml', offered)).toBe('application/xml');
    expect(negotiate('text/html, application/xml;q=0.9, */*;q=0.1', offered)).toBe('application/xml');
    expect(negotiate('application/json; charset=utf-8', ['application/json; charset=utf-8'])).toBe('application/json; charset=utf-8');
  });

  it('finds nothing (406) when every offered type is refused or absent', () => {
    expect(negotiate('text/csv', offered)).toBeUndefined();
    expect(negotiate('application/json;q=0', ['application/json'])).toBeUndefined();
  });

  it('answers a concrete type where the spec offers a wildcard', () => {
    expect(negotiate('text/csv', ['*/*'])).toBe('text/csv');
    expect(negotiate(undefined, ['*/*'])).toBe('application/json');
  });
});

describe('parsePrefer', () => {
  it('reads code, example and dynamic, in any order and separator', () => {
    expect(parsePrefer('code=404, example="cat"; dynamic=true')).toEqual({ code: '404', example: 'cat', dynamic: true });
    expect(parsePrefer('dynamic=false')).toEqual({ dynamic: false });
    expect(parsePrefer('respond-async, wait=5')).toEqual({});
    expect(parsePrefer(undefined)).toEqual({});
  });
});
