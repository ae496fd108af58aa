/**
 * Request bodies of the HTTP API, read within bounds: one body may not exceed `bodyBytes`, and the bodies
 * held at the same moment (being received, or parsed and not yet answered) may not exceed `inFlightBytes`,
 * so a burst of large requests is refused as busy instead of being buffered without limit.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Envelope } from '../../shared/errors.ts';

export const BodyLimits = z
  .object({
    bodyBytes: z.number().int().positive(),
    inFlightBytes: z.number().int().positive(),
  })
  .refine((limits) => limits.inFlightBytes >= limits.bodyBytes, 'inFlightBytes must allow at least one body of bodyBytes');
export type BodyLimits = z.infer<typeof BodyLimits>;

/** A note of the largest size the contract allows (5,000,000 characters) fits as JSON; a few such at once. */
export const DEFAULT_BODY_LIMITS: BodyLimits = { bodyBytes: 24 * 1024 * 1024, inFlightBytes: 64 * 1024 * 1024 };

export class JsonBodies {
  private inFlight = 0;
  private readonly limits: BodyLimits;

  constructor(limits: BodyLimits) {
    this.limits = BodyLimits.parse(limits);
  }

  /**
   * Reads the request's JSON body (empty: `{}`) and hands it to `use`; its bytes count as in flight until
   * `use` has answered. A refusal may come before the whole body was read (`req.complete` is then false).
   */
  async handle(req: IncomingMessage, use: (body: unknown) => Promise<Envelope>): Promise<Envelope> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return failure('bad_request', 'The body must be JSON (content-type: application/json).');
    }
    if (Number(req.headers['content-length'] ?? 0) > this.limits.bodyBytes) return this.tooLarge();
    let held = 0;
    try {
      const received = await new Promise<Buffer | Envelope>((resolve) => {
        const chunks: Buffer[] = [];
        const finish = (result: Buffer | Envelope) => {
          req.off('data', onData).off('end', onEnd).off('error', onError);
          if (!Buffer.isBuffer(result)) req.pause();
          resolve(result);
        };
        const onData = (chunk: Buffer) => {
          held += chunk.length;
          this.inFlight += chunk.length;
          if (held > this.limits.bodyBytes) return finish(this.tooLarge());
          if (this.inFlight > this.limits.inFlightBytes) {
            return finish(failure('unavailable', 'Subspace is busy receiving other large requests: try again in a moment.'));
          }
          chunks.push(chunk);
        };
        const onEnd = () => finish(Buffer.concat(chunks));
        const onError = () => finish(failure('bad_request', 'The request body could not be read.'));
        req.on('data', onData).on('end', onEnd).on('error', onError);
      });
      if (!Buffer.isBuffer(received)) return received;
      const text = received.toString('utf8');
      if (text.trim() === '') return await use({});
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return failure('bad_request', 'The body is not valid JSON.');
      }
      return await use(body);
    } finally {
      this.inFlight -= held;
    }
  }

  private tooLarge(): Envelope {
    return failure('bad_request', `The body is larger than ${this.limits.bodyBytes / 1024 / 1024} MiB.`);
  }
}

function failure(code: 'bad_request' | 'unavailable', message: string): Envelope {
  return { ok: false, error: { code, message } };
}
