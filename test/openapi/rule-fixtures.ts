// A document pair for every rule of the catalogue, each with the level and the place it must
// be reported at. Written for sundial; the levels follow the direction of each change (a
// request may get looser, a response stricter), not the catalogue, so that a wrong level in
// the catalogue fails the test.
import type { Level } from '../../src/openapi/rules.js';

type Doc = Record<string, any>;

export interface RuleFixture {
  rule: string;
  level: Level;
  old: Doc;
  new: Doc;
  pointer: string;
  method?: string;
  path?: string;
  /** Minimum notice for sunset-too-soon. */
  deprecationDays?: number;
}

export const NOW = Date.parse('2026-12-01T00:00:00Z');
const PAST = '2026-06-01T00:00:00Z';
const FUTURE = '2027-06-01T00:00:00Z';
const LATER = '2027-09-01T00:00:00Z';

const ok = { '200': { description: 'OK' } };
export const api = (paths: Doc, extra: Doc = {}): Doc => ({ openapi: '3.1.0', info: { title: 'Items', version: '1' }, paths, ...extra });
const json = (schema: unknown) => ({ 'application/json': { schema } });
/** POST /items with a request body of this schema. */
export const req = (schema: unknown, extra: Doc = {}) =>
  api({ '/items': { post: { requestBody: { required: true, content: json(schema) }, responses: ok, ...extra } } });
/** GET /items answering this schema. */
export const res = (schema: unknown, extra: Doc = {}) =>
  api({ '/items': { get: { responses: { '200': { description: 'OK', content: json(schema) } }, ...extra } } });
const obj = (properties: Doc, more: Doc = {}) => ({ type: 'object', properties, ...more });
const op = (o: Doc = {}) => ({ responses: ok, ...o });
const withParams = (parameters: Doc[], o: Doc = {}) => api({ '/items': { get: op({ parameters, ...o }) } });
const q = (name: string, more: Doc = {}) => ({ name, in: 'query', schema: { type: 'string' }, ...more });
const withResponses = (responses: Doc) => api({ '/items': { get: { responses } } });
const withRequestContent = (content: Doc, required = true) => api({ '/items': { post: op({ requestBody: { required, content } }) } });
const withHeaders = (headers: Doc) => withResponses({ '200': { description: 'OK', headers } });
const secured = (security: unknown, schemes: Doc = { key: { type: 'apiKey', in: 'header', name: 'X-Key' }, oauth: oauth(['read', 'write']) }) =>
  api({ '/items': { get: op(security === undefined ? {} : { security }) } }, { components: { securitySchemes: schemes } });
const oauth = (scopes: string[]) => ({
  type: 'oauth2',
  flows: { clientCredentials: { tokenUrl: 'https://auth.example/token', scopes: Object.fromEntries(scopes.map((s) => [s, s])) } },
});
const hook = (schema: unknown) => api({}, { webhooks: { itemCreated: { post: { requestBody: { content: json(schema) }, responses: ok } } } });

export const REQ = '/paths/~1items/post/requestBody/content/application~1json/schema';
export const RES = '/paths/~1items/get/responses/200/content/application~1json/schema';
const GET = { method: 'GET', path: '/items' };
const POST = { method: 'POST', path: '/items' };
const P0 = '/paths/~1items/get/parameters/0';

const f = (
  rule: string,
  level: Level,
  old: Doc,
  next: Doc,
  pointer: string,
  loc: { method?: string; path?: string } = {},
  more: Partial<RuleFixture> = {},
): RuleFixture => ({ rule, level, old, new: next, pointer, ...loc, ...more });

