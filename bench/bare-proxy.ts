// Case (c): fastify with @fastify/http-proxy and nothing else, the floor sundial is measured
// against. `node bare-proxy.js PORT UPSTREAM_URL`
import Fastify from 'fastify';
import httpProxy from '@fastify/http-proxy';

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
const app = Fastify({ logger: false });
await app.register(httpProxy, { upstream, prefix: '/v1', rewritePrefix: '' });
await app.listen({ port, host: '127.0.0.1' });
