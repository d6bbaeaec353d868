// Every lens operation, both directions, and round trips: old -> new -> old gives the
// original back where the operation is reversible. Pure functions: no server.
import t, { type Test } from 'tap';
import { compileLens, type LensProblem } from '../../src/transform/lens.js';
import { lensSchema } from '../../src/transform/schema.js';
import { TransformMisfit } from '../../src/transform/misfit.js';

function lens(ops: unknown[]) {
  const problems: LensProblem[] = [];
  const l = compileLens(lensSchema.parse(ops), problems);
  if (problems.length) throw new Error(JSON.stringify(problems));
  return l;
}

const copy = <T>(v: T): T => structuredClone(v);

async function both(t: Test, ops: unknown[], oldDoc: unknown, newDoc: unknown) {
  const l = lens(ops);
  t.same(await l.forward(copy(oldDoc)), newDoc, 'forward: old -> new');
  t.same(await l.backward(copy(newDoc)), oldDoc, 'backward: new -> old');
  t.same(await l.backward(await l.forward(copy(oldDoc))), oldDoc, 'round trip old -> new -> old');
  t.same(await l.forward(await l.backward(copy(newDoc))), newDoc, 'round trip new -> old -> new');
}

t.test('rename keeps the key in place', async (t) => {
  await both(t, [{ rename: { from: 'total_cents', to: 'total' } }], { id: 1, total_cents: 4250, note: 'x' }, { id: 1, total: 4250, note: 'x' });
  const out = await lens([{ rename: { from: 'total_cents', to: 'total' } }]).forward({ id: 1, total_cents: 1, note: 'x' });
  t.same(Object.keys(out as object), ['id', 'total', 'note'], 'position kept');
  await both(t, [{ rename: { from: 'customer.nme', to: 'name' } }], { customer: { nme: 'Ada' } }, { customer: { name: 'Ada' } });
});

t.test('remove restores its default on the way back; add is its mirror', async (t) => {
  await both(t, [{ remove: { field: 'legacy', default: false } }], { id: 1, legacy: false }, { id: 1 });
  await both(t, [{ add: { field: 'currency', default: 'EUR' } }], { id: 1 }, { id: 1, currency: 'EUR' });
  const l = lens([{ remove: { field: 'legacy', default: false } }]);
  t.same(await l.backward({ id: 1, legacy: true }), { id: 1, legacy: true }, 'a value present is kept, not overwritten');
  t.same(await lens([{ add: { field: 'currency', default: 'EUR' } }]).forward({ currency: 'USD' }), { currency: 'USD' }, 'add keeps a value already there');
});

t.test('hoist and plunge move a field between levels', async (t) => {
  await both(t, [{ hoist: { host: 'customer', field: 'email' } }], { customer: { id: 7, email: 'a@b' } }, { customer: { id: 7 }, email: 'a@b' });
  await both(t, [{ plunge: { host: 'customer', field: 'email' } }], { customer: { id: 7 }, email: 'a@b' }, { customer: { id: 7, email: 'a@b' } });
});

t.test('wrap and head: a scalar to and from an array', async (t) => {
  await both(t, [{ wrap: { field: 'tag' } }], { tag: 'red' }, { tag: ['red'] });
  await both(t, [{ head: { field: 'tags' } }], { tags: ['red'] }, { tags: 'red' });
  t.same(await lens([{ wrap: { field: 'tag' } }]).forward({ tag: null }), { tag: [] }, 'null wraps to an empty array');
  t.same(await lens([{ wrap: { field: 'tag' } }]).backward({ tag: [] }), { tag: null }, 'an empty array heads to null');
  t.same(
    await lens([{ head: { field: 'tags' } }]).forward({ tags: ['a', 'b'] }),
    { tags: 'a' },
    'head keeps the first item (not reversible for longer arrays)',
  );
});

t.test('convert with a mapping table, read backwards on the way back', async (t) => {
  const ops = [
    {
      convert: {
        field: 'status',
        mapping: [
          { from: 'open', to: 'OPEN' },
          { from: 'closed', to: 'DONE' },
        ],
      },
    },
  ];
  await both(t, ops, { status: 'closed' }, { status: 'DONE' });
  await t.rejects(lens(ops).forward({ status: 'lost' }), TransformMisfit, 'a value outside the table is a misfit');
  const problems: LensProblem[] = [];
  compileLens(
    lensSchema.parse([
      {
        convert: {
          field: 's',
          mapping: [
            { from: 1, to: 'x' },
            { from: 2, to: 'x' },
          ],
        },
      },
    ]),
    problems,
  );
  t.match(problems, [{ path: [0, 'convert', 'mapping', 1, 'to'], message: /cannot be read backwards/ }], 'a table that cannot be inverted is refused at load');
});

