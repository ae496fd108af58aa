/**
 * What the main process and the service process say to each other over the utility process's parent port, besides
 * the contract's own methods and events: how to open the service, photo files for the media protocol, closing, and
 * what only the main process can do (reveal a file, the login item). The renderer's ports never carry these.
 */
import { z } from 'zod';
import { ApiError, Envelope } from '../../shared/errors.ts';
import type { EnvelopeShape } from '../../shared/port-rpc.ts';

export const hostMethods = {
  /** main → service, first: open the service. */
  init: 'host.init',
  /** main → service: a photo or thumbnail for `subspace-media://`. */
  media: 'host.media',
  /** main → service: close the library; the process exits after answering. */
  close: 'host.close',
  /** service → main. */
  reveal: 'shell.reveal',
  startAtLogin: 'shell.startAtLogin',
} as const;

export const ServiceInit = z.object({
  dataDir: z.string().min(1),
  watch: z.boolean(),
  logFile: z.string().nullable(),
  /** What the main process will do when asked; a capability left out is reported absent in `app.info`. */
  shell: z.object({ tray: z.boolean(), revealInFolder: z.boolean(), startAtLogin: z.boolean() }),
});
export type ServiceInit = z.infer<typeof ServiceInit>;

export const MediaRequest = z.object({ kind: z.enum(['photo', 'thumbnail']), photoId: z.string() });

/** A file by path, or bytes made on demand (structured clone turns the service's Buffer into a Uint8Array). */
export const MediaReply = z.union([
  z.object({ contentType: z.string(), path: z.string() }),
  z.object({ contentType: z.string(), data: z.instanceof(Uint8Array) }),
]);
export type MediaReply = z.infer<typeof MediaReply>;

export const RevealRequest = z.object({ path: z.string().min(1) });
export const StartAtLoginRequest = z.object({ enabled: z.boolean() });

/** The result of a reply, or its error thrown as the ApiError it describes. */
export function resultOf(envelope: EnvelopeShape): unknown {
  const parsed = Envelope.safeParse(envelope);
  if (!parsed.success) throw new ApiError('internal', 'The library service sent an unreadable answer.');
  if (!parsed.data.ok) throw ApiError.fromBody(parsed.data.error);
  return parsed.data.result;
}

/** Any failure as an Envelope: an ApiError keeps its code, anything else is `internal`. */
export function failure(error: unknown): Envelope {
  if (error instanceof ApiError) return { ok: false, error: error.toBody() };
  return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
}
