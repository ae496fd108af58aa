import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Bytes read from each end of a file. */
const EDGE = 64 * 1024;

/**
 * A content fingerprint that recognises a moved or renamed file without reading all of it: sha256 over the
 * size, the first 64 KiB and the last 64 KiB. Photo files carry unique sensor data and EXIF in those ranges;
 * files up to 128 KiB (most notes) are hashed whole.
 */
export function contentHashOf(bytes: Uint8Array): string {
  const hash = createHash('sha256').update(String(bytes.length)).update(':');
  if (bytes.length <= 2 * EDGE) return hash.update(bytes).digest('hex');
  return hash.update(bytes.subarray(0, EDGE)).update(bytes.subarray(bytes.length - EDGE)).digest('hex');
}

export async function contentHashOfFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size <= 2 * EDGE) return contentHashOf(await file.readFile());
    const head = Buffer.alloc(EDGE);
    const tail = Buffer.alloc(EDGE);
    await file.read(head, 0, EDGE, 0);
    await file.read(tail, 0, EDGE, size - EDGE);
    return createHash('sha256').update(String(size)).update(':').update(head).update(tail).digest('hex');
  } finally {
    await file.close();
  }
}
