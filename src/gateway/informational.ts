// A `100 Continue` the upstream sends before its final response. RFC 9110 (section 15.2)
// says a client must parse and skip 1xx responses even when it did not ask for one, but
// undici (7.x) destroys the connection on a 100 it did not expect, so the client got a 502
// for an upstream that answered correctly. Other 1xx codes undici already skips.
//
// The fix lives at undici's parser, the one place that sees a response's first bytes: its
// `execute(chunk)` is wrapped so that a `100 Continue` head at the start of a response is
// dropped before llhttp sees it. The wrapper is installed once, on the parser's class, found
// through the first upstream socket, because undici does not export the class.
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

interface ParserLike {
  statusCode: number;
  statusText: string;
  headers: unknown[];
  execute(chunk: Buffer): void;
}

let installed = false;
const CONTINUE = Buffer.from('HTTP/1.1 100');
const HEAD_END = Buffer.from('\r\n\r\n');

function skipContinue(chunk: Buffer): Buffer {
  // Loops in case several 100 heads arrive together; each is at least 16 bytes long.
  while (chunk.length >= CONTINUE.length && chunk[9] === 0x31 && chunk.subarray(0, CONTINUE.length).equals(CONTINUE)) {
    const end = chunk.indexOf(HEAD_END);
    if (end === -1) break; // a head split across reads is left to undici
    chunk = chunk.subarray(end + HEAD_END.length);
  }
  return chunk;
}

function install(parser: ParserLike): void {
  const proto = Object.getPrototypeOf(parser) as ParserLike;
  const execute = proto.execute;
  if (installed || typeof execute !== 'function') return;
  installed = true;
  proto.execute = function executeSkippingContinue(this: ParserLike, chunk: Buffer) {
    // Only at the start of a response: no status yet and no header seen.
    if (this.statusCode === 0 && this.headers.length === 0 && this.statusText === '' && chunk[0] === 0x48) {
      const rest = skipContinue(chunk);
      if (rest.length === 0) return;
      return execute.call(this, rest);
    }
    return execute.call(this, chunk);
  };
}

function parserOf(socket: Socket): ParserLike | undefined {
  for (const sym of Object.getOwnPropertySymbols(socket)) {
    if (sym.description === 'parser') return (socket as unknown as Record<symbol, ParserLike | undefined>)[sym] ?? undefined;
  }
  return undefined;
}

/** undici's connector, which installs the 100 Continue fix on the first connection. */
export function connectorSkipping100(options: buildConnector.BuildOptions): buildConnector.connector {
  const connect = buildConnector(options);
  return function connectUpstream(opts, callback) {
    return connect(opts, (err, socket) => {
      (callback as (err: Error | null, socket: Socket | null) => void)(err, socket as Socket | null);
      // undici attaches its parser within the callback.
      if (!installed && socket) {
        const parser = parserOf(socket as Socket);
        if (parser) install(parser);
      }
    });
  } as buildConnector.connector;
}
