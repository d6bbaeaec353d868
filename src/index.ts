// sundial's programmatic API, as `import { ... } from 'sundial'`: run the gateway from your
// own process, load and check a config directory, and drive schema migrations. The CLI
// (`sundial start`, `sundial check`, `sundial migrate`, ...) is a thin layer over the same.
import { Gateway, type GatewayOptions } from './gateway/gateway.js';

// The gateway
export { Gateway, type GatewayOptions } from './gateway/gateway.js';
export type { ReloadOutcome } from './admin/context.js';

/** Loads the config in `options.dir`, starts both listeners and returns the running gateway and their addresses. */
export async function startGateway(options: GatewayOptions): Promise<{ gateway: Gateway; proxy: string; admin: string }> {
  const gateway = await Gateway.create(options);
  const addresses = await gateway.listen();
  return { gateway, ...addresses };
}

// Config
export { loadConfig, type LoadOptions } from './config/load.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config/errors.js';
export type { CompiledConfig } from './config/compiled.js';

// Errors: the catalogue of stable codes
export { SundialError, catalogue as errorCatalogue, type ErrorEntry } from './errors.js';

// Schema migrations (`sundial migrate`)
export * from './migrate/index.js';
