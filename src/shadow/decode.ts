// Bodies are mirrored with the client's Accept-Encoding, so the primary and the shadows may
// answer compressed. Compressed bytes hide the JSON (and differ wholesale for one changed
// field), so a body is decompressed before it is flattened, up to a cap on its decoded
// size. A body that cannot be decoded is compared as it came.
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { CapturedResponse } from './flatten.js';

const DECODERS: Record<string, (buf: Buffer, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync as (buf: Buffer, options: ZlibOptions) => Buffer,
};

export function decodeBody(res: CapturedResponse, maxDecodedBytes: number): CapturedResponse {
  const encoding = res.headers['content-encoding'];
  if (typeof encoding !== 'string' || res.body.length === 0) return res;
  const decode = DECODERS[encoding.trim().toLowerCase()];
  if (!decode) return res;
  try {
    return { ...res, body: decode(res.body, { maxOutputLength: maxDecodedBytes }) };
  } catch {
    return res;
  }
}
