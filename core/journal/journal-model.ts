// What the journal stores for one request, and the shapes the history APIs answer with.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { JournalMessage, JournalNote } from '../contract.js';

/** How a request was answered; `default` when no rule, proxy or spec answered (DECISIONS.md). */
export const BEHAVIORS = ['mock-rule', 'proxy', 'callout', 'crud', 'grpc', 'graphql', 'wsdl', 'oas', 'tunnel', 'default',
  'recording', 'rejected', 'cors-preflight', 'fault'] as const;

/** Captured on the response path: references only, no copying or encoding (that happens when the queue flushes). */
export interface CapturedExchange {
  id: string;
  endpoint: string;
  date: number;
  timeTaken: number;
  method: string;
  url: string;
  httpVersion: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: Buffer;
  /** Bytes the client sent; more than requestBody.length when the body was over the read cap. */
  requestSize: number;
  status: number;
  responseHeaders: OutgoingHttpHeaders;
  responseBody: Buffer | string | undefined;
  /** The answer was this blob, streamed from storage: its bytes are not copied into the journal. */
  responseBlob?: { path: string; size: number };
  ruleId: string | undefined;
  note: JournalNote | undefined;
  journal: JournalSettings;
  /** A streamed call's messages, each way. */
  messages?: { request: JournalMessage[]; response: JournalMessage[] };
}

export interface JournalSettings {
  maxEntries?: number;
  maskHeaders?: boolean;
  maskedHeaders?: string[];
}

export interface MultipartPart {
  fieldName: string;
  fileName?: string;
  contentType?: string;
  size: number;
  /** Text fields only; file bytes are kept apart for download. */
  value?: string;
}

export interface StoredBody {
  bytes: Buffer;
  size: number;
  truncated: boolean;
}

/** Everything but the bodies and files, kept as one JSON document per entry. */
export interface JournalMeta {
  httpVersion: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestSize: number;
  responseSize: number;
  requestTruncated: boolean;
  responseTruncated: boolean;
  /** Some request header was masked. */
  redacted: boolean;
  /** Some response header was masked (each side of the v2 view reports its own flag); absent in entries written before. */
  responseRedacted?: boolean;
  weightedResponse?: string;
  /** The response was this blob (its bytes not kept). */
  responseBlobPath?: string;
  multipart?: MultipartPart[];
  notes?: Record<string, unknown>;
  /** A streamed call's messages, as many as fit the body cap each way. */
  messages?: { request: JournalMessage[]; response: JournalMessage[]; truncated: boolean };
}

export interface JournalFile {
  component: 'Request' | 'CalloutRequest';
  fieldName: string;
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

export interface NewJournalEntry {
  id: string;
  endpoint: string;
  date: number;
  method: string;
  path: string;
  status: number;
  timeTaken: number;
  ruleId: string | null;
  behavior: string;
  isMultipart: boolean;
  requestBody: Buffer;
  responseBody: Buffer;
  meta: JournalMeta;
  files: JournalFile[];
}

export interface JournalRow extends Omit<NewJournalEntry, 'files'> {
  seq: number;
}
