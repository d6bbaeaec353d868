// `npm run bench -- --backfill`: sundial's batched backfill against one UPDATE of the same
// rows, on embedded PostgreSQL, interleaved (sundial, UPDATE, UPDATE, sundial, ...), while a
// writer makes 300 single-row updates a second on the same table. Prints each run, the
// speed ratio (UPDATE time / sundial time: 1.0 means as fast as one UPDATE) and the
// writer's worst statement wait during each.
// Options: --rows N (1000000) --rounds N (2) --rate N (300)
import { parseArgs } from 'node:util';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbedded } from '../src/migrate/embedded.js';
import { parseMigration } from '../src/migrate/load.js';
import { startMigration } from '../src/migrate/engine.js';

interface Run {
  kind: 'sundial' | 'update';
  seconds: number;
  worstWaitMs: number;
  p99WaitMs: number;
  writes: number;
}

/** Single-row updates at a fixed rate on their own connection; each statement's time is kept. */
function writerLoop(client: pg.Client, rows: number, rate: number) {
  const waits: number[] = [];
  let running = true;
  const interval = 1000 / rate;
  const done = (async () => {
    let next = performance.now();
    while (running) {
      const id = 1 + Math.floor(Math.random() * rows);
      const t0 = performance.now();
      await client.query('UPDATE items SET note = $1 WHERE id = $2', [`w${t0}`, id]);
      waits.push(performance.now() - t0);
      next += interval;
      const pause = next - performance.now();
      if (pause > 0) await sleep(pause);
      else next = performance.now();
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      const sorted = [...waits].sort((a, b) => a - b);
      return { worst: sorted.at(-1) ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0, writes: waits.length };
    },
  };
}

async function freshTable(admin: pg.Client, baseUrl: string, name: string, rows: number): Promise<string> {
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = baseUrl.replace(/\/postgres$/, `/${name}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE items (id bigint PRIMARY KEY, code text NOT NULL, note text)`);
  await c.query(`INSERT INTO items SELECT g, g::text, 'n' || g FROM generate_series(1, ${rows}) g`);
  await c.query(`VACUUM ANALYZE items`);
  await c.end();
  return url;
}

async function measure(kind: Run['kind'], url: string, rows: number, rate: number): Promise<Run> {
  const db = new pg.Client({ connectionString: url });
  const w = new pg.Client({ connectionString: url });
  await db.connect();
  await w.connect();
  const writer = writerLoop(w, rows, rate);
  await sleep(200);
  const t0 = performance.now();
  if (kind === 'sundial') {
    const m = parseMigration('bench.yaml', {
      name: 'code_int',
      operations: [{ alter_column: { table: 'items', column: 'code', type: 'integer', up: 'code::integer', down: 'code::text' } }],
    });
    await startMigration(db, m);
  } else {
    await db.query('ALTER TABLE items ADD COLUMN code_int integer');
    await db.query('UPDATE items SET code_int = code::integer');
  }
  const seconds = (performance.now() - t0) / 1000;
  const { worst, p99, writes } = await writer.stop();
  await db.end();
  await w.end();
  return { kind, seconds, worstWaitMs: worst, p99WaitMs: p99, writes };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--backfill'),
    options: { rows: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '2' }, rate: { type: 'string', default: '300' } },
  });
  const rows = Number(values.rows);
  const rounds = Number(values.rounds);
  const rate = Number(values.rate);
  process.stdout.write(`backfill bench: ${rows.toLocaleString('en-US')} rows, text to integer, ${rounds} rounds interleaved, writer at ${rate} updates/s\n`);
  const server = await startEmbedded();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const runs: Run[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so that neither case always runs on a warmer machine.
      const order: Run['kind'][] = r % 2 === 0 ? ['sundial', 'update'] : ['update', 'sundial'];
      for (const kind of order) {
        const url = await freshTable(admin, server.url, `bench_${kind}`, rows);
        const run = await measure(kind, url, rows, rate);
        runs.push(run);
        process.stdout.write(
          `  round ${r + 1} ${kind.padEnd(7)} ${run.seconds.toFixed(2)}s  writer: ${run.writes} updates, worst ${run.worstWaitMs.toFixed(1)}ms, p99 ${run.p99WaitMs.toFixed(1)}ms\n`,
        );
      }
    }
  } finally {
    await admin.end();
    await server.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const of = (k: Run['kind']) => runs.filter((r) => r.kind === k);
  const sundial = median(of('sundial').map((r) => r.seconds));
  const update = median(of('update').map((r) => r.seconds));
  process.stdout.write(
    `\nmedian: sundial ${sundial.toFixed(2)}s, single UPDATE ${update.toFixed(2)}s\n` +
      `speed ratio (UPDATE time / sundial time): ${(update / sundial).toFixed(2)} (target >= 0.5)\n` +
      `writer's worst statement wait: during sundial ${Math.max(...of('sundial').map((r) => r.worstWaitMs)).toFixed(1)}ms, ` +
      `during the single UPDATE ${Math.max(...of('update').map((r) => r.worstWaitMs)).toFixed(1)}ms\n`,
  );
  return 0;
}
