/**
 * Runs one table's writes one after another. LanceDB commits are optimistic: two writes racing on the same
 * rows (an update and a merge) can conflict, and one writer per table makes that impossible.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.tail.then(write, write);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
