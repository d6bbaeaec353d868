// One mirrored request, from the moment it is admitted to its comparison. The order of
// events is what keeps the client safe:
//   1. admitted: the request body (if any) is teed into a capped copy on its way upstream;
//   2. the primary answers: each chunk of its body is copied (capped) as it is written to
//      the client, and its head is kept as undici gave it, unparsed;
//   3. the client's response closes (sent and flushed, or abandoned): only now is the
//      primary's copy known to be whole, and only now does shadow work begin. The mirror
//      requests are queued (batch.ts) and sent once the loop has answered its clients;
//   4. when every mirror is over, the comparison is queued in turn, compared and settled.
// Nothing the client gets waits for a step after 2, and no failure here is thrown to it.
import { BufferedBody, Capture, CaptureTee } from './capture.js';
import { MirrorCall, mirrorHeaderPairs, mirrorHeaders, type MirrorOwner, type MirrorResult, type ShadowClient } from './client.js';
import type { Deferred } from './batch.js';
import { compareFields } from './compare.js';
import { decodeBody } from './decode.js';
import type { SkipReason } from './mirror-decision.js';
import { flatten, sameResponse, type CapturedResponse, type Fields } from './flatten.js';
import { withoutNoise } from './noise.js';
import type { ShadowState } from './report.js';
import type { CompiledShadow } from './types.js';
import { capturedOf, sameRawResponse, type RawResponse } from './raw-response.js';
import { sendThroughTransform } from '../transform/shadow.js';

export type ExchangeResult = 'matched' | 'mismatched' | 'error';

/** What an exchange needs of the service that admitted it. */
export interface ExchangeOwner {
  readonly client: ShadowClient;
  /** Runs the exchange's next step (its mirrors, then its comparison) after the clients of this loop turn. */
  defer(exchange: ShadowExchange, step: 'mirror' | 'compare'): void;
  /** Called exactly once, when the exchange is over, to count it and free its slot. */
  settle(exchange: ShadowExchange, result: ExchangeResult | { skipped: SkipReason }): void;
  /** A comparison failed in a way it should not: logged, and counted as an internal error. */
  unexpected(exchange: ShadowExchange, err: unknown): void;
}

type Phase = 'primary' | 'mirror' | 'compare' | 'over';
const NO_PAIRS: readonly string[] = Object.freeze([]);

export class ShadowExchange implements MirrorOwner, Deferred {
  /**
   * The request body's tee, to be sent upstream in place of the original stream; a body
   * read whole before it went upstream is its own copy, and is sent as it is.
   */
  readonly body: CaptureTee | BufferedBody | undefined;
  private forwarded: readonly string[] = NO_PAIRS;
  private status = 0;
  private primaryHeaders: Buffer[] | undefined;
  private capture: Capture | undefined;
  private candidate: MirrorCall | undefined;
  private secondary: MirrorCall | undefined;
  /** A `via:` candidate's answer, carried back through the transforms. */
  private transformed: MirrorResult | undefined;
  private abort: AbortController | undefined;
  private waiting = 0;
  private phase: Phase = 'primary';

  constructor(
    private readonly owner: ExchangeOwner,
    readonly cfg: CompiledShadow,
    readonly state: ShadowState,
    private readonly method: string,
    /** The request line's target as the client sent it, for samples. */
    private readonly target: string,
    /** The forwarded path and query, as the primary got them. */
    private readonly path: string,
    body: unknown,
  ) {
    if (Buffer.isBuffer(body)) {
      this.body = new BufferedBody(body, cfg.maxBodyBytes);
    } else if (body && typeof (body as NodeJS.ReadableStream).pipe === 'function') {
      const source = body as NodeJS.ReadableStream & { on(e: 'error', f: (err: Error) => void): void };
      const tee = new CaptureTee(cfg.maxBodyBytes);
      source.on('error', (err) => tee.destroy(err));
      this.body = source.pipe(tee);
    }
  }

  /** The request headers exactly as forwarded to the primary, as name/value pairs. */
  forwardedHeaders(headers: readonly string[]): void {
    this.forwarded = headers;
  }

  /** The primary's response head, as undici gave it (parsed only if it is compared). */
  primaryStart(status: number, headers: Buffer[]): void {
    this.status = status;
    this.primaryHeaders = headers;
    this.capture = new Capture(this.cfg.maxResponseBytes);
  }

  /** A chunk of the primary's body, as it is written to the client. */
  primaryData(chunk: Buffer): void {
    this.capture?.push(chunk);
  }

  /** The primary's body is complete. A primary that never ends stays 'pending': not compared. */
  primaryEnd(): void {
    this.capture?.end();
  }

