// A labelled corpus of small document pairs: each is breaking or not for a client of the old
// document, by the oasdiff rule family it exercises. The rule fixtures count once each, and
// these pairs add documents as people write them: several changes at once, $refs, 3.0 and
// 3.1 spellings, and the common violations of the specification (no `responses`, a response
// without `description`, a parameter without `schema`), which the reader must read past.
import { RULE_FIXTURES } from './rule-fixtures.js';

type Doc = Record<string, any>;
export interface LabelledPair {
  name: string;
  breaking: boolean;
  old: Doc;
  new: Doc;
}

const PAST = '2026-06-01T00:00:00Z';
const FUTURE = '2027-06-01T00:00:00Z';

/** An orders API as people write it, with this much of it changed. */
function orders(change: (d: Doc) => void = () => {}, version = '3.0.3'): Doc {
  const d: Doc = {
    openapi: version,
    info: { title: 'Orders', version: '1.4.0' },
    security: [{ key: [] }],
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          summary: 'List orders',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'status', in: 'query', schema: { $ref: '#/components/schemas/Status' } },
          ],
          responses: {
            '200': { description: 'Orders', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } },
          },
        },
        post: {
          operationId: 'createOrder',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/NewOrder' } },
              'application/xml': { schema: { $ref: '#/components/schemas/NewOrder' } },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              headers: { Location: { required: true, schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            '422': { description: 'Invalid' },
          },
        },
      },
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: 36 } }],
        get: {
          operationId: 'getOrder',
          responses: {
            '200': { description: 'One', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
            '404': { description: 'None' },
          },
        },
        delete: { operationId: 'cancelOrder', responses: { '204': { description: 'Cancelled' } } },
      },
    },
    components: {
      securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      schemas: {
        Status: { type: 'string', enum: ['open', 'paid', 'shipped'] },
        Money: {
          type: 'object',
          required: ['amount', 'currency'],
          properties: { amount: { type: 'string', pattern: '^\\d+\\.\\d{2}$' }, currency: { type: 'string', minLength: 3, maxLength: 3 } },
        },
        Order: {
          type: 'object',
          required: ['id', 'status', 'total'],
          properties: {
            id: { type: 'string' },
            status: { $ref: '#/components/schemas/Status' },
            total: { $ref: '#/components/schemas/Money' },
            note: { type: 'string', nullable: true },
            tags: { type: 'array', maxItems: 10, items: { type: 'string' } },
            createdAt: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
        NewOrder: {
          type: 'object',
          required: ['total'],
          properties: { total: { $ref: '#/components/schemas/Money' }, note: { type: 'string' }, coupon: { type: 'string', maxLength: 20 } },
        },
      },
    },
  };
  change(d);
  return d;
}
const s = (d: Doc) => d.components.schemas;
const list = (d: Doc) => d.paths['/orders'].get;
const create = (d: Doc) => d.paths['/orders'].post;

