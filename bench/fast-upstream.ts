// The fallback upstream when nginx is not installed: a node server answering every request
// with the same small JSON body, written once. `node fast-upstream.js PORT [PORT...]`
import { createServer } from 'node:http';

const body = Buffer.from('{"id":1,"status":"open","total_cents":4250}');
const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
for (const port of process.argv.slice(2).map(Number)) {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
}
