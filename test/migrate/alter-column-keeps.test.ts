// alter_column keeps everything the column had: NOT NULL, default, comment, UNIQUE, CHECK
// and FOREIGN KEY constraints (with their actions) and every index, under their own names,
// for each kind of change, while writers use both versions. Real PostgreSQL.
import t from 'tap';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { usePostgres } from '../helpers/postgres.js';
import { parseMigration } from '../../src/migrate/load.js';
import { completeMigration, rollbackMigration, startMigration } from '../../src/migrate/engine.js';
import { planInput } from '../../src/migrate/plan-input.js';
import { renderPlan } from '../../src/migrate/plan.js';
import type { MigrateEvent } from '../../src/migrate/events.js';

const pgt = await usePostgres(t);

// The reproduction, plus a default, comments, a plain, a partial and an expression index.
const SETUP = `
  CREATE TABLE parent (id int PRIMARY KEY);
  INSERT INTO parent SELECT g FROM generate_series(1, 1000) g;
  CREATE TABLE t (
    id int PRIMARY KEY,
    a text DEFAULT 'zz' CONSTRAINT t_a_key UNIQUE CONSTRAINT a_len CHECK (length(a) > 1),
    p int CONSTRAINT t_p_fk REFERENCES parent(id) ON DELETE CASCADE ON UPDATE RESTRICT,
    b text NOT NULL,
    r int);
  COMMENT ON COLUMN t.a IS 'the a column';
  COMMENT ON COLUMN t.p IS 'points at parent';
  COMMENT ON COLUMN t.b IS 'never empty';
  CREATE INDEX t_a_idx ON t (a text_pattern_ops DESC NULLS LAST);
  CREATE INDEX t_p_partial ON t (p) WHERE p > 5;
  CREATE INDEX t_b_lower ON t (lower(b));
  INSERT INTO t (id, a, p, b, r) SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'v' || g END, g % 20 + 1, 'b' || g, g FROM generate_series(1, 200) g;
`;

interface Catalog {
  constraints: Record<string, string>;
  indexes: Record<string, string>;
  comments: Record<string, string>;
  columns: Record<string, string>;
}

async function catalog(db: pg.ClientBase): Promise<Catalog> {
  const q = async (sql: string) => Object.fromEntries((await db.query(sql)).rows.map((r) => [r.k, r.v]));
  return {
    constraints: await q(
      `SELECT conname AS k, pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not valid)' END AS v FROM pg_constraint WHERE conrelid = 'public.t'::regclass`,
    ),
    indexes: await q(`SELECT indexname AS k, indexdef AS v FROM pg_indexes WHERE schemaname = 'public' AND tablename = 't'`),
    comments: await q(
      `SELECT a.attname AS k, col_description(a.attrelid, a.attnum) AS v FROM pg_attribute a WHERE a.attrelid = 'public.t'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NOT NULL`,
    ),
    columns: await q(
      `SELECT column_name AS k, data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS v FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 't'`,
    ),
  };
}

interface Case {
  name: string;
  op: Record<string, unknown>;
  /** Column names as the new version sees them. */
  names?: Record<string, string>;
  /** The catalogue after complete, from the one before. */
  expect: (c: Catalog) => void;
  instant?: boolean;
}

const rename = (defs: Record<string, string>, from: string, to: string) =>
  Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, v.replace(new RegExp(`\\b${from}\\b`, 'g'), to)]));

