/**
 * Runs `work` once the page has nothing more urgent to do (after the frame on its way is painted), at most
 * `timeoutMs` later; returns a function that cancels it. Safari has no `requestIdleCallback`: a short timer there.
 */
export function whenIdle(work: () => void, timeoutMs = 200): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(work, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(work, 50);
  return () => clearTimeout(timer);
}
