import { setPriority } from 'node:os';

/** How much lower than the app the indexing work runs (a nice value; higher yields more). */
export const INDEXING_NICENESS = 10;

/**
 * Puts the calling thread below the threads that answer queries. On Linux the nice value is per thread, and
 * threads created from this one afterwards (ONNX Runtime's intra-op pool) inherit it, so a query gets the
 * cores first and indexing takes what is left. Returns false where the system does not allow it.
 */
export function lowerThreadPriority(): boolean {
  try {
    setPriority(0, INDEXING_NICENESS);
    return true;
  } catch {
    return false;
  }
}
