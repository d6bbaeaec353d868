// Installs the Unleash server the canary tests run against, when it is not installed yet.
// It is kept out of sundial's own dependencies (about 200 MB), so that users' `npm install`
// stays lean; `npm test` calls this first.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (!existsSync(join(here, 'node_modules', 'unleash-server', 'package.json'))) {
  process.stderr.write('Installing a real Unleash server for the canary tests (once; about a minute)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
}
