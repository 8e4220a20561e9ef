// Test support: a T.30 session made to spoil what it sends, for the failure paths real lines take (T.30 Annex A ECM).
import { decodeT30Frame } from '../t30/frames/t30-frame.js';
import type { T30Output } from '../t30/front-end.js';
import type { T30Session } from '../t30/session.js';

/**
 * Makes `session`'s ECM frame `frameNumber` never reach the line, however often it is sent: a block the receiver can
 * never complete, so the sender goes through PPR, CTC and at last EOR.
 */
export function losingFrame(session: T30Session, frameNumber: number): void {
  const lost = (bytes: Uint8Array) => {
    const { frame } = decodeT30Frame(bytes);
    return frame.type === 'FCD' && frame.frameNumber === frameNumber;
  };
  const filter = (outputs: T30Output[]) =>
    outputs.map((o) => (o.type === 'send-hdlc' ? { ...o, frames: o.frames.filter((bytes) => !lost(bytes)) } : o));
  const receive = session.receive.bind(session);
  const advance = session.advance.bind(session);
  session.receive = (input, now) => filter(receive(input, now));
  session.advance = (now) => filter(advance(now));
}
