import { describe, expect, it } from 'vitest';
import { latestRunner } from './latest.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request that the test finishes by hand, and a promise that says when it started. */
function controlled() {
  const started = new Map<string, () => void>();
  const finish = new Map<string, (value: string) => void>();
  const fail = new Map<string, (error: Error) => void>();
  const waiting = new Map<string, Promise<void>>();
  const aborted: string[] = [];
  const startedOf = (input: string) => {
    if (!waiting.has(input)) waiting.set(input, new Promise<void>((resolve) => started.set(input, resolve)));
    return waiting.get(input)!;
  };
  const run = (input: string, signal: AbortSignal) => {
    void startedOf(input);
    started.get(input)!();
    return new Promise<string>((resolve, reject) => {
      finish.set(input, resolve);
      fail.set(input, reject);
      signal.addEventListener('abort', () => {
        aborted.push(input);
        reject(new Error(`aborted ${input}`));
      });
    });
  };
  return { run, startedOf, finish, fail, aborted };
}

describe('latestRunner', () => {
  it('debounces bursts of input into one request for the last value', async () => {
    const asked: string[] = [];
    const results: string[] = [];
    const runner = latestRunner<string, string>(20, {
      run: async (input) => {
        asked.push(input);
        return input.toUpperCase();
      },
      onResult: (output) => results.push(output),
      onError: () => {},
    });
    runner.push('d');
    runner.push('do');
    runner.push('dog');
    await sleep(80);
    expect(asked).toEqual(['dog']);
    expect(results).toEqual(['DOG']);
  });

  it('drops the answer to an older query that arrives after a newer one, and aborts it', async () => {
    const requests = controlled();
    const results: string[] = [];
    const errors: string[] = [];
    const runner = latestRunner<string, string>(0, {
      run: requests.run,
      onResult: (output) => results.push(output),
      onError: (error) => errors.push((error as Error).message),
    });
    runner.push('slow');
    await requests.startedOf('slow');
    runner.push('fast');
    await requests.startedOf('fast');
    requests.finish.get('fast')!('fast');
    requests.finish.get('slow')!('slow');
    await sleep(0);
    expect(results).toEqual(['fast']);
    expect(errors).toEqual([]);
    expect(requests.aborted).toEqual(['slow']);
  });

  it('reports the error of the newest request, and nothing of a request cancelled in flight', async () => {
    const requests = controlled();
    const results: string[] = [];
    const errors: string[] = [];
    const busy: boolean[] = [];
    const runner = latestRunner<string, string>(0, {
      run: requests.run,
      onResult: (output) => results.push(output),
      onError: (error) => errors.push((error as Error).message),
      onBusy: (value) => busy.push(value),
    });
    runner.push('bad');
    await requests.startedOf('bad');
    requests.fail.get('bad')!(new Error('disk on fire'));
    await sleep(0);
    runner.push('good');
    await requests.startedOf('good');
    runner.cancel();
    requests.finish.get('good')!('good');
    await sleep(0);
    expect(errors).toEqual(['disk on fire']);
    expect(results).toEqual([]);
    expect(busy.at(-1)).toBe(false);
  });

  it('drops the answer to an older input once a newer one is typed, before the newer request even starts', async () => {
    const requests = controlled();
    const results: string[] = [];
    const runner = latestRunner<string, string>(30, {
      run: requests.run,
      onResult: (output) => results.push(output),
      onError: () => {},
    });
    runner.push('do');
    await requests.startedOf('do');
    runner.push('dog');
    requests.finish.get('do')!('do');
    await sleep(0);
    expect(results).toEqual([]);
    expect(requests.aborted).toEqual(['do']);
    await requests.startedOf('dog');
    requests.finish.get('dog')!('dog');
    await sleep(0);
    expect(results).toEqual(['dog']);
  });
});
