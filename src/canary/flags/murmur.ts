// MurmurHash3 x86 32-bit, exactly as unleash-client computes it (the murmurhash3js package):
// over a string's UTF-16 code units, each cut to its low byte, with the key's length in code
// units. Unleash's flexibleRollout hashes "<groupId>:<key>"; here the "<groupId>:" prefix is
// hashed once, and each key continues from it, so a request builds no string.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h1: number, k1: number): number {
  k1 = Math.imul(k1, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, C2);
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

/** murmur3 x86_32 of `prefix + key`, for many keys after one prefix. */
export class PrefixedMurmur {
  /** The hash state after the prefix's whole 4-byte blocks. */
  private readonly h1: number;
  /** Where the prefix's unhashed tail starts (0 to 3 code units before its end). */
  private readonly done: number;

  constructor(
    private readonly prefix: string,
    seed = 0,
  ) {
    let h1 = seed | 0;
    const blocks = prefix.length - (prefix.length % 4);
    for (let i = 0; i < blocks; i += 4) {
      h1 = mixBlock(
        h1,
        (prefix.charCodeAt(i) & 0xff) |
          ((prefix.charCodeAt(i + 1) & 0xff) << 8) |
          ((prefix.charCodeAt(i + 2) & 0xff) << 16) |
          ((prefix.charCodeAt(i + 3) & 0xff) << 24),
      );
    }
    this.h1 = h1;
    this.done = blocks;
  }

  private unit(key: string, i: number): number {
    const p = this.prefix.length;
    return (i < p ? this.prefix.charCodeAt(i) : key.charCodeAt(i - p)) & 0xff;
  }

  /** The unsigned 32-bit hash of `prefix + key`. */
  hash(key: string): number {
    const length = this.prefix.length + key.length;
    const remainder = length % 4;
    const blocks = length - remainder;
    let h1 = this.h1;
    let i = this.done;
    for (; i < blocks; i += 4) {
      h1 = mixBlock(h1, this.unit(key, i) | (this.unit(key, i + 1) << 8) | (this.unit(key, i + 2) << 16) | (this.unit(key, i + 3) << 24));
    }
    if (remainder > 0) {
      let k1 = this.unit(key, i);
      if (remainder > 1) k1 |= this.unit(key, i + 1) << 8;
      if (remainder > 2) k1 |= this.unit(key, i + 2) << 16;
      k1 = Math.imul(k1, C1);
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = Math.imul(k1, C2);
      h1 ^= k1;
    }
    h1 ^= length;
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    return h1 >>> 0;
  }
}
