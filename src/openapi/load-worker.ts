// The worker side of loadDocumentsSync: loads each OpenAPI document with the (asynchronous)
// parser, then hands back plain results and wakes the waiting thread.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { DocumentLoad } from './load-sync.js';

const { files, port, signal } = workerData as { files: string[]; port: MessagePort; signal: Int32Array };

async function loadAll(): Promise<DocumentLoad[]> {
  const { loadOpenApiDocument } = await import('./document.js');
  const { collectOperations } = await import('./operations.js');
  const out: DocumentLoad[] = [];
  for (const file of files) {
    const result = await loadOpenApiDocument(file);
    if (!result.ok) {
      out.push({ file, ok: false, problems: result.problems });
      continue;
    }
    out.push({ file, ok: true, hash: createHash('sha256').update(readFileSync(file)).digest('hex'), operations: collectOperations(result.document) });
  }
  return out;
}

loadAll()
  .then(
    (results) => port.postMessage({ results }),
    (err: unknown) => port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  )
  .finally(() => {
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