const written: [string, boolean, (d: Doc) => void, string?][] = [
  ['nothing changed', false, () => {}],
  [
    'descriptions and summaries reworded',
    false,
    (d) => {
      list(d).summary = 'All orders';
      d.info.description = 'The orders API';
    },
  ],
  [
    'a new optional query parameter and a new response property',
    false,
    (d) => {
      list(d).parameters.push({ name: 'cursor', in: 'query', schema: { type: 'string' } });
      s(d).Order.properties.updatedAt = { type: 'string', format: 'date-time' };
    },
  ],
  [
    'a security scheme added as an API-level alternative',
    false,
    (d) => {
      d.components.securitySchemes.oauth = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a.example/t', scopes: { read: 'r' } } } };
      d.security.push({ oauth: ['read'] });
    },
  ],
  [
    'a security scheme defined but not required',
    false,
    (d) => {
      d.components.securitySchemes.basic = { type: 'http', scheme: 'basic' };
    },
  ],
  [
    'an optional response property removed',
    false,
    (d) => {
      delete s(d).Order.properties.note;
    },
  ],
  [
    'a response media type made more specific',
    false,
    (d) => {
      const r = d.paths['/orders/{id}'].get.responses['200'];
      r.content = { 'application/vnd.orders+json': r.content['application/json'] };
    },
  ],
  [
    'an XML body type given a charset',
    false,
    (d) => {
      const c = create(d).requestBody.content;
      c['application/xml; charset=utf-8'] = c['application/xml'];
      delete c['application/xml'];
    },
  ],
  [
    'an XML body written as text/xml',
    false,
    (d) => {
      const c = create(d).requestBody.content;
      c['text/xml'] = c['application/xml'];
      delete c['application/xml'];
    },
  ],
  [
    'an XML body type made compatible (integer to number in a request)',
    false,
    (d) => {
      s(d).NewOrder.properties.count = { type: 'integer' };
    },
    'count-number',
  ],
  [
    'a response status added',
    false,
    (d) => {
      list(d).responses['429'] = { description: 'Slow down' };
    },
  ],
  [
    'a new operation',
    false,
    (d) => {
      d.paths['/orders/{id}'].patch = { responses: { '200': { description: 'OK' } } };
    },
  ],
  [
    'parameters reordered',
    false,
    (d) => {
      list(d).parameters.reverse();
    },
  ],
  [
    'an inline schema moved to a component',
    false,
    (d) => {
      s(d).OrderList = list(d).responses['200'].content['application/json'].schema;
      list(d).responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/OrderList' };
    },
  ],
  [
    'a request limit raised',
    false,
    (d) => {
      list(d).parameters[0].schema.maximum = 500;
      s(d).NewOrder.properties.coupon.maxLength = 40;
    },
  ],
  [
    'a response enum narrowed and a response list capped lower',
    false,
    (d) => {
      s(d).Order.properties.tags.maxItems = 5;
    },
  ],
  [
    'a path parameter renamed',
    false,
    (d) => {
      d.paths['/orders/{orderId}'] = d.paths['/orders/{id}'];
      delete d.paths['/orders/{id}'];
      d.paths['/orders/{orderId}'].parameters[0].name = 'orderId';
    },
  ],
  [
    'a deprecated operation removed after its sunset',
    false,
    (d) => {
      delete d.paths['/orders/{id}'].delete;
    },
    'sunset-past',
  ],
  [
    'an x-extensible-enum value added in a response',
    false,
    (d) => {
      s(d).Order.properties.channel.enum = undefined;
      s(d).Order.properties.channel['x-extensible-enum'].push('phone');
    },
    'extensible',
  ],
  [
    'an alpha operation changed freely',
    false,
    (d) => {
      d.paths['/orders/{id}'].delete.responses = { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } };
      d.paths['/orders/{id}'].delete['x-stability-level'] = 'alpha';
    },
    'alpha',
  ],
  [
    'an operation deprecated with a sunset',
    false,
    (d) => {
      list(d).deprecated = true;
      list(d)['x-sunset'] = FUTURE;
    },
  ],
  [
    'a required response property renamed',
    true,
    (d) => {
      s(d).Order.properties.state = s(d).Order.properties.status;
      delete s(d).Order.properties.status;
      s(d).Order.required = ['id', 'state', 'total'];
    },
  ],
  [
    'a path parameter limited to fewer characters',
    true,
    (d) => {
      d.paths['/orders/{id}'].parameters[0].schema.maxLength = 12;
    },
  ],
  [
    'a query enum value removed',
    true,
    (d) => {
      s(d).Status.enum = ['open', 'paid'];
    },
  ],
  [
    'a required header added',
    true,
    (d) => {
      list(d).parameters.push({ name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } });
    },
  ],
  [
    'a response property made nullable with oneOf',
    true,
    (d) => {
      s(d).Order.properties.id = { oneOf: [{ type: 'string' }, { type: 'null' }] };
    },
    '3.1',
  ],
  [
    'a deprecated operation removed before its sunset',
    true,
    (d) => {
      delete d.paths['/orders/{id}'].delete;
    },
    'sunset-future',
  ],
  [
    'a sunset moved earlier',
    true,
    (d) => {
      d.paths['/orders/{id}'].delete['x-sunset'] = '2027-01-01T00:00:00Z';
    },
    'sunset-future',
  ],
  [
    'a response list allowed to grow longer',
    true,
    (d) => {
      s(d).Order.properties.tags.maxItems = 50;
    },
  ],
  [
    'a minimum added to a request value',
    true,
    (d) => {
      s(d).NewOrder.properties.coupon.minLength = 4;
    },
  ],
  [
    'a request shape ruled out with not',
    true,
    (d) => {
      s(d).NewOrder.not = { required: ['coupon', 'note'] };
    },
  ],
  [
    'a required response header removed',
    true,
    (d) => {
      delete create(d).responses['201'].headers;
    },
  ],
  [
    'an operation needing a scope it did not',
    true,
    (d) => {
      d.components.securitySchemes.oauth = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a.example/t', scopes: { write: 'w' } } } };
      create(d).security = [{ oauth: ['write'] }];
    },
  ],
  [
    'the currency pattern tightened in requests',
    true,
    (d) => {
      s(d).Money.properties.currency.pattern = '^[A-Z]{3}$';
    },
  ],
  [
    'a response type changed in a shared component',
    true,
    (d) => {
      s(d).Money.properties.amount = { type: 'number' };
    },
  ],
  [
    'a request media type dropped',
    true,
    (d) => {
      delete create(d).requestBody.content['application/xml'];
    },
  ],
  [
    'a success status removed',
    true,
    (d) => {
      d.paths['/orders/{id}'].delete.responses = { '200': { description: 'Cancelled' } };
    },
  ],
  [
    'an operation removed without deprecation',
    true,
    (d) => {
      delete d.paths['/orders/{id}'].get;
    },
  ],
  [
    'a oneOf alternative added to a response',
    true,
    (d) => {
      s(d).Order.properties.total = { oneOf: [{ $ref: '#/components/schemas/Money' }, { title: 'Points', type: 'integer' }] };
    },
  ],
  [
    'a writeOnly property that was readable',
    true,
    (d) => {
      s(d).Order.properties.id.writeOnly = true;
    },
  ],
  [
    'additionalProperties closed on a request',
    true,
    (d) => {
      s(d).NewOrder.additionalProperties = false;
    },
  ],
];

