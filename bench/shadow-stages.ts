// A gateway with the shadow's later stages switched off, for the per-stage figures of
// `npm run bench -- --instructions`:
//   node shadow-stages.js DIR full     everything: capture, mirror request, comparison
//   node shadow-stages.js DIR mirror   mirror requests sent and answered, not compared
//   node shadow-stages.js DIR capture  admitted and the primary's answer copied; no mirror
// The differences between them, at 100% sampling, are what each stage costs a request.
// Bench-only: the switches patch the exchange in this process, never the shipped code.
import { startGateway } from '../src/index.js';
import { ShadowExchange } from '../src/shadow/exchange.js';

export type ShadowStage = 'full' | 'mirror' | 'capture';

const [dir, stage = 'full'] = process.argv.slice(2) as [string, ShadowStage];
const exchange = ShadowExchange.prototype as unknown as { run(): void; compare(): unknown; end(result: unknown): void };
if (stage === 'capture') {
  exchange.run = function (this: typeof exchange) {
    this.end('matched');
  };
} else if (stage === 'mirror') {
  exchange.compare = () => 'matched';
}
const { gateway } = await startGateway({ dir });
process.once('SIGINT', () => void gateway.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
