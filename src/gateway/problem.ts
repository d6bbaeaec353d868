// RFC 9457 problem details. Every error sundial itself answers with is one of these, made
// from an entry of the error catalogue (src/errors.ts), which fixes its status, type, title
// and stable `code` (an extension member).
import type { FastifyReply } from 'fastify';
import type { ErrorEntry } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

/** The problem of a catalogue entry. Extension members cannot replace the entry's own fields. */
export function problem(entry: ErrorEntry, detail: string, extensions?: Record<string, unknown>): Problem {
  return withStatus(entry, entry.status, detail, extensions);
}

/**
 * The problem of an entry whose status the config may choose (a version's `sunsetStatus`, a
 * brownout's `status`): the one place a status other than the catalogue's is sent.
 */
export function configuredProblem(entry: ErrorEntry, status: number, detail: string, extensions?: Record<string, unknown>): Problem {
  if (!entry.configuredStatus) throw new Error(`${entry.code} is always sent with ${entry.status}`);
  return withStatus(entry, status, detail, extensions);
}

function withStatus(entry: ErrorEntry, status: number, detail: string, extensions: Record<string, unknown> | undefined): Problem {
  const p: Problem = { type: entry.type, title: entry.title, status, detail, code: entry.code, ...extensions };
  p.type = entry.type;
  p.title = entry.title;
  p.status = status;
  p.code = entry.code;
  return p;
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  if (p.instance === undefined) p.instance = reply.request.url.length <= 2048 ? reply.request.url : reply.request.url.slice(0, 2048);
  return reply.code(p.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(p));
}

/** Echo client input in a problem body, but never unbounded. */
export function quote(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