const cases: Case[] = [
  {
    name: "SET NOT NULL (the issue's case)",
    op: { table: 't', column: 'a', nullable: false, up: `coalesce(a, 'id' || id)`, down: 'a' },
    expect: (c) => {
      c.columns.a = `text NO 'zz'::text`;
    },
  },
  {
    name: "type int to bigint (the issue's case)",
    op: { table: 't', column: 'p', type: 'bigint', up: 'p', down: 'p::int' },
    expect: (c) => {
      c.columns.p = 'bigint YES -';
    },
  },
  {
    name: 'type text to varchar',
    op: { table: 't', column: 'b', type: 'varchar(40)', up: 'b', down: 'b::text' },
    expect: (c) => {
      c.columns.b = 'character varying NO -';
      c.indexes.t_b_lower = `CREATE INDEX t_b_lower ON public.t USING btree (lower((b)::text))`;
    },
  },
  {
    name: 'a new CHECK',
    op: { table: 't', column: 'a', check: { name: 'a_not_blank', constraint: `a <> ''` }, up: `coalesce(a, 'id' || id)`, down: 'a' },
    expect: (c) => {
      c.constraints.a_not_blank = `CHECK ((a <> ''::text))`;
    },
  },
  {
    name: 'a new FOREIGN KEY',
    op: { table: 't', column: 'r', references: { name: 't_r_fk', table: 'parent', column: 'id', on_delete: 'SET NULL' }, up: 'r', down: 'r' },
    expect: (c) => {
      c.constraints.t_r_fk = 'FOREIGN KEY (r) REFERENCES parent(id) ON DELETE SET NULL';
    },
  },
  {
    name: 'a new UNIQUE',
    op: { table: 't', column: 'r', unique: { name: 't_r_key' }, up: 'r', down: 'r' },
    expect: (c) => {
      c.constraints.t_r_key = 'UNIQUE (r)';
      c.indexes.t_r_key = 'CREATE UNIQUE INDEX t_r_key ON public.t USING btree (r)';
    },
  },
  {
    name: 'default only (instant)',
    op: { table: 't', column: 'a', default: `'yy'` },
    expect: (c) => {
      c.columns.a = `text YES 'yy'::text`;
    },
    instant: true,
  },
  {
    name: 'comment only (instant)',
    op: { table: 't', column: 'a', comment: 'new words' },
    expect: (c) => {
      c.comments.a = 'new words';
    },
    instant: true,
  },
  {
    name: 'DROP NOT NULL (instant)',
    op: { table: 't', column: 'b', nullable: true, down: `coalesce(b, 'none')` },
    expect: (c) => {
      c.columns.b = 'text YES -';
    },
    instant: true,
  },
  {
    name: 'rename (instant)',
    op: { table: 't', column: 'a', name: 'a2' },
    names: { a: 'a2' },
    expect: (c) => {
      c.constraints = rename(c.constraints, 'a', 'a2');
      c.indexes = rename(c.indexes, 'a', 'a2');
      c.columns = Object.fromEntries(Object.entries(c.columns).map(([k, v]) => [k === 'a' ? 'a2' : k, v]));
      c.comments = Object.fromEntries(Object.entries(c.comments).map(([k, v]) => [k === 'a' ? 'a2' : k, v]));
    },
    instant: true,
  },
];

