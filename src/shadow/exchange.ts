// One mirrored request, from the moment it is admitted to its comparison. The order of
// events is what keeps the client safe:
//   1. admitted: the request body (if any) is teed into a capped copy on its way upstream;
//   2. the primary answers: its body is teed into a capped copy on its way to the client,
//      and once the request body has fully gone upstream, the mirror requests start, in the
//      background, under their own timeout;
//   3. the client's response closes (sent, or abandoned): only now is the primary's copy
//      known to be whole. The exchange then waits for the mirror, compares and settles.
// Nothing the client gets waits for a step after 1, and no failure here is thrown to it.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { BufferedBody, Capture, CaptureTee } from './capture.js';
import { mirrorHeaders, type MirrorResult, type ShadowClient } from './client.js';
import { compareFields } from './compare.js';
import { decodeBody } from './decode.js';
import type { SkipReason } from './mirror-decision.js';
import { flatten, sameResponse, type CapturedResponse, type Fields } from './flatten.js';
import { withoutNoise } from './noise.js';
import type { ShadowState } from './report.js';
import type { CompiledShadow } from './types.js';
import { sendThroughTransform } from '../transform/shadow.js';

export type ExchangeResult = 'matched' | 'mismatched' | 'error';

export interface ExchangeContext {
  cfg: CompiledShadow;
  state: ShadowState;
  client: ShadowClient;
  /** Called exactly once, when the exchange is over, to count it and free its slot. */
  settle(result: ExchangeResult | { skipped: SkipReason }): void;
  onUnexpected(err: unknown): void;
}

type PrimaryHeaders = Record<string, string | string[] | number | undefined>;

type Mirrored = [MirrorResult, MirrorResult | undefined];

export class ShadowExchange {
  /**
   * The request body's tee, to be sent upstream in place of the original stream; a body
   * read whole before it went upstream is its own copy, and is sent as it is.
   */
  readonly body: CaptureTee | BufferedBody | undefined;
  private forwarded: IncomingHttpHeaders | readonly string[] = {};
  private primary: { status: number; headers: PrimaryHeaders; tee: Capture } | undefined;
  private mirror: Promise<Mirrored | undefined> | undefined;
  private readonly abort = new AbortController();
  private over = false;

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly method: string,
    /** The request line's target as the client sent it, for samples. */
    private readonly target: string,
    /** The forwarded path and query, as the primary got them. */
    private readonly path: string,
    body: unknown,
  ) {
    if (Buffer.isBuffer(body)) {
      this.body = new BufferedBody(body, ctx.cfg.maxBodyBytes);
    } else if (body && typeof (body as Readable).pipe === 'function') {
      const source = body as Readable;
      const tee = new CaptureTee(ctx.cfg.maxBodyBytes);
      source.on('error', (err) => tee.destroy(err));
      this.body = source.pipe(tee);
    }
  }

  /** The request headers exactly as forwarded to the primary (an object, or name/value pairs). */
  forwardedHeaders(headers: IncomingHttpHeaders | readonly string[]): void {
    this.forwarded = Array.isArray(headers) ? headers : { ...headers };
  }

  /** The primary's response head has arrived: the mirror requests start now. */
  primaryStart(status: number, headers: PrimaryHeaders): void {
    this.primary = { status, headers, tee: new Capture(this.ctx.cfg.maxResponseBytes) };
    this.mirror = this.startMirror();
  }

  /** A chunk of the primary's body, as it is written to the client. */
  primaryData(chunk: Buffer): void {
    this.primary?.tee.push(chunk);
  }

  /** The primary's body is complete. A primary that never ends stays 'pending': not compared. */
  primaryEnd(): void {
    this.primary?.tee.end();
  }

  private async startMirror(): Promise<Mirrored | undefined> {
    if (this.body && (await this.body.settled) !== 'complete') return undefined;
    if (this.over || this.body?.overflowed) return undefined;
    const body = this.body?.body();
    const { cfg, client } = this.ctx;
    const request = { method: this.method, path: this.path, headers: mirrorHeaders(this.forwarded, body?.length ?? 0), body };
    const signal = this.abort.signal;
    const timer = setTimeout(() => this.abort.abort(), cfg.timeout);
    timer.unref();
    try {
      return await Promise.all([
        // A `via:` candidate is the successor's upstream seen through the transforms.
        cfg.transform
          ? sendThroughTransform(cfg.transform, client, cfg.candidate, request, cfg.maxResponseBytes, cfg.timeout, signal)
          : client.send(cfg.candidate, request, cfg.maxResponseBytes, cfg.timeout, signal),
        cfg.secondary ? client.send(cfg.secondary, request, cfg.maxResponseBytes, cfg.timeout, signal) : undefined,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client's response is over, sent or abandoned. */
  async responseClosed(): Promise<void> {
    if (this.over) return;
    try {
      const skip = this.primarySkip();
      if (skip) return this.end({ skipped: skip });
      const mirrored = await this.mirror;
      if (!mirrored) return this.end({ skipped: 'primary-failed' });
      this.end(this.compare(mirrored));
    } catch (err) {
      this.ctx.onUnexpected(err);
      this.ctx.state.error('internal');
      this.end('error');
    }
  }

  /** Why the primary side cannot be compared, if it cannot. */
  private primarySkip(): SkipReason | undefined {
    if (this.body?.overflowed) return 'body-too-large';
    if (this.body && this.body.state !== 'complete') return 'primary-failed';
    if (!this.primary) return 'primary-failed';
    if (this.primary.tee.overflowed) return 'response-too-large';
    if (this.primary.tee.state !== 'complete') return 'primary-failed';
    return undefined;
  }

  private compare([candidate, secondary]: Mirrored): ExchangeResult | { skipped: SkipReason } {
    const { cfg, state } = this.ctx;
    for (const [side, result] of [
      ['candidate', candidate],
      ['secondary', secondary],
    ] as const) {
      if (!result || result.ok) continue;
      if (result.error === 'too-large') return { skipped: 'response-too-large' };
      state.error(`${side}-${result.error}`);
      return 'error';
    }
    if (!candidate.ok) return 'error'; // unreachable: handled above
    const p = this.primary!;
    const rules = cfg.compare;
    const primary: CapturedResponse = { status: p.status, headers: p.headers, body: p.tee.body()! };
    if (sameResponse(primary, candidate.response, rules) && (!secondary?.ok || sameResponse(primary, secondary.response, rules))) {
      return state.compare(cfg, `${this.method} ${this.target}`, [], [], []);
    }
    const decoded = (res: CapturedResponse) => flatten(decodeBody(res, 4 * cfg.maxResponseBytes), rules);
    const primaryFields = decoded(primary);
    const candidateDiffs = compareFields(primaryFields, decoded(candidate.response), rules.mode);
    let secondaryFields: Fields | undefined;
    let noiseDiffs: ReturnType<typeof compareFields> = [];
    if (secondary?.ok) {
      secondaryFields = decoded(secondary.response);
      noiseDiffs = compareFields(primaryFields, secondaryFields, rules.mode);
    }
    const mismatch = withoutNoise(candidateDiffs, noiseDiffs);
    return state.compare(cfg, `${this.method} ${this.target}`, candidateDiffs, noiseDiffs, mismatch, secondaryFields);
  }

  private end(result: ExchangeResult | { skipped: SkipReason }): void {
    if (this.over) return;
    this.over = true;
    this.abort.abort();
    this.ctx.settle(result);
  }
}
