// Request bodies stream through to the upstream unparsed, so fastify's own bodyLimit (which
// applies while it buffers a body) never sees them. A declared Content-Length over the limit
// is refused before anything is sent; a chunked body is counted as it streams and cut off
// when it passes the limit.
import { Transform, type TransformCallback } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { ERR_BODY_TOO_LARGE } from '../errors.js';

class ByteCounter extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(ERR_BODY_TOO_LARGE(this.limit));
    else done(null, chunk);
  }
}

export function limitBody(payload: IncomingMessage, limit: number): NodeJS.ReadableStream {
  const declared = payload.headers['content-length'];
  if (declared !== undefined) {
    if (Number(declared) > limit) throw ERR_BODY_TOO_LARGE(limit);
    // Node's parser already stops at the declared length.
    return payload;
  }
  const counter = new ByteCounter(limit);
  payload.on('error', (err) => counter.destroy(err));
  return payload.pipe(counter);
}
