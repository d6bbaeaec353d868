// Config loading is synchronous (loadConfig is called from the CLI, the gateway and tests),
// but the OpenAPI parser is asynchronous. The documents are loaded in a worker thread while
// this thread waits on a shared flag; the results come back over a message port. Only
// configs that name OpenAPI documents pay for it, once per load or reload.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { DocumentProblem } from './document.js';
import type { OperationSpec } from './operations.js';

export type DocumentLoad = { file: string; ok: true; hash: string; operations: OperationSpec[] } | { file: string; ok: false; problems: DocumentProblem[] };

const TIMEOUT_MS = 60_000;

/** Loads the documents at these absolute paths, in order. Throws only if the worker fails. */
export function loadDocumentsSync(files: string[]): DocumentLoad[] {
  if (files.length === 0) return [];
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./load-worker.js', import.meta.url), {
    workerData: { files, port: port2, signal },
    transferList: [port2],
  });
  worker.unref();
  try {
    const waited = Atomics.wait(signal, 0, 0, TIMEOUT_MS);
    const reply = receiveMessageOnPort(port1)?.message as { results?: DocumentLoad[]; error?: string } | undefined;
    if (!reply) throw new Error(waited === 'timed-out' ? `timed out after ${TIMEOUT_MS / 1000}s` : 'the loader thread ended without an answer');
    if (reply.error) throw new Error(reply.error);
    return reply.results!;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
