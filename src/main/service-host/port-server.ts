/** The answering end of src/shared/port-rpc.ts: every call frame is checked, every call gets exactly one reply. */
import { z } from 'zod';
import type { Envelope } from '../../shared/errors.ts';
import type { Frame, Link } from '../../shared/port-rpc.ts';

const CallFrame = z.object({ kind: z.literal('call'), id: z.number().int(), method: z.string().max(200), request: z.unknown() });

export type Answer = (method: string, request: unknown) => Promise<Envelope>;

/** Answers the calls that arrive on this link; other frames (replies, events, for a client on the same link) are left alone. */
export function servePort(link: Link<unknown>, answer: Answer): () => void {
  return link.listen((message) => {
    const call = CallFrame.safeParse(message);
    if (!call.success) return;
    const { id, method, request } = call.data;
    void answer(method, request)
      .catch((error: unknown): Envelope => ({ ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } }))
      .then((envelope) => post(link, { kind: 'reply', id, envelope }));
  });
}

/** Posts a frame; a link whose other end is gone (a closed page, a stopped process) is skipped: nobody is there to read it. */
export function post(link: Link<unknown>, frame: Frame): void {
  try {
    link.post(frame);
  } catch {
    return;
  }
}
