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

const isPort = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;

function refusePort(option: string, value: string): number {
  process.stderr.write(`sundial start: ${option}: "${value}" is not a port number (0 to 65535)\n\n${USAGE}\n`);
  return 1;
}

function refuse(dir: string, err: ConfigError): number {
  process.stderr.write(`sundial start: the config in ${dir} is invalid, so the gateway did not start:\n`);
  for (const line of err.message.split('\n').slice(1)) process.stderr.write(`  ${line}\n`);
  return 1;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommand(
    'start',
    argv,
    {
      dir: { type: 'string', default: '.' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      'log-level': { type: 'string' },
      'no-watch': { type: 'boolean' },
      workers: { type: 'string', default: '1' },
    },
    USAGE,
  );
  if (typeof args === 'number') return args;
  const v = args.values;
  const port = v.port === undefined ? undefined : Number(v.port);
  const adminPort = v['admin-port'] === undefined ? undefined : Number(v['admin-port']);
  // A bad port is refused before anything is opened, with exit status 1 like every start
  // that fails, so a supervisor or CI script sees it.
  if (port !== undefined && !isPort(port)) return refusePort('--port', v.port!);
  if (adminPort !== undefined && !isPort(adminPort)) return refusePort('--admin-port', v['admin-port']!);

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
  let addresses;
  try {
    addresses = await gateway.listen();
  } catch (err) {
    // EADDRINUSE, EACCES, ...: nothing is served, so the process must not linger.
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    const where = e.port !== undefined ? ` ${e.address ?? ''}:${e.port}` : '';
    process.stderr.write(`sundial start: cannot listen${where}: ${e.code === 'EADDRINUSE' ? 'the address is already in use' : e.message}\n`);
    await Promise.race([gateway.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
    process.exit(1);
  }
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
  // The drain is over and every listener is closed. Timers some dependencies leave behind
  // (undici's keep-alive timers among them) would hold the process for seconds past its
  // drainTimeout; the exit must not wait for them.
  setImmediate(() => process.exit());
  return 0;
}
