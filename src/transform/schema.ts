// The `transform:` block of a version file (docs/transforms.md), as zod schemas. Lens
// operations are data: one key naming the operation, its arguments under it. They are
// written from the old version's shape to the new one's; sundial runs request lenses
// forward and response lenses backward, so one declaration serves both directions.
import { z } from 'zod';
import { parseByteSize } from '../config/units.js';

const field = z.string().min(1, 'Expected a field path such as total or items[*].price');
const optional = z.boolean().default(false);

const renameOp = z.strictObject({ rename: z.strictObject({ from: field, to: field, optional }) });
const removeOp = z.strictObject({
  remove: z
    .strictObject({ field, default: z.unknown() })
    .refine((o) => o.default !== undefined, { message: 'remove needs the default to restore on the way back (null is allowed)', path: ['default'] }),
});
const addOp = z.strictObject({
  add: z
    .strictObject({ field, default: z.unknown() })
    .refine((o) => o.default !== undefined, { message: 'add needs the default value to add (null is allowed)', path: ['default'] }),
});
const hoistOp = z.strictObject({ hoist: z.strictObject({ host: field, field: z.string().regex(/^[^.[\]]+$/, 'Expected one field name'), optional }) });
const plungeOp = z.strictObject({ plunge: z.strictObject({ host: field, field: z.string().regex(/^[^.[\]]+$/, 'Expected one field name'), optional }) });
const wrapOp = z.strictObject({ wrap: z.strictObject({ field, optional }) });
const headOp = z.strictObject({ head: z.strictObject({ field, optional }) });
const mappingEntry = z.strictObject({ from: z.unknown(), to: z.unknown() });
const convertOp = z.strictObject({
  convert: z
    .strictObject({
      field,
      optional,
      // A table: old value -> new value; read backwards on the way back.
      mapping: z.array(mappingEntry).min(1).optional(),
      // JSONata expressions over the field's value ($): old -> new, and new -> old.
      forward: z.string().min(1).optional(),
      backward: z.string().min(1).optional(),
    })
    .refine(
      (c) => (c.mapping !== undefined) !== (c.forward !== undefined || c.backward !== undefined),
      'convert takes either a mapping table or forward and backward expressions',
    )
    .refine(
      (c) => c.mapping !== undefined || (c.forward !== undefined && c.backward !== undefined),
      'an expression convert needs both forward (old to new) and backward (new to old)',
    ),
});

export const lensOpSchema = z.union([renameOp, removeOp, addOp, hoistOp, plungeOp, wrapOp, headOp, convertOp], {
  error: 'Expected one lens operation: rename, remove, add, hoist, plunge, wrap, head or convert',
});
export const lensSchema = z.array(lensOpSchema);

const pathTemplate = z.string().startsWith('/', 'Expected a path template starting with /, such as /orders/:id/items');
const status = z.number().int().min(100).max(599);

const rulesShape = {
  // Request path rewrites, old -> new; the first that matches applies.
  path: z.array(z.strictObject({ from: pathTemplate, to: pathTemplate })).optional(),
  // Lenses over the query parameters (a flat object of name -> value).
  query: lensSchema.optional(),
  // Lenses over the header names and values (names lower-cased): request headers run
  // forward, response headers backward.
  headers: z.strictObject({ request: lensSchema.optional(), response: lensSchema.optional() }).optional(),
  // Status codes, old -> new; responses are mapped back.
  status: z.array(z.strictObject({ from: status, to: status })).optional(),
  request: lensSchema.optional(),
  response: lensSchema.optional(),
};

export const transformRulesSchema = z.strictObject(rulesShape);

const byteSize = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? value : parseByteSize(value);
  if (bytes === undefined || bytes < 0) {
    ctx.addIssue({ code: 'custom', message: `Invalid size "${value}": expected bytes or a size such as 512kb or 1mb` });
    return z.NEVER;
  }
  return bytes;
});

export const transformSchema = z.strictObject({
  ...rulesShape,
  to: z.string().min(1, 'Name the successor version this transform leads to'),
  // What a body that does not fit gets: passed through unchanged, or a 502 problem.
  onMisfit: z
    .union([z.literal('passthrough'), z.literal('502'), z.literal(502)])
    .transform((v) => (v === 'passthrough' ? 'passthrough' : '502') as 'passthrough' | '502')
    .default('502'),
  limits: z.strictObject({ maxBodyBytes: byteSize.default(1024 * 1024) }).default({ maxBodyBytes: 1024 * 1024 }),
  routes: z
    .record(
      z.string(),
      z.strictObject({
        ...rulesShape,
        // Per operation of the old version, named "GET /orders/{id}"; replaces the route's rules
        // field by field.
        operations: z.record(z.string().regex(/^[A-Z]+ \/\S*$/, 'Name an operation as METHOD /path/{param}'), transformRulesSchema).optional(),
      }),
    )
    .optional(),
});

export type LensOpFile = z.output<typeof lensOpSchema>;
export type TransformRulesFile = z.output<typeof transformRulesSchema>;
export type TransformFile = z.output<typeof transformSchema>;
