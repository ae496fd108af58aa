/** A photo or note id the library does not know (or that has no vector yet); the service answers `not_found`. */
export class NotFoundError extends Error {
  constructor(
    readonly kind: 'photo' | 'note',
    readonly id: string,
    detail = 'is not in the library',
  ) {
    super(`The ${kind} ${id} ${detail}.`);
    this.name = 'NotFoundError';
  }
}

/** A query that cannot be answered as asked (e.g. a selected passage with no text); the service answers `bad_request`. */
export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}
