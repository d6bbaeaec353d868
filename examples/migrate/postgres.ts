// `node dist/examples/migrate/postgres.js [SEED.sql]`: a throwaway PostgreSQL that stays up
// until Ctrl-C, so that the commands of docs/migrate.md's worked example can be chained
// against it (`--embedded` starts a new server per command and throws it away after).
// Prints the DATABASE_URL to export in another terminal; everything is removed on exit.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { startEmbedded } from '../../src/migrate/embedded.js';

const seed = process.argv[2];
const seedSql = seed === undefined ? undefined : await readFile(seed, 'utf8');
const db = await startEmbedded();
if (seedSql !== undefined) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(seedSql);
  } finally {
    await client.end();
  }
}
process.stdout.write(
  `a throwaway PostgreSQL is up${seed ? `, seeded from ${seed}` : ''}. In another terminal:\n\n  export DATABASE_URL='${db.url}'\n\nPress Ctrl-C to stop it and remove its data.\n`,
);
const stop = () => {
  db.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
