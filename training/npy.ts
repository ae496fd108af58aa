import { closeSync, openSync, writeSync } from 'node:fs';

/** Streams rows of a float16 array into a NumPy .npy file whose full shape is known up front. */
export class Float16NpyWriter {
  private readonly fd: number;
  private rows = 0;

  constructor(
    readonly path: string,
    readonly shape: readonly number[],
  ) {
    this.fd = openSync(path, 'w');
    const dict = `{'descr': '<f2', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    const unpadded = 10 + dict.length + 1;
    const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
    const prefix = Buffer.alloc(10);
    prefix.write('\x93NUMPY', 0, 'latin1');
    prefix[6] = 1;
    prefix[7] = 0;
    prefix.writeUInt16LE(header.length, 8);
    writeSync(this.fd, Buffer.concat([prefix, Buffer.from(header, 'latin1')]));
  }

  append(row: Float32Array): void {
    const half = new Uint16Array(row.length);
    for (let i = 0; i < row.length; i++) half[i] = toHalf(row[i]!);
    writeSync(this.fd, new Uint8Array(half.buffer));
    this.rows++;
  }

  close(): void {
    closeSync(this.fd);
    if (this.rows !== this.shape[0]) throw new Error(`${this.path}: wrote ${this.rows} rows, header says ${this.shape[0]}`);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 → binary16, round to nearest even; overflow saturates to ±inf. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}