  /** The client's response is over, sent or abandoned: the shadow's turn. */
  responseClosed(): void {
    if (this.phase !== 'primary') return;
    const skip = this.primarySkip();
    if (skip) return this.end({ skipped: skip });
    this.phase = 'mirror';
    this.owner.defer(this, 'mirror');
  }

  run(): void {
    if (this.phase === 'mirror') this.sendMirrors();
    else if (this.phase === 'compare') this.end(this.compare());
  }

  /** Why the primary side cannot be compared, if it cannot. */
  private primarySkip(): SkipReason | undefined {
    if (this.body?.overflowed) return 'body-too-large';
    if (this.body && this.body.state !== 'complete') return 'primary-failed';
    if (!this.capture) return 'primary-failed';
    if (this.capture.overflowed) return 'response-too-large';
    if (this.capture.state !== 'complete') return 'primary-failed';
    return undefined;
  }

  private sendMirrors(): void {
    const cfg = this.cfg;
    const client = this.owner.client;
    const body = this.body?.body();
    const length = body?.length ?? 0;
    this.waiting = cfg.secondary ? 2 : 1;
    if (cfg.transform) {
      // A `via:` candidate is the successor's upstream seen through the transforms.
      this.abort = new AbortController();
      const request = { method: this.method, path: this.path, headers: mirrorHeaders(this.forwarded, length), body };
      sendThroughTransform(cfg.transform, client, cfg.candidate, request, cfg.maxResponseBytes, cfg.timeout, this.abort.signal).then(
        (result) => {
          this.transformed = result;
          this.mirrorDone();
        },
        (err) => {
          this.transformed = { ok: false, error: 'other' };
          this.owner.unexpected(this, err);
        },
      );
    } else {
      const headers = mirrorHeaderPairs(this.forwarded, cfg.candidate.host, length);
      this.candidate = new MirrorCall(this, cfg.candidate, this.method, this.path, headers, body, cfg.maxResponseBytes);
      client.dispatch(this.candidate, cfg.timeout);
    }
    if (cfg.secondary) {
      const headers = mirrorHeaderPairs(this.forwarded, cfg.secondary.host, length);
      this.secondary = new MirrorCall(this, cfg.secondary, this.method, this.path, headers, body, cfg.maxResponseBytes);
      client.dispatch(this.secondary, cfg.timeout);
    }
  }

  /** One mirror is over; when all are, the comparison waits its turn. */
  mirrorDone(): void {
    if (--this.waiting > 0 || this.phase !== 'mirror') return;
    this.phase = 'compare';
    this.owner.defer(this, 'compare');
  }

  private compare(): ExchangeResult | { skipped: SkipReason } {
    const { cfg, state } = this;
    const candidateError = this.transformed ? (this.transformed.ok ? undefined : this.transformed.error) : this.candidate!.error;
    const secondaryError = this.secondary?.error;
    for (const [side, error] of [
      ['candidate', candidateError],
      ['secondary', secondaryError],
    ] as const) {
      if (error === 'too-large') return { skipped: 'response-too-large' };
      if (error === undefined) continue;
      state.error(`${side}-${error}`);
      return 'error';
    }
    const rules = cfg.compare;
    const primary: RawResponse = { status: this.status, headers: this.primaryHeaders!, body: this.capture!.body()! };
    const candidate = this.candidate?.raw();
    const secondary = this.secondary?.raw();
    // The common case, identical answers, on the raw heads: no parse, no walk, no string.
    const same = candidate
      ? sameRawResponse(primary, candidate, rules)
      : sameResponse(capturedOf(primary), (this.transformed as { response: CapturedResponse }).response, rules);
    if (same && (!secondary || sameRawResponse(primary, secondary, rules))) return state.compare(cfg, '', [], [], []);
    const decoded = (res: CapturedResponse) => flatten(decodeBody(res, 4 * cfg.maxResponseBytes), rules);
    const primaryFields = decoded(capturedOf(primary));
    const candidateResponse = candidate ? capturedOf(candidate) : (this.transformed as { response: CapturedResponse }).response;
    const candidateDiffs = compareFields(primaryFields, decoded(candidateResponse), rules.mode);
    let secondaryFields: Fields | undefined;
    let noiseDiffs: ReturnType<typeof compareFields> = [];
    if (secondary) {
      secondaryFields = decoded(capturedOf(secondary));
      noiseDiffs = compareFields(primaryFields, secondaryFields, rules.mode);
    }
    const mismatch = withoutNoise(candidateDiffs, noiseDiffs);
    return state.compare(cfg, `${this.method} ${this.target}`, candidateDiffs, noiseDiffs, mismatch, secondaryFields);
  }

  /** Settles the exchange (once; later calls do nothing). */
  end(result: ExchangeResult | { skipped: SkipReason }): void {
    if (this.phase === 'over') return;
    this.phase = 'over';
    this.abort?.abort();
    this.owner.settle(this, result);
  }
}