const hand: RuleFixture[] = [
  // paths, operations, webhooks
  f('path-added', 'info', api({}), api({ '/items': { get: op() } }), '/paths/~1items', { path: '/items' }),
  f('path-removed', 'breaking', api({ '/items': { get: op() } }), api({}), '/paths/~1items', { path: '/items' }),
  f('path-parameter-renamed', 'info', api({ '/items/{id}': { get: op() } }), api({ '/items/{itemId}': { get: op() } }), '/paths/~1items~1{itemId}', {
    path: '/items/{itemId}',
  }),
  f('operation-added', 'info', api({ '/items': { get: op() } }), api({ '/items': { get: op(), post: op() } }), '/paths/~1items/post', POST),
  f('operation-removed', 'breaking', api({ '/items': { get: op(), post: op() } }), api({ '/items': { get: op() } }), '/paths/~1items/post', POST),
  f(
    'operation-removed-before-sunset',
    'breaking',
    api({ '/items': { get: op(), post: op({ deprecated: true, 'x-sunset': FUTURE }) } }),
    api({ '/items': { get: op() } }),
    '/paths/~1items/post',
    POST,
  ),
  f(
    'operation-removed-after-sunset',
    'info',
    api({ '/items': { get: op(), post: op({ deprecated: true, 'x-sunset': PAST }) } }),
    api({ '/items': { get: op() } }),
    '/paths/~1items/post',
    POST,
  ),
  f(
    'operation-removed-without-sunset',
    'warning',
    api({ '/items': { get: op(), post: op({ deprecated: true }) } }),
    api({ '/items': { get: op() } }),
    '/paths/~1items/post',
    POST,
  ),
  f(
    'operation-deprecated',
    'info',
    api({ '/items': { get: op() } }),
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': FUTURE }) } }),
    '/paths/~1items/get/deprecated',
    GET,
  ),
  f(
    'operation-reactivated',
    'info',
    api({ '/items': { get: op({ deprecated: true }) } }),
    api({ '/items': { get: op() } }),
    '/paths/~1items/get/deprecated',
    GET,
  ),
  f(
    'operation-id-changed',
    'warning',
    api({ '/items': { get: op({ operationId: 'listItems' }) } }),
    api({ '/items': { get: op({ operationId: 'getItems' }) } }),
    '/paths/~1items/get/operationId',
    GET,
  ),
  f('webhook-added', 'info', api({}), hook({ type: 'object' }), '/webhooks/itemCreated', { path: 'webhook:itemCreated' }),
  f('webhook-removed', 'breaking', hook({ type: 'object' }), api({}), '/webhooks/itemCreated', { path: 'webhook:itemCreated' }),
  // deprecation and extensions
  f(
    'sunset-deleted',
    'breaking',
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': LATER }) } }),
    api({ '/items': { get: op({ deprecated: true }) } }),
    '/paths/~1items/get/x-sunset',
    GET,
  ),
  f(
    'sunset-moved-earlier',
    'breaking',
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': LATER }) } }),
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': FUTURE }) } }),
    '/paths/~1items/get/x-sunset',
    GET,
  ),
  f(
    'sunset-unreadable',
    'breaking',
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': LATER }) } }),
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': 'next spring' }) } }),
    '/paths/~1items/get/x-sunset',
    GET,
  ),
  f(
    'sunset-too-soon',
    'breaking',
    api({ '/items': { get: op() } }),
    api({ '/items': { get: op({ deprecated: true, 'x-sunset': '2026-12-20T00:00:00Z' }) } }),
    '/paths/~1items/get/x-sunset',
    GET,
    { deprecationDays: 90 },
  ),
  f('parameter-deprecated', 'info', withParams([q('page')]), withParams([q('page', { deprecated: true })]), `${P0}/deprecated`, GET),
  f(
    'property-deprecated',
    'info',
    res(obj({ a: { type: 'string' } })),
    res(obj({ a: { type: 'string', deprecated: true } })),
    `${RES}/properties/a/deprecated`,
    GET,
  ),
  f(
    'stability-level-decreased',
    'breaking',
    api({ '/items': { get: op({ 'x-stability-level': 'stable' }) } }),
    api({ '/items': { get: op({ 'x-stability-level': 'beta' }) } }),
    '/paths/~1items/get/x-stability-level',
    GET,
  ),
  f(
    'stability-level-unreadable',
    'warning',
    api({ '/items': { get: op() } }),
    api({ '/items': { get: op({ 'x-stability-level': 'gold' }) } }),
    '/paths/~1items/get/x-stability-level',
    GET,
  ),
  // parameters
  f('parameter-added-required', 'breaking', withParams([]), withParams([q('tenant', { required: true })]), P0, GET),
  f('parameter-added', 'info', withParams([]), withParams([q('page')]), P0, GET),
  f('parameter-removed', 'warning', withParams([q('page')]), withParams([]), P0, GET),
  f('parameter-removed-before-sunset', 'breaking', withParams([q('page', { deprecated: true, 'x-sunset': FUTURE })]), withParams([]), P0, GET),
  f('parameter-removed-after-sunset', 'info', withParams([q('page', { deprecated: true, 'x-sunset': PAST })]), withParams([]), P0, GET),
  f('parameter-removed-without-sunset', 'warning', withParams([q('page', { deprecated: true })]), withParams([]), P0, GET),
  f('parameter-renamed', 'breaking', withParams([q('page')]), withParams([q('pageNumber')]), P0, GET),
  f('parameter-became-required', 'breaking', withParams([q('page')]), withParams([q('page', { required: true })]), `${P0}/required`, GET),
  f('parameter-became-optional', 'info', withParams([q('page', { required: true })]), withParams([q('page')]), `${P0}/required`, GET),
  f(
    'parameter-serialization-changed',
    'breaking',
    withParams([q('ids', { schema: { type: 'array', items: { type: 'string' } } })]),
    withParams([q('ids', { schema: { type: 'array', items: { type: 'string' } }, explode: false })]),
    P0,
    GET,
  ),
  // request bodies and media types
  f(
    'request-body-added-required',
    'breaking',
    api({ '/items': { post: op() } }),
    withRequestContent(json({ type: 'object' })),
    '/paths/~1items/post/requestBody',
    POST,
  ),
  f(
    'request-body-added',
    'info',
    api({ '/items': { post: op() } }),
    withRequestContent(json({ type: 'object' }), false),
    '/paths/~1items/post/requestBody',
    POST,
  ),
  f(
    'request-body-removed',
    'breaking',
    withRequestContent(json({ type: 'object' })),
    api({ '/items': { post: op() } }),
    '/paths/~1items/post/requestBody',
    POST,
  ),
  f(
    'request-body-became-required',
    'breaking',
    withRequestContent(json({ type: 'object' }), false),
    withRequestContent(json({ type: 'object' })),
    '/paths/~1items/post/requestBody/required',
    POST,
  ),
  f(
    'request-body-became-optional',
    'info',
    withRequestContent(json({ type: 'object' })),
    withRequestContent(json({ type: 'object' }), false),
    '/paths/~1items/post/requestBody/required',
    POST,
  ),
  f(
    'request-media-type-removed',
    'breaking',
    withRequestContent({ ...json({}), 'text/csv': {} }),
    withRequestContent(json({})),
    '/paths/~1items/post/requestBody/content/text~1csv',
    POST,
  ),
  f(
    'request-media-type-added',
    'info',
    withRequestContent(json({})),
    withRequestContent({ ...json({}), 'text/csv': {} }),
    '/paths/~1items/post/requestBody/content/text~1csv',
    POST,
  ),
  f(
    'request-media-type-specialised',
    'breaking',
    withRequestContent({ 'application/*': {} }),
    withRequestContent(json({})),
    '/paths/~1items/post/requestBody/content/application~1json',
    POST,
  ),
  f(
    'request-media-type-generalised',
    'info',
    withRequestContent(json({})),
    withRequestContent({ 'application/*': {} }),
    '/paths/~1items/post/requestBody/content/application~1*',
    POST,
  ),
  f(
    'response-media-type-removed',
    'breaking',
    withResponses({ '200': { description: 'OK', content: { ...json({}), 'text/csv': {} } } }),
    withResponses({ '200': { description: 'OK', content: json({}) } }),
    '/paths/~1items/get/responses/200/content/text~1csv',
    GET,
  ),
  f(
    'response-media-type-added',
    'info',
    withResponses({ '200': { description: 'OK', content: json({}) } }),
    withResponses({ '200': { description: 'OK', content: { ...json({}), 'text/csv': {} } } }),
    '/paths/~1items/get/responses/200/content/text~1csv',
    GET,
  ),
  f(
    'response-media-type-specialised',
    'info',
    withResponses({ '200': { description: 'OK', content: json({}) } }),
    withResponses({ '200': { description: 'OK', content: { 'application/vnd.items+json': {} } } }),
    '/paths/~1items/get/responses/200/content/application~1vnd.items+json',
    GET,
  ),
  f(
    'response-media-type-generalised',
    'breaking',
    withResponses({ '200': { description: 'OK', content: json({}) } }),
    withResponses({ '200': { description: 'OK', content: { '*/*': {} } } }),
    '/paths/~1items/get/responses/200/content/*~1*',
    GET,
  ),
  // responses and headers
  f(
    'response-success-status-removed',
    'breaking',
    withResponses({ '200': { description: 'OK' }, '202': { description: 'Accepted' } }),
    withResponses({ '200': { description: 'OK' } }),
    '/paths/~1items/get/responses/202',
    GET,
  ),
  f(
    'response-status-removed',
    'warning',
    withResponses({ '200': { description: 'OK' }, '404': { description: 'No' } }),
    withResponses({ '200': { description: 'OK' } }),
    '/paths/~1items/get/responses/404',
    GET,
  ),
  f(
    'response-status-added',
    'info',
    withResponses({ '200': { description: 'OK' } }),
    withResponses({ '200': { description: 'OK' }, '429': { description: 'Slow down' } }),
    '/paths/~1items/get/responses/429',
    GET,
  ),
  f(
    'response-status-specialised',
    'info',
    withResponses({ '2XX': { description: 'OK' } }),
    withResponses({ '200': { description: 'OK' } }),
    '/paths/~1items/get/responses/200',
    GET,
  ),
  f(
    'response-status-generalised',
    'warning',
    withResponses({ '200': { description: 'OK' } }),
    withResponses({ '2XX': { description: 'OK' } }),
    '/paths/~1items/get/responses/2XX',
    GET,
  ),
  f(
    'response-header-removed',
    'breaking',
    withHeaders({ 'X-Rate': { required: true, schema: { type: 'integer' } } }),
    withHeaders({}),
    '/paths/~1items/get/responses/200/headers/X-Rate',
    GET,
  ),
  f(
    'response-optional-header-removed',
    'warning',
    withHeaders({ 'X-Rate': { schema: { type: 'integer' } } }),
    withHeaders({}),
    '/paths/~1items/get/responses/200/headers/X-Rate',
    GET,
  ),
  f(
    'response-header-became-optional',
    'breaking',
    withHeaders({ 'X-Rate': { required: true, schema: { type: 'integer' } } }),
    withHeaders({ 'x-rate': { schema: { type: 'integer' } } }),
    '/paths/~1items/get/responses/200/headers/x-rate/required',
    GET,
  ),
  f(
    'response-header-added',
    'info',
    withHeaders({}),
    withHeaders({ 'X-Rate': { schema: { type: 'integer' } } }),
    '/paths/~1items/get/responses/200/headers/X-Rate',
    GET,
  ),
  // types, formats, nullable
  f('request-type-changed', 'breaking', req({ type: 'string' }), req({ type: 'integer' }), `${REQ}/type`, POST),
  f('request-type-widened', 'info', req({ type: 'integer' }), req({ type: 'number' }), `${REQ}/type`, POST),
  f('response-type-changed', 'breaking', res({ type: 'integer' }), res({ type: 'string' }), `${RES}/type`, GET),
  f('response-type-narrowed', 'info', res({ type: ['string', 'integer'] }), res({ type: 'string' }), `${RES}/type`, GET),
  f('request-format-changed', 'breaking', req({ type: 'string' }), req({ type: 'string', format: 'uuid' }), `${REQ}/format`, POST),
  f('request-format-relaxed', 'info', req({ type: 'integer', format: 'int32' }), req({ type: 'integer', format: 'int64' }), `${REQ}/format`, POST),
  f('response-format-changed', 'breaking', res({ type: 'string', format: 'date' }), res({ type: 'string', format: 'uuid' }), `${RES}/format`, GET),
  f('response-format-relaxed', 'warning', res({ type: 'integer', format: 'int32' }), res({ type: 'integer', format: 'int64' }), `${RES}/format`, GET),
  f('response-format-added', 'info', res({ type: 'string' }), res({ type: 'string', format: 'uuid' }), `${RES}/format`, GET),
  f('request-became-not-nullable', 'breaking', req({ type: 'string', nullable: true }), req({ type: 'string' }), REQ, POST),
  f('request-became-nullable', 'info', req({ type: 'string' }), req({ type: ['string', 'null'] }), REQ, POST),
  f(
    'response-became-nullable',
    'breaking',
    res(obj({ a: { type: 'string' } })),
    res(obj({ a: { oneOf: [{ type: 'string' }, { type: 'null' }] } })),
    `${RES}/properties/a`,
    GET,
  ),
  f('response-became-not-nullable', 'info', res({ type: ['string', 'null'] }), res({ type: 'string' }), RES, GET),
  // enums, extensible enums, const, default
  f('request-enum-value-removed', 'breaking', req({ enum: ['a', 'b'] }), req({ enum: ['a'] }), `${REQ}/enum`, POST),
  f('request-enum-value-added', 'info', req({ enum: ['a'] }), req({ enum: ['a', 'b'] }), `${REQ}/enum`, POST),
  f('request-enum-added', 'breaking', req({ type: 'string' }), req({ type: 'string', enum: ['a'] }), `${REQ}/enum`, POST),
  f('request-enum-removed', 'info', req({ type: 'string', enum: ['a'] }), req({ type: 'string' }), `${REQ}/enum`, POST),
  f('response-enum-value-added', 'warning', res({ enum: ['a'] }), res({ enum: ['a', 'b'] }), `${RES}/enum`, GET),
  f('response-enum-value-removed', 'info', res({ enum: ['a', 'b'] }), res({ enum: ['a'] }), `${RES}/enum`, GET),
  f('response-enum-removed', 'breaking', res({ type: 'string', enum: ['a'] }), res({ type: 'string' }), `${RES}/enum`, GET),
  f('response-enum-added', 'info', res({ type: 'string' }), res({ type: 'string', enum: ['a'] }), `${RES}/enum`, GET),
  f(
    'request-extensible-enum-value-removed',
    'breaking',
    req({ type: 'string', 'x-extensible-enum': ['a', 'b'] }),
    req({ type: 'string', 'x-extensible-enum': ['a'] }),
    `${REQ}/x-extensible-enum`,
    POST,
  ),
  f(
    'response-extensible-enum-value-added',
    'info',
    res({ type: 'string', 'x-extensible-enum': ['a'] }),
    res({ type: 'string', 'x-extensible-enum': ['a', 'b'] }),
    `${RES}/x-extensible-enum`,
    GET,
  ),
  f(
    'extensible-enum-value-added',
    'info',
    req({ type: 'string', 'x-extensible-enum': ['a'] }),
    req({ type: 'string', 'x-extensible-enum': ['a', 'b'] }),
    `${REQ}/x-extensible-enum`,
    POST,
  ),
  f('request-const-changed', 'breaking', req({ const: 'v1' }), req({ const: 'v2' }), `${REQ}/const`, POST),
  f('request-const-removed', 'info', req({ type: 'string', const: 'v1' }), req({ type: 'string' }), `${REQ}/const`, POST),
  f('response-const-changed', 'breaking', res({ type: 'string', const: 'v1' }), res({ type: 'string' }), `${RES}/const`, GET),
  f('response-const-added', 'info', res({ type: 'string' }), res({ type: 'string', const: 'v1' }), `${RES}/const`, GET),
  f('request-default-changed', 'warning', req({ type: 'integer', default: 10 }), req({ type: 'integer', default: 20 }), `${REQ}/default`, POST),
  f('request-default-removed', 'warning', req({ type: 'integer', default: 10 }), req({ type: 'integer' }), `${REQ}/default`, POST),
  f('request-default-added', 'info', req({ type: 'integer' }), req({ type: 'integer', default: 10 }), `${REQ}/default`, POST),
  f('response-default-changed', 'info', res({ type: 'integer', default: 1 }), res({ type: 'integer', default: 2 }), `${RES}/default`, GET),
  // properties
  f(
    'request-property-added-required',
    'breaking',
    req(obj({ a: { type: 'string' } })),
    req(obj({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['b'] })),
    `${REQ}/properties/b`,
    POST,
  ),
  f(
    'request-property-added',
    'info',
    req(obj({ a: { type: 'string' } })),
    req(obj({ a: { type: 'string' }, b: { type: 'string' } })),
    `${REQ}/properties/b`,
    POST,
  ),
  f(
    'request-property-became-required',
    'breaking',
    req(obj({ a: { type: 'string' } })),
    req(obj({ a: { type: 'string' } }, { required: ['a'] })),
    `${REQ}/required`,
    POST,
  ),
  f(
    'request-property-became-optional',
    'info',
    req(obj({ a: { type: 'string' } }, { required: ['a'] })),
    req(obj({ a: { type: 'string' } })),
    `${REQ}/required`,
    POST,
  ),
  f(
    'request-property-removed',
    'warning',
    req(obj({ a: { type: 'string' }, b: { type: 'string' } })),
    req(obj({ a: { type: 'string' } })),
    `${REQ}/properties/b`,
    POST,
  ),
  f(
    'request-property-removed-closed',
    'breaking',
    req(obj({ a: { type: 'string' }, b: { type: 'string' } })),
    req(obj({ a: { type: 'string' } }, { additionalProperties: false })),
    `${REQ}/properties/b`,
    POST,
  ),
  f(
    'response-property-removed',
    'breaking',
    res(obj({ a: { type: 'string' }, b: { type: 'integer' } }, { required: ['a', 'b'] })),
    res(obj({ a: { type: 'string' } }, { required: ['a'] })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'response-optional-property-removed',
    'warning',
    res(obj({ a: { type: 'string' }, b: { type: 'integer' } })),
    res(obj({ a: { type: 'string' } })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'property-removed-before-sunset',
    'breaking',
    res(obj({ a: { type: 'string' }, b: { type: 'integer', deprecated: true, 'x-sunset': FUTURE } })),
    res(obj({ a: { type: 'string' } })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'property-removed-after-sunset',
    'info',
    res(obj({ a: { type: 'string' }, b: { type: 'integer', deprecated: true, 'x-sunset': PAST } }, { required: ['b'] })),
    res(obj({ a: { type: 'string' } })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'property-removed-without-sunset',
    'warning',
    res(obj({ a: { type: 'string' }, b: { type: 'integer', deprecated: true } }, { required: ['b'] })),
    res(obj({ a: { type: 'string' } })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'response-property-became-optional',
    'breaking',
    res(obj({ a: { type: 'string' } }, { required: ['a'] })),
    res(obj({ a: { type: 'string' } })),
    `${RES}/required`,
    GET,
  ),
  f(
    'response-property-became-required',
    'info',
    res(obj({ a: { type: 'string' } })),
    res(obj({ a: { type: 'string' } }, { required: ['a'] })),
    `${RES}/required`,
    GET,
  ),
  f(
    'response-property-added',
    'info',
    res(obj({ a: { type: 'string' } })),
    res(obj({ a: { type: 'string' }, b: { type: 'string' } })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'response-property-added-closed',
    'warning',
    res(obj({ a: { type: 'string' } }, { additionalProperties: false })),
    res(obj({ a: { type: 'string' }, b: { type: 'string' } }, { additionalProperties: false })),
    `${RES}/properties/b`,
    GET,
  ),
  f(
    'request-additional-properties-closed',
    'breaking',
    req(obj({ a: { type: 'string' } })),
    req(obj({ a: { type: 'string' } }, { additionalProperties: false })),
    `${REQ}/additionalProperties`,
    POST,
  ),
  f(
    'response-additional-properties-opened',
    'warning',
    res(obj({ a: { type: 'string' } }, { additionalProperties: false })),
    res(obj({ a: { type: 'string' } }, { additionalProperties: true })),
    `${RES}/additionalProperties`,
    GET,
  ),
  f(
    'request-property-became-read-only',
    'warning',
    req(obj({ id: { type: 'string' } })),
    req(obj({ id: { type: 'string', readOnly: true } })),
    `${REQ}/properties/id/readOnly`,
    POST,
  ),
  f(
    'response-property-became-write-only',
    'breaking',
    res(obj({ pin: { type: 'string' } })),
    res(obj({ pin: { type: 'string', writeOnly: true } })),
    `${RES}/properties/pin/writeOnly`,
    GET,
  ),
  f(
    'property-access-relaxed',
    'info',
    req(obj({ id: { type: 'string', readOnly: true } })),
    req(obj({ id: { type: 'string' } })),
    `${REQ}/properties/id`,
    POST,
  ),
  // composition
  f(
    'request-alternative-removed',
    'breaking',
    req({ oneOf: [{ type: 'string' }, { type: 'integer' }] }),
    req({ oneOf: [{ type: 'string' }] }),
    `${REQ}/oneOf/1`,
    POST,
  ),
  f(
    'request-alternative-added',
    'info',
    req({ anyOf: [{ type: 'string' }] }),
    req({ anyOf: [{ type: 'string' }, { type: 'integer' }] }),
    `${REQ}/anyOf/1`,
    POST,
  ),
  f(
    'response-alternative-added',
    'breaking',
    res({ oneOf: [{ title: 'Card', type: 'object' }] }),
    res({
      oneOf: [
        { title: 'Card', type: 'object' },
        { title: 'Wire', type: 'object' },
      ],
    }),
    `${RES}/oneOf/1`,
    GET,
  ),
  f(
    'response-alternative-removed',
    'info',
    res({
      oneOf: [
        { title: 'Card', type: 'object' },
        { title: 'Wire', type: 'object' },
      ],
    }),
    res({ oneOf: [{ title: 'Card', type: 'object' }] }),
    `${RES}/oneOf/1`,
    GET,
  ),
  f(
    'all-of-changed',
    'info',
    res({ allOf: [obj({ a: { type: 'string' } })] }),
    res({ allOf: [obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } })] }),
    `${RES}/allOf`,
    GET,
  ),
  f(
    'discriminator-property-changed',
    'breaking',
    res({ oneOf: [{ title: 'A' }], discriminator: { propertyName: 'kind' } }),
    res({ oneOf: [{ title: 'A' }], discriminator: { propertyName: 'type' } }),
    `${RES}/discriminator/propertyName`,
    GET,
  ),
  f(
    'discriminator-added',
    'warning',
    res({ oneOf: [{ title: 'A' }] }),
    res({ oneOf: [{ title: 'A' }], discriminator: { propertyName: 'kind' } }),
    `${RES}/discriminator`,
    GET,
  ),
  f(
    'discriminator-removed',
    'warning',
    res({ oneOf: [{ title: 'A' }], discriminator: { propertyName: 'kind' } }),
    res({ oneOf: [{ title: 'A' }] }),
    `${RES}/discriminator`,
    GET,
  ),
  f(
    'request-discriminator-mapping-removed',
    'breaking',
    req({ discriminator: { propertyName: 'kind', mapping: { a: '#/x', b: '#/y' } } }),
    req({ discriminator: { propertyName: 'kind', mapping: { a: '#/x' } } }),
    `${REQ}/discriminator/mapping`,
    POST,
  ),
  f(
    'response-discriminator-mapping-added',
    'warning',
    res({ discriminator: { propertyName: 'kind', mapping: { a: '#/x' } } }),
    res({ discriminator: { propertyName: 'kind', mapping: { a: '#/x', b: '#/y' } } }),
    `${RES}/discriminator/mapping`,
    GET,
  ),
  f(
    'discriminator-mapping-changed',
    'info',
    req({ discriminator: { propertyName: 'kind', mapping: { a: '#/x' } } }),
    req({ discriminator: { propertyName: 'kind', mapping: { a: '#/x', b: '#/y' } } }),
    `${REQ}/discriminator/mapping`,
    POST,
  ),
  f(
    'request-prefix-items-added',
    'breaking',
    req({ type: 'array', prefixItems: [{ type: 'string' }] }),
    req({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }),
    `${REQ}/prefixItems/1`,
    POST,
  ),
  f(
    'response-prefix-items-added',
    'warning',
    res({ type: 'array', prefixItems: [{ type: 'string' }] }),
    res({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }),
    `${RES}/prefixItems/1`,
    GET,
  ),
  f(
    'prefix-items-removed',
    'warning',
    res({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] }),
    res({ type: 'array', prefixItems: [{ type: 'string' }] }),
    `${RES}/prefixItems/1`,
    GET,
  ),
  // security
  f('security-requirement-added', 'breaking', secured(undefined), secured([{ key: [] }]), '/paths/~1items/get/security', GET),
  f(
    'security-alternative-removed',
    'breaking',
    secured([{ key: [] }, { oauth: ['read'] }]),
    secured([{ oauth: ['read'] }]),
    '/paths/~1items/get/security',
    GET,
  ),
  f('security-scope-added', 'breaking', secured([{ oauth: ['read'] }]), secured([{ oauth: ['read', 'write'] }]), '/paths/~1items/get/security', GET),
  f('security-relaxed', 'info', secured([{ oauth: ['read', 'write'] }]), secured([{ oauth: ['read'] }]), '/paths/~1items/get/security', GET),
  f(
    'security-scheme-added',
    'info',
    secured(undefined, {}),
    secured(undefined, { key: { type: 'apiKey', in: 'header', name: 'X-Key' } }),
    '/components/securitySchemes/key',
  ),
  f(
    'security-scheme-removed',
    'warning',
    secured(undefined, { key: { type: 'apiKey', in: 'header', name: 'X-Key' } }),
    secured(undefined, {}),
    '/components/securitySchemes/key',
  ),
  f(
    'security-scheme-changed',
    'breaking',
    secured(undefined, { key: { type: 'apiKey', in: 'header', name: 'X-Key' } }),
    secured(undefined, { key: { type: 'apiKey', in: 'query', name: 'key' } }),
    '/components/securitySchemes/key',
  ),
  f(
    'security-scheme-scope-removed',
    'breaking',
    secured(undefined, { oauth: oauth(['read', 'write']) }),
    secured(undefined, { oauth: oauth(['read']) }),
    '/components/securitySchemes/oauth/flows/clientCredentials/scopes',
  ),
];

// Constraint keywords: a looser and a stricter value each (the stricter one rejects more).
const BOUND_SAMPLES: Record<string, [string, unknown, unknown, Doc]> = {
  maximum: ['max', 100, 10, { type: 'integer' }],
  exclusiveMaximum: ['exclusive-max', 100, 10, { type: 'number' }],
  minimum: ['min', 0, 5, { type: 'integer' }],
  exclusiveMinimum: ['exclusive-min', 0, 5, { type: 'number' }],
  multipleOf: ['multiple-of', 2, 4, { type: 'integer' }],
  maxLength: ['max-length', 50, 10, { type: 'string' }],
  minLength: ['min-length', 1, 3, { type: 'string' }],
  maxItems: ['max-items', 20, 5, { type: 'array', items: { type: 'string' } }],
  minItems: ['min-items', 0, 2, { type: 'array', items: { type: 'string' } }],
  maxProperties: ['max-properties', 10, 3, { type: 'object' }],
  minProperties: ['min-properties', 0, 1, { type: 'object' }],
  maxContains: ['max-contains', 5, 2, { type: 'array', contains: { type: 'string' } }],
  minContains: ['min-contains', 1, 2, { type: 'array', contains: { type: 'string' } }],
  uniqueItems: ['unique-items', false, true, { type: 'array', items: { type: 'string' } }],
  pattern: ['pattern', undefined, '^[a-z]+$', { type: 'string' }],
};

const bound: RuleFixture[] = Object.entries(BOUND_SAMPLES).flatMap(([k, [name, loose, strict, base]]) => {
  const s = (v: unknown) => (v === undefined ? { ...base } : { ...base, [k]: v });
  return [
    f(`request-${name}-tightened`, 'breaking', req(s(loose)), req(s(strict)), `${REQ}/${k}`, POST),
    f(`request-${name}-loosened`, 'info', req(s(strict)), req(s(loose)), `${REQ}/${k}`, POST),
    f(`response-${name}-loosened`, 'breaking', res(s(strict)), res(s(loose)), `${RES}/${k}`, GET),
    f(`response-${name}-tightened`, 'info', res(s(loose)), res(s(strict)), `${RES}/${k}`, GET),
  ];
});
bound.push(
  f('request-pattern-changed', 'warning', req({ type: 'string', pattern: '^a' }), req({ type: 'string', pattern: '^b' }), `${REQ}/pattern`, POST),
  f('response-pattern-changed', 'warning', res({ type: 'string', pattern: '^a' }), res({ type: 'string', pattern: '^b' }), `${RES}/pattern`, GET),
  // A bound set where there was none tightens, in a parameter as in a body.
  f(
    'request-max-length-tightened',
    'breaking',
    withParams([q('name')]),
    withParams([q('name', { schema: { type: 'string', maxLength: 8 } })]),
    `${P0}/schema/maxLength`,
    GET,
  ),
);

// 2020-12 assertion keywords: a value, and another.
const ASSERTION_SAMPLES: Record<string, [string, unknown, unknown]> = {
  // A longer maxLength in a response's `not` rules out more, which responses may do.
  not: ['not', { type: 'string', maxLength: 3 }, { type: 'string', maxLength: 5 }],
  if: ['if', { properties: { kind: { const: 'card' } } }, { properties: { kind: { const: 'wire' } } }],
  propertyNames: ['property-names', { maxLength: 8 }, { maxLength: 4 }],
  contains: ['contains', { type: 'string' }, { type: 'integer' }],
  dependentRequired: ['dependent-required', { card: ['cvc'] }, { card: ['expiry'] }],
  dependentSchemas: ['dependent-schemas', { card: { required: ['cvc'] } }, { card: { required: ['expiry'] } }],
  patternProperties: ['pattern-properties', { '^x-': { type: 'string' } }, { '^y-': { type: 'string' } }],
  unevaluatedProperties: ['unevaluated-properties', false, { type: 'string' }],
  unevaluatedItems: ['unevaluated-items', false, { type: 'string' }],
};

const assertion: RuleFixture[] = Object.entries(ASSERTION_SAMPLES).flatMap(([k, [id, a, b]]) => {
  const s = (v: unknown) => (v === undefined ? { type: 'object' } : { type: 'object', [k]: v, ...(k === 'if' ? { then: { required: ['number'] } } : {}) });
  return [
    f(`request-${id}-added`, 'breaking', req(s(undefined)), req(s(a)), `${REQ}/${k}`, POST),
    f(`request-${id}-removed`, 'info', req(s(a)), req(s(undefined)), `${REQ}/${k}`, POST),
    f(`response-${id}-removed`, 'breaking', res(s(a)), res(s(undefined)), `${RES}/${k}`, GET),
    f(`response-${id}-added`, 'info', res(s(undefined)), res(s(a)), `${RES}/${k}`, GET),
    f(`${id}-changed`, 'warning', res(s(a)), res(s(b)), `${RES}/${k}`, GET),
  ];
});

// `not` and `propertyNames` compared as schemas (`not` the other way round), schemas newly
// wrapped in alternatives, and a media type that gains its first schema.
const subschemas: RuleFixture[] = [
  f('request-not-broadened', 'breaking', req({ type: 'string', not: { maxLength: 3 } }), req({ type: 'string', not: { maxLength: 5 } }), `${REQ}/not`, POST),
  f('response-not-narrowed', 'breaking', res({ type: 'string', not: { maxLength: 5 } }), res({ type: 'string', not: { maxLength: 3 } }), `${RES}/not`, GET),
  f(
    'request-property-names-narrowed',
    'breaking',
    req({ type: 'object', propertyNames: { maxLength: 8 } }),
    req({ type: 'object', propertyNames: { maxLength: 4 } }),
    `${REQ}/propertyNames`,
    POST,
  ),
  f(
    'response-property-names-broadened',
    'breaking',
    res({ type: 'object', propertyNames: { maxLength: 4 } }),
    res({ type: 'object', propertyNames: { maxLength: 8 } }),
    `${RES}/propertyNames`,
    GET,
  ),
  f(
    'schema-wrapped-in-alternatives',
    'info',
    req(obj({ a: { type: 'string' } })),
    req({ oneOf: [obj({ a: { type: 'string' } }), { type: 'integer' }] }),
    `${REQ}/oneOf`,
    POST,
  ),
  // The closest alternative of a request needs a new property: still breaking.
  f(
    'request-property-added-required',
    'breaking',
    req(obj({ a: { type: 'string' } })),
    req({ oneOf: [obj({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['b'] }), { type: 'integer' }] }),
    `${REQ}/oneOf/0/properties/b`,
    POST,
  ),
  // Any alternative may come back in a response: the worst one counts.
  f(
    'response-type-changed',
    'breaking',
    res(obj({ a: { type: 'string' } })),
    res({ oneOf: [obj({ a: { type: 'string' } }), { type: 'integer' }] }),
    `${RES}/oneOf/1/type`,
    GET,
  ),
  f(
    'content-encoding-changed',
    'breaking',
    req({ type: 'string', contentMediaType: 'image/png' }),
    req({ type: 'string', contentMediaType: 'image/jpeg' }),
    `${REQ}/contentMediaType`,
    POST,
  ),
  f(
    'request-max-length-tightened',
    'breaking',
    withRequestContent({ 'text/plain': {} }),
    withRequestContent({ 'text/plain': { schema: { type: 'string', maxLength: 10 } } }),
    '/paths/~1items/post/requestBody/content/text~1plain/schema/maxLength',
    POST,
  ),
  // No x-stability-level is stable; marking the operation alpha lowers it.
  f(
    'stability-level-decreased',
    'breaking',
    api({ '/items': { get: op() } }),
    api({ '/items': { get: op({ 'x-stability-level': 'alpha' }) } }),
    '/paths/~1items/get/x-stability-level',
    GET,
  ),
];

export const RULE_FIXTURES: RuleFixture[] = [...hand, ...bound, ...assertion, ...subschemas];
