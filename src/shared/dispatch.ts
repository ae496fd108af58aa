/**
 * The receiving end of every transport: validates the method name and the request, calls the handler,
 * validates what it returns, and turns any outcome into an Envelope. Pure: the transport does the I/O.
 */
import { z } from 'zod';
import { isMethodName, methods, type MethodName, type ParsedRequestOf, type ResponseOf } from './api.ts';
import { ApiError, type Envelope } from './errors.ts';
import { describeAction } from './method-actions.ts';

/** `signal` aborts when the caller is gone (the page dropped the request); handlers may stop early. */
export type Handlers = { [M in MethodName]: (request: ParsedRequestOf<M>, signal?: AbortSignal) => Promise<ResponseOf<M>> };

export type Dispatch = (method: unknown, request: unknown, signal?: AbortSignal) => Promise<Envelope>;

export function createDispatcher(handlers: Handlers, onInternalError: (method: string, error: unknown) => void): Dispatch {
  return async (method, request, signal) => {
    if (!isMethodName(method)) {
      const name = typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : `a ${typeof method}`;
      return { ok: false, error: new ApiError('unknown_method', `Unknown method ${name}.`).toBody() };
    }
    try {
      const result = await call(handlers, method, request, signal);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      if (signal?.aborted) return { ok: false, error: new ApiError('unavailable', `The request to ${describeAction(method)} was cancelled.`).toBody() };
      onInternalError(method, error);
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        error: {
          code: 'internal',
          message: `Something went wrong: Subspace could not ${describeAction(method)}.`,
          detail: `${method} failed: ${message}`,
        },
      };
    }
  };
}

async function call<M extends MethodName>(handlers: Handlers, method: M, request: unknown, signal: AbortSignal | undefined): Promise<ResponseOf<M>> {
  const schema = methods[method];
  const parsed = schema.request.safeParse(request ?? {});
  if (!parsed.success) throw ApiError.badRequest(method, request ?? {}, parsed.error);
  const handler = handlers[method] as (request: ParsedRequestOf<M>, signal?: AbortSignal) => Promise<ResponseOf<M>>;
  const response = await handler(parsed.data as ParsedRequestOf<M>, signal);
  // A response that breaks the contract is our bug: report it as internal, never pass it on.
  const checked = (schema.response as z.ZodType).safeParse(response);
  if (!checked.success) throw new Error(`response broke the contract: ${z.prettifyError(checked.error)}`);
  return checked.data as ResponseOf<M>;
}
