// What the `sundial openapi` CLI tests share: a runner for the built CLI, a base document
// with a few operations to change, and a temp folder to write documents in.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export type Doc = Record<string, any>;

export function openapiCli(t: { teardown(fn: () => void): void }) {
  const tmp = mkdtempSync(join(tmpdir(), 'sundial-diff-cli-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'openapi', ...args]).then(
      (r) => ({ code: 0, ...r }),
      (e) => e as { code: number; stdout: string; stderr: string },
    );
  let n = 0;
  const write = (d: Doc | string, ext = 'yaml') => {
    const file = join(tmp, `d${n++}.${ext}`);
    writeFileSync(file, typeof d === 'string' ? d : ext === 'json' ? JSON.stringify(d, null, 2) : stringify(d));
    return file;
  };
  return { tmp, run, write };
}

export function doc(change: (d: Doc) => void = () => {}): Doc {
  const d: Doc = {
    openapi: '3.1.0',
    info: { title: 'Items', version: '1' },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          parameters: [{ name: 'q', in: 'query', schema: { type: 'string', maxLength: 50 } }],
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } },
        },
        delete: { operationId: 'purge', deprecated: true, 'x-sunset': '2027-01-01T00:00:00Z', responses: { '204': { description: 'Gone' } } },
      },
    },
    components: { schemas: { Item: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, size: { type: 'integer' } } } } },
  };
  change(d);
  return d;
}
