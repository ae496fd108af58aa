/** Errors as they travel over any transport: a code the UI can branch on, and a message a person can read. */
import { z } from 'zod';
import { describeIssues, summarizeIssues } from './request-wording.ts';

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
  /** The technical account (what zod or the system said), shown behind a "Details" disclosure or `--verbose`. */
  detail: z.string().optional(),
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
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  static fromBody(body: ErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues, body.detail);
  }

  /** A request to `method` that its schema refused: a sentence per field, zod's own words as the detail. */
  static badRequest(method: string, request: unknown, error: z.ZodError): ApiError {
    const issues = describeIssues(method, request, error.issues);
    return new ApiError('bad_request', summarizeIssues(issues), issues, technicalSummary(`request for ${method}`, error));
  }

  /** Data that broke the contract where nobody typed it (an answer, a file): zod's words, for the detail. */
  static fromZod(what: string, error: z.ZodError): ApiError {
    const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    return new ApiError('bad_request', technicalSummary(what, error), issues);
  }
}

function technicalSummary(what: string, error: z.ZodError): string {
  return `Invalid ${what}: ${error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`;
}
