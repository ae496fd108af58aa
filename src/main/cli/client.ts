/** The command line's typed client: calls go straight into the service through the same validating dispatcher. */
import { events, methods, type EventName, type EventOf, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api.ts';
import { ApiError } from '../../shared/errors.ts';
import type { Service } from '../service.ts';

export interface ApiClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export function inProcessClient(service: Service): ApiClient {
  return {
    async call(method, request) {
      const envelope = await service.dispatch(method, request);
      if (!envelope.ok) throw ApiError.fromBody(envelope.error);
      return methods[method].response.parse(envelope.result) as ResponseOf<typeof method>;
    },
    on(event, listener) {
      return service.subscribe((name, payload) => {
        if (name === event) listener(events[event].parse(payload) as EventOf<typeof event>);
      });
    },
  };
}
