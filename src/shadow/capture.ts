// A pass-through stream that keeps a capped copy of what flows through it. It sits in the
// client's stream (the request body on its way to the primary, or the primary's response on
// its way to the client): every chunk is passed on at once, whatever happens to the copy,
// so the stream is never slowed or held. Past the cap the copy is dropped, not the stream.
import { Transform, type TransformCallback } from 'node:stream';

export type CaptureState = 'pending' | 'complete' | 'failed';

/**
 * A capped copy of a response the gateway forwards chunk by chunk (the primary's answer),
 * filled as each chunk is written to the client: no stream of its own, so it costs the
 * client's response nothing but an array push.
 */
export class Capture {
  state: CaptureState = 'pending';
  overflowed = false;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    if (this.overflowed) return;
    this.size += chunk.length;
    if (this.size > this.cap) {
      this.overflowed = true;
      this.chunks = [];
    } else {
      this.chunks.push(chunk);
    }
  }

  end(): void {
    if (this.state === 'pending') this.state = 'complete';
  }

  /** The stream was destroyed before it ended: the partial copy is dropped. */
  fail(): void {
    this.state = 'failed';
    this.chunks = [];
  }

  /** The whole copy, when the stream completed within the cap. */
  body(): Buffer | undefined {
    if (this.state !== 'complete' || this.overflowed) return undefined;
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }
}

/** A {@link Capture} as a stream stage, for bodies that are piped rather than written. */
export class CaptureTee extends Transform {
  /** Settles when the stream has ended (complete) or was destroyed first (failed). */
  readonly settled: Promise<CaptureState>;
  private readonly copy: Capture;
  private settle!: (state: CaptureState) => void;

  constructor(cap: number) {
    super();
    this.copy = new Capture(cap);
    this.settled = new Promise((resolve) => (this.settle = resolve));
    this.once('close', () => {
      if (this.copy.state !== 'pending') return;
      this.copy.fail();
      this.settle('failed');
    });
  }

  get state(): CaptureState {
    return this.copy.state;
  }

  get overflowed(): boolean {
    return this.copy.overflowed;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.copy.push(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.copy.end();
    this.settle('complete');
    done();
  }

  body(): Buffer | undefined {
    return this.copy.body();
  }
}

/** A request body that was read whole before it went upstream: its copy is itself. */
export class BufferedBody {
  readonly state: CaptureState = 'complete';
  readonly settled: Promise<CaptureState> = Promise.resolve('complete');
  readonly overflowed: boolean;
  constructor(
    private readonly buffer: Buffer,
    cap: number,
  ) {
    this.overflowed = buffer.length > cap;
  }
  body(): Buffer | undefined {
    return this.overflowed ? undefined : this.buffer;
  }
}
