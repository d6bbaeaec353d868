// A pass-through stream that keeps a capped copy of what flows through it. It sits in the
// client's stream (the request body on its way to the primary, or the primary's response on
// its way to the client): every chunk is passed on at once, whatever happens to the copy,
// so the stream is never slowed or held. Past the cap the copy is dropped, not the stream.
import { Transform, type TransformCallback } from 'node:stream';

export type CaptureState = 'pending' | 'complete' | 'failed';

export class CaptureTee extends Transform {
  state: CaptureState = 'pending';
  overflowed = false;
  /** Settles when the stream has ended (complete) or was destroyed first (failed). */
  readonly settled: Promise<CaptureState>;
  private chunks: Buffer[] = [];
  private size = 0;
  private settle!: (state: CaptureState) => void;

  constructor(private readonly cap: number) {
    super();
    this.settled = new Promise((resolve) => (this.settle = resolve));
    this.once('close', () => {
      if (this.state === 'pending') this.finish('failed');
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.overflowed) {
      this.size += chunk.length;
      if (this.size > this.cap) {
        this.overflowed = true;
        this.chunks = [];
      } else {
        this.chunks.push(chunk);
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.finish('complete');
    done();
  }

  /** The whole copy, when the stream completed within the cap. */
  body(): Buffer | undefined {
    return this.state === 'complete' && !this.overflowed ? Buffer.concat(this.chunks) : undefined;
  }

  private finish(state: CaptureState): void {
    this.state = state;
    if (state === 'failed') this.chunks = [];
    this.settle(state);
  }
}
