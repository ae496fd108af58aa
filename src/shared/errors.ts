/** Errors as they travel over any transport: a code the UI can branch on, and a message a person can read. */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'bad_request',
  'unknown_method',
  'not_found',
  'conflict',
  'unavailable',
  'unauthorized',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The HTTP status of each error: browser mode's API answers with it, and so do the desktop app's media requests. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Which request fields were wrong (bad_request only). */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every response of every transport is one of these. */
export const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type Envelope = z.infer<typeof Envelope>;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  static fromBody(body: ErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues);
  }

  static fromZod(what: string, error: z.ZodError): ApiError {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return new ApiError('bad_request', `Invalid ${what}: ${summary}`, issues);
  }
}
