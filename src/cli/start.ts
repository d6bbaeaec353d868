import cluster from 'node:cluster';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { runPrimary } from '../cluster/primary.js';
import { runWorker } from '../cluster/worker.js';
import { Gateway } from '../gateway/gateway.js';
import { fail, parseCommand } from './args.js';

const USAGE = `Usage: sundial start [--dir DIR] [--port N] [--admin-port N] [--workers N] [--log-level LEVEL]

Runs the gateway on the config in DIR (default: the current directory), which holds
config/gateway.yaml, versions/*.yaml and routes/*.yaml.

  --dir DIR          config directory (default .)
  --port N           proxy port, overriding listen.port
  --admin-port N     admin port, overriding admin.port
  --workers N        gateway processes sharing the proxy port (default 1); the primary
                     process then serves the admin API, with every worker's metrics
  --log-level LEVEL  fatal, error, warn, info, debug, trace or silent
  --no-watch         do not reload when config files change

Signals: SIGHUP reloads the config; SIGTERM and SIGINT drain in-flight requests and stop.`;

function refuse(dir: string, err: ConfigError): number {
  process.stderr.write(`sundial start: the config in ${dir} is invalid, so the gateway did not start:\n`);
  for (const line of err.message.split('\n').slice(1)) process.stderr.write(`  ${line}\n`);
  return 1;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand('start', argv, {
      dir: { type: 'string', default: '.' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      'log-level': { type: 'string' },
      'no-watch': { type: 'boolean' },
      workers: { type: 'string', default: '1' },
    }, USAGE);
  if (typeof args === 'number') return args;
  const v = args.values;
  const port = v.port === undefined ? undefined : Number(v.port);
  const adminPort = v['admin-port'] === undefined ? undefined : Number(v['admin-port']);
  if (port !== undefined && !Number.isInteger(port)) return fail('start', `--port: "${v.port}" is not a port number`, USAGE);
  if (adminPort !== undefined && !Number.isInteger(adminPort)) return fail('start', `--admin-port: "${v['admin-port']}" is not a port number`, USAGE);

  const workers = Number(v.workers);
  if (!Number.isInteger(workers) || workers < 1) return fail('start', `--workers: "${v.workers}" is not a whole number of at least 1`, USAGE);
  const options = { dir: v.dir!, port, adminPort, logLevel: v['log-level'], watch: v['no-watch'] ? false : undefined };

  if (cluster.isWorker) {
    await runWorker(options, Number(process.env.SUNDIAL_WORKER_INDEX ?? 0));
    return new Promise<number>(() => {}); // the worker exits when the primary says so
  }
  if (workers > 1) {
    let config;
    try {
      config = loadConfig(v.dir!);
    } catch (err) {
      if (err instanceof ConfigError) return refuse(v.dir!, err);
      throw err;
    }
    return runPrimary({ config, workers, adminPort, logLevel: v['log-level'] });
  }

  let gateway: Gateway;
  try {
    gateway = await Gateway.create(options);
  } catch (err) {
    if (err instanceof ConfigError) return refuse(v.dir!, err);
    throw err;
  }
  const addresses = await gateway.listen();
  gateway.log.info({ proxy: addresses.proxy, admin: addresses.admin, dir: gateway.current.dir }, 'sundial is serving');

  process.on('SIGHUP', () => void gateway.reload('SIGHUP'));
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      gateway.log.info({ signal }, 'draining in-flight requests, then stopping');
      gateway.close().then(resolve, (err) => {
        gateway.log.error({ err }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
