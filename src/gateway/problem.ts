// RFC 9457 problem details. Every error sundial itself answers with is one of these, with a
// stable `code` from the error catalogue as an extension member.
import type { FastifyReply } from 'fastify';
import type { ErrorFactory } from '../errors.js';

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

/** Problem type URIs are URNs: stable identifiers that do not pretend to be web pages. */
export function problemType(slug: string): string {
  return `urn:sundial:problem:${slug}`;
}

export function problem(error: ErrorFactory, status: number, slug: string, title: string, detail: string, extensions?: Record<string, unknown>): Problem {
  return { type: problemType(slug), title, status, detail, code: error.code, ...extensions };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  if (p.instance === undefined) p.instance = reply.request.url.length <= 2048 ? reply.request.url : reply.request.url.slice(0, 2048);
  return reply.code(p.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(p));
}

/** Echo client input in a problem body, but never unbounded. */
export function quote(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}
