/** Test helpers: call a service through its dispatcher as a transport does, expecting success or a failure. */
import type { MethodName, RequestOf, ResponseOf } from '../../shared/api.ts';
import { ApiError, type ErrorCode } from '../../shared/errors.ts';
import type { Service } from '../service.ts';

export function serviceCalls(service: () => Service) {
  return {
    async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
      const envelope = await service().dispatch(method, request);
      if (!envelope.ok) throw ApiError.fromBody(envelope.error);
      return envelope.result as ResponseOf<M>;
    },
    async failure(method: string, request: unknown): Promise<{ code: ErrorCode; message: string }> {
      const envelope = await service().dispatch(method, request);
      if (envelope.ok) throw new Error(`${method} succeeded`);
      return envelope.error;
    },
  };
}
