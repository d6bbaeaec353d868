// nginx as the upstream (a fixed small JSON body) and as peer (b): a reverse proxy that adds
// the same deprecation headers sundial adds, on a keep-alive upstream pool.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type Managed } from './processes.js';

const BODY = '{"id":1,"status":"open","total_cents":4250}';

function common(dir: string, workers: string): string {
  for (const sub of ['tmp', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
  return `
worker_processes ${workers};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log crit;
events { worker_connections 4096; }
`;
}

const httpCommon = (dir: string) => `
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
`;

export function nginxUpstream(binary: string, dir: string, ports: number[]): Managed {
  const servers = ports
    .map(
      (p) => `
  server {
    listen 127.0.0.1:${p};
    location / { default_type application/json; return 200 '${BODY}'; }
  }`,
    )
    .join('\n');
  const conf = `${common(dir, '1')}\nhttp {${httpCommon(dir)}${servers}\n}\n`;
  writeFileSync(join(dir, 'upstream.conf'), conf);
  return startProcess('nginx upstream', binary, ['-c', join(dir, 'upstream.conf'), '-p', dir]).managed;
}

export function nginxProxy(binary: string, dir: string, port: number, upstreamPort: number, headers: Record<string, string>, workers = 'auto'): Managed {
  const add = Object.entries(headers)
    .map(([k, v]) => `      add_header ${k} '${v}' always;`)
    .join('\n');
  const conf = `${common(dir, workers)}
http {${httpCommon(dir)}
  upstream up { server 127.0.0.1:${upstreamPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location /v1/ {
      proxy_pass http://up/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
${add}
    }
  }
}
`;
  writeFileSync(join(dir, 'proxy.conf'), conf);
  return startProcess('nginx proxy', binary, ['-c', join(dir, 'proxy.conf'), '-p', dir]).managed;
}