/** The starting points some pairs need, set on both documents. */
const BASES: Record<string, (d: Doc) => void> = {
  'count-number': (d) => {
    s(d).NewOrder.properties.count = { type: 'number' };
  },
  'sunset-past': (d) => Object.assign(d.paths['/orders/{id}'].delete, { deprecated: true, 'x-sunset': PAST }),
  'sunset-future': (d) => Object.assign(d.paths['/orders/{id}'].delete, { deprecated: true, 'x-sunset': FUTURE }),
  extensible: (d) => {
    s(d).Order.properties.channel = { type: 'string', 'x-extensible-enum': ['web', 'app'] };
  },
  alpha: (d) => {
    d.paths['/orders/{id}'].delete['x-stability-level'] = 'alpha';
  },
};

/** The violations people write, put into both documents of a pair. */
const VIOLATIONS: ((d: Doc) => void)[] = [
  (d) => {
    for (const item of Object.values<Doc>(d.paths))
      for (const op of Object.values<Doc>(item)) if (op?.responses) for (const r of Object.values<Doc>(op.responses)) delete r.description;
  },
  (d) => {
    d.paths['/health'] = { get: { operationId: 'health' } };
  },
  (d) => {
    d.paths['/orders'].get.parameters.push({ name: 'fields', in: 'query' });
  },
  (d) => {
    d.paths['/orders/{id}'].parameters[0].required = false;
    delete d.info.version;
  },
];

function pairs(): LabelledPair[] {
  const out: LabelledPair[] = [];
  written.forEach(([name, breaking, change, base], i) => {
    const version = base === '3.1' ? '3.1.0' : '3.0.3';
    const start = (d: Doc) => {
      if (base && BASES[base]) BASES[base](d);
    };
    // The 'count-number' pair: a request property that was integer and is now number.
    const old = orders((d) => {
      start(d);
      if (base === 'count-number') s(d).NewOrder.properties.count = { type: 'integer' };
    }, version);
    const next = orders((d) => {
      start(d);
      change(d);
      if (base === 'count-number') s(d).NewOrder.properties.count = { type: 'number' };
    }, version);
    out.push({ name, breaking, old, new: next });
    // The same change, in documents with a violation of the specification.
    const violate = VIOLATIONS[i % VIOLATIONS.length];
    const o2 = structuredClone(old);
    violate(o2);
    const n2 = structuredClone(next);
    violate(n2);
    out.push({ name: `${name}, in a document that breaks the specification`, breaking, old: o2, new: n2 });
  });
  for (const fx of RULE_FIXTURES) {
    if (fx.deprecationDays) continue;
    out.push({ name: `rule ${fx.rule}`, breaking: fx.level === 'breaking', old: fx.old, new: fx.new });
  }
  return out;
}

export const CORPUS: LabelledPair[] = pairs();