t.test('convert with JSONata expressions: cents to {amount, currency} and back', async (t) => {
  const ops = [
    { rename: { from: 'total_cents', to: 'total' } },
    { convert: { field: 'total', forward: '{ "amount": $ / 100, "currency": "EUR" }', backward: '$round(amount * 100)' } },
  ];
  await both(t, ops, { id: 1, total_cents: 4250 }, { id: 1, total: { amount: 42.5, currency: 'EUR' } });
  const l = lens(ops);
  t.ok(l.async, 'an expression lens is async');
  await t.rejects(l.backward({ id: 1, total: 'cheap' }), { name: 'TransformMisfit', op: /convert total/ }, 'a value the expression cannot use is a misfit');
  const problems: LensProblem[] = [];
  compileLens(lensSchema.parse([{ convert: { field: 'x', forward: '{{', backward: '$' } }]), problems);
  t.match(problems, [{ path: [0, 'convert', 'forward'], message: /invalid JSONata expression/ }], 'syntax errors are found at load');
});

t.test('items[*] maps over array items, and [*] over a top-level array', async (t) => {
  await both(
    t,
    [{ rename: { from: 'items[*].price_cents', to: 'price' } }],
    {
      items: [
        { sku: 'a', price_cents: 1 },
        { sku: 'b', price_cents: 2 },
      ],
    },
    {
      items: [
        { sku: 'a', price: 1 },
        { sku: 'b', price: 2 },
      ],
    },
  );
  await both(
    t,
    [
      {
        convert: {
          field: '[*].state',
          mapping: [
            { from: 0, to: 'new' },
            { from: 1, to: 'paid' },
          ],
        },
      },
    ],
    [{ state: 0 }, { state: 1 }],
    [{ state: 'new' }, { state: 'paid' }],
  );
  await both(t, [{ convert: { field: 'tags[*]', mapping: [{ from: 'r', to: 'red' }] } }], { tags: ['r', 'r'] }, { tags: ['red', 'red'] });
  await both(
    t,
    [{ hoist: { host: 'lines[*].product', field: 'name' } }],
    { lines: [{ product: { id: 1, name: 'pen' } }] },
    { lines: [{ product: { id: 1 }, name: 'pen' }] },
  );
});

t.test('a body that does not fit: missing fields and wrong types say where', async (t) => {
  const rename = lens([{ rename: { from: 'items[*].price_cents', to: 'price' } }]);
  await t.rejects(rename.forward({ items: [{ price_cents: 1 }, { sku: 'b' }] }), { at: 'items[1].price_cents', message: /missing/ });
  await t.rejects(rename.forward({ items: 'none' }), { at: 'items', message: /expected an array, found a string/ });
  await t.rejects(lens([{ head: { field: 'tags' } }]).forward({ tags: 'x' }), { at: 'tags', message: /expected an array/ });
  await t.rejects(lens([{ rename: { from: 'a', to: 'b' } }]).forward({ a: 1, b: 2 }), { at: 'b', message: /already present/ });
  t.same(await lens([{ rename: { from: 'a', to: 'b', optional: true } }]).forward({ c: 1 }), { c: 1 }, 'optional: a missing field is skipped');
});

t.test('a lens reverses as a whole: operations run backwards in reverse order', async (t) => {
  await both(
    t,
    [{ plunge: { host: 'customer', field: 'email' } }, { rename: { from: 'customer.email', to: 'mail' } }, { add: { field: 'version', default: 2 } }],
    { customer: {}, email: 'a@b' },
    { customer: { mail: 'a@b' }, version: 2 },
  );
});

t.test('bad paths and a rename across levels are refused at load', async (t) => {
  const problems: LensProblem[] = [];
  compileLens(lensSchema.parse([{ rename: { from: 'a.b', to: 'c.d' } }, { add: { field: 'x[*]', default: 1 } }, { wrap: { field: 'a..b' } }]), problems);
  t.match(problems, [
    { path: [0, 'rename', 'to'], message: /use hoist or plunge/ },
    { path: [1, 'add', 'field'], message: /needs a field name/ },
    { path: [2, 'wrap', 'field'], message: /empty segment/ },
  ]);
});
