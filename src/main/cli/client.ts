/**
 * The command line's typed client: calls go straight into an in-process service through the same validating
 * dispatcher, or over HTTP to the running app that holds the library.
 */
import { methods, transport, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api.ts';
import { ApiError, Envelope } from '../../shared/errors.ts';
import type { Service } from '../service.ts';

export interface ApiClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
}

export function inProcessClient(service: Service): ApiClient {
  return {
    async call(method, request) {
      return unwrap(method, await service.dispatch(method, request));
    },
  };
}

/** A server of browser mode's API (`POST /api/<method>` with the bearer token); `timeoutMs` bounds each call. */
export function httpClient(server: { origin: string; token: string }, timeoutMs?: number): ApiClient {
  return {
    async call(method, request) {
      const reply = await fetch(`${server.origin}${transport.httpPrefix}${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: timeoutMs === undefined ? null : AbortSignal.timeout(timeoutMs),
      });
      return unwrap(method, Envelope.parse(await reply.json()));
    },
  };
}

function unwrap<M extends MethodName>(method: M, envelope: Envelope): ResponseOf<M> {
  if (!envelope.ok) throw ApiError.fromBody(envelope.error);
  return methods[method].response.parse(envelope.result) as ResponseOf<M>;
}
