import { ConfigError } from '../config/errors.js';
import { Gateway } from '../gateway/gateway.js';
import { fail, parseCommandArgs } from './args.js';

const USAGE = `Usage: sundial start [--dir DIR] [--port N] [--admin-port N] [--log-level LEVEL]

Runs the gateway on the config in DIR (default: the current directory), which holds
config/gateway.yaml, versions/*.yaml and routes/*.yaml.

  --dir DIR          config directory (default .)
  --port N           proxy port, overriding listen.port
  --admin-port N     admin port, overriding admin.port
  --log-level LEVEL  fatal, error, warn, info, debug, trace or silent
  --no-watch         do not reload when config files change

Signals: SIGHUP reloads the config; SIGTERM and SIGINT drain in-flight requests and stop.`;

export async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCommandArgs(argv, {
      dir: { type: 'string', default: '.' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      'log-level': { type: 'string' },
      'no-watch': { type: 'boolean' },
    });
  } catch (err) {
    return fail('start', (err as Error).message, USAGE);
  }
  if (args.values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const v = args.values;
  const port = v.port === undefined ? undefined : Number(v.port);
  const adminPort = v['admin-port'] === undefined ? undefined : Number(v['admin-port']);
  if (port !== undefined && !Number.isInteger(port)) return fail('start', `--port: "${v.port}" is not a port number`, USAGE);
  if (adminPort !== undefined && !Number.isInteger(adminPort)) return fail('start', `--admin-port: "${v['admin-port']}" is not a port number`, USAGE);

  let gateway: Gateway;
  try {
    gateway = await Gateway.create({ dir: v.dir!, port, adminPort, logLevel: v['log-level'], watch: v['no-watch'] ? false : undefined });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`sundial start: the config in ${v.dir} is invalid, so the gateway did not start:\n`);
      for (const line of err.message.split('\n').slice(1)) process.stderr.write(`  ${line}\n`);
      return 1;
    }
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