/** Inserts and updates through one version until stopped; every error is kept. */
function writer(db: pg.Client, names: Record<string, string>, firstId: number) {
  const n = (c: string) => names[c] ?? c;
  const errors: string[] = [];
  let written = 0;
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const id = firstId + i;
      try {
        await db.query(`INSERT INTO t (id, ${n('a')}, ${n('p')}, ${n('b')}) VALUES ($1, $2, $3, $4)`, [id, `w${id}`, (i % 20) + 1, `b${id}`]);
        written++;
        await db.query(`UPDATE t SET ${n('p')} = ${n('p')} % 20 + 1 WHERE id = $1`, [(i % 200) + 1]);
      } catch (err) {
        errors.push((err as Error).message);
      }
      await sleep(2);
    }
  })();
  return {
    errors,
    get written() {
      return written;
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}

for (const c of cases) {
  t.test(`alter_column ${c.name}: keeps every constraint, index and comment`, async (t) => {
    const url = await pgt.freshDatabase();
    const db = await pgt.connect(url);
    await db.query(SETUP);
    const before = await catalog(db);
    const migration = parseMigration('m.yaml', { name: 'm', operations: [{ alter_column: c.op }] });

    const oldDb = await pgt.connect(url);
    const old = writer(oldDb, {}, 10_000);
    const events: MigrateEvent[] = [];
    await startMigration(db, migration, { backfill: { batchSize: 7 }, onEvent: (e) => events.push(e) });
    t.equal(
      events.some((e) => e.type === 'backfill-start'),
      !c.instant,
      c.instant ? 'no backfill' : 'a backfill',
    );
    const temp = (await db.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attname LIKE '_sundial_%' AND NOT attisdropped`))
      .rows;
    t.equal(temp.length, c.instant ? 0 : 1, c.instant ? 'no shadow column' : 'one shadow column');
    const newDb = await pgt.connect(url, 'public_m');
    const fresh = writer(newDb, c.names ?? {}, 20_000);
    await sleep(300);
    await old.stop();
    await fresh.stop();
    t.same(old.errors, [], 'the old version wrote without an error');
    t.same(fresh.errors, [], 'the new version wrote without an error');
    t.ok(old.written > 0 && fresh.written > 0, `both versions wrote (${old.written}, ${fresh.written})`);

    await completeMigration(db);
    const after = await catalog(db);
    const expected = structuredClone(before);
    c.expect(expected);
    t.same(after.constraints, expected.constraints, 'every constraint, with its definition, validated');
    t.same(after.indexes, expected.indexes, 'every index, with its definition');
    t.same(after.comments, expected.comments, 'every comment');
    t.same(after.columns, expected.columns, 'columns: types, nullability, defaults');
    const rows = (await db.query(`SELECT count(*)::int AS n FROM t`)).rows[0].n;
    t.equal(rows, 200 + old.written + fresh.written, 'every row written through either version is there');

    // The kept constraints still hold.
    const a = c.names?.a ?? 'a';
    await t.rejects(db.query(`INSERT INTO t (id, ${a}, b) VALUES (-1, 'v1', 'x')`), { code: '23505' }, 'UNIQUE holds');
    await t.rejects(db.query(`INSERT INTO t (id, ${a}, b) VALUES (-1, 'q', 'x')`), { code: '23514' }, 'CHECK holds');
    await t.rejects(db.query(`INSERT INTO t (id, p, b) VALUES (-1, 5000, 'x')`), { code: '23503' }, 'FOREIGN KEY holds');
    await db.query(`DELETE FROM parent WHERE id = 3`);
    t.equal((await db.query(`SELECT count(*)::int AS n FROM t WHERE p = 3`)).rows[0].n, 0, 'ON DELETE CASCADE kept');
  });
}

t.test('rollback of a rebuilt column leaves the catalogue exactly as before', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(SETUP);
  const before = await catalog(db);
  await startMigration(db, parseMigration('m.yaml', { name: 'm', operations: [{ alter_column: cases[0].op }, { alter_column: cases[1].op }] }), {
    backfill: { batchSize: 50 },
  });
  await rollbackMigration(db);
  t.same(await catalog(db), before);
});

t.test('plan lists every kept constraint and index with its lock', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(SETUP);
  const migration = parseMigration('m.yaml', { name: 'm', operations: [{ alter_column: cases[0].op }, { alter_column: cases[1].op }] });
  const text = renderPlan(await planInput(db, migration, 'public', 1000, 500));
  t.match(text, /keeps UNIQUE constraint t_a_key \(UNIQUE \(a\)\)[\s\S]*?Lock: \*\*SHARE UPDATE EXCLUSIVE\*\*/);
  t.match(text, /keeps CHECK constraint a_len \(CHECK \(\(length\(a\) > 1\)\)\)[\s\S]*?Lock: \*\*ACCESS EXCLUSIVE\*\*/);
  t.match(
    text,
    /keeps FOREIGN KEY t_p_fk \(FOREIGN KEY \(p\) REFERENCES parent\(id\) ON UPDATE RESTRICT ON DELETE CASCADE\) with its actions[\s\S]*?Lock: \*\*SHARE ROW EXCLUSIVE\*\*/,
  );
  t.match(text, /keeps index t_a_idx/);
  t.match(text, /keeps index t_p_partial/);
  t.match(text, /RENAME CONSTRAINT "_sundial_a_len" TO "a_len"/);
  t.match(text, /ADD CONSTRAINT "t_a_key" UNIQUE USING INDEX "_sundial_t_a_key"/);
});

t.test('a column other tables point at is refused with a clear error, before anything changes', async (t) => {
  const url = await pgt.freshDatabase();
  const db = await pgt.connect(url);
  await db.query(SETUP);
  await db.query(
    `ALTER TABLE parent ADD COLUMN code text CONSTRAINT parent_code_key UNIQUE; CREATE TABLE child (id int PRIMARY KEY, code text REFERENCES parent(code))`,
  );
  const m = parseMigration('m.yaml', {
    name: 'm',
    operations: [{ alter_column: { table: 'parent', column: 'code', type: 'varchar(10)', up: 'code', down: 'code' } }],
  });
  await t.rejects(startMigration(db, m), /operations\[0\]\.alter_column\.column: column "code" is referenced by foreign key "child_code_fkey"/);
  t.equal((await db.query(`SELECT to_regclass('sundial_migrate.migrations') AS r`)).rows[0].r, null, 'nothing was changed');
});
