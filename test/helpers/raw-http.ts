// Sends bytes exactly as given over a TCP connection and reads the response, for the cases
// an HTTP client would tidy up (Connection headers, malformed request lines, odd bytes).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  head: string;
  headers: Record<string, string>;
  body: string;
}

/** The request should carry Connection: close (or be one the server refuses). */
export function rawRequest(baseUrl: string, bytes: Buffer | string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const [statusLine, ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), head, headers, body: split === -1 ? '' : text.slice(split + 4) });
    });
    // Write without ending: a half-closed socket makes Node drop a request in progress. The
    // request asks for Connection: close, or is malformed, so the server closes when done.
    socket.setTimeout(10_000, () => socket.destroy());
    socket.write(bytes);
  });
}
