/**
 * Runs an async request per input after a quiet period and hands back only the answer to the
 * newest input: a slow answer to an older query never overwrites a newer one.
 */
export interface LatestRunner<I> {
  /** Schedules a request for `input` after the debounce delay; a pending one is replaced, an answer still on its way dropped. */
  push(input: I): void;
  /** Drops the pending request and ignores answers still in flight. */
  cancel(): void;
}

export interface LatestHandlers<I, O> {
  run: (input: I, signal: AbortSignal) => Promise<O>;
  onResult: (output: O, input: I) => void;
  onError: (error: unknown, input: I) => void;
  onBusy?: (busy: boolean) => void;
}

export function latestRunner<I, O>(delayMs: number, handlers: LatestHandlers<I, O>): LatestRunner<I> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  let inFlight: AbortController | undefined;

  const start = (input: I): void => {
    const mine = ++generation;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    handlers.onBusy?.(true);
    handlers.run(input, controller.signal).then(
      (output) => {
        if (mine !== generation) return;
        handlers.onBusy?.(false);
        handlers.onResult(output, input);
      },
      (error: unknown) => {
        if (mine !== generation) return;
        handlers.onBusy?.(false);
        handlers.onError(error, input);
      },
    );
  };

  return {
    push(input) {
      clearTimeout(timer);
      // The answer to an older input is stale the moment the input changes: drawing it would only delay the next.
      generation++;
      inFlight?.abort();
      timer = setTimeout(() => start(input), delayMs);
    },
    cancel() {
      clearTimeout(timer);
      generation++;
      inFlight?.abort();
      handlers.onBusy?.(false);
    },
  };
}
