// ECM receiver: collects FCD frames of a block, answers PPS with MCF or PPR, CTC with CTR, EOR with ERR (then follows
// the sender on to the next block or page) and RR with its last answer (T.30 Annex A, T.4 Annex A).

import type { PartialPageSignal } from './frames/ecm-frames.js';
import type { T30Frame } from './frames/t30-frame.js';
import { acceptDcs } from './phase-b.js';
import { afterAnswer, answerPage, waitForCommand } from './phase-d.js';
import { imageModem, type PostPageCommand, type SessionCore, type StateHandler } from './session-core.js';

export const receiveEcmHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout')
    return input.timer === 'T2' && core.receiverT2Expired() ? core.finish({ code: 'T2-expired' }) : undefined;
  // A frame with a bad FCS may be an FCD frame; the PPS that follows lists it as missing, so it is simply dropped.
  if (input.type === 'frame') receiveEcmFrame(core, input.frame, input.bytes);
};

function receiveEcmFrame(core: SessionCore, frame: T30Frame, bytes: Uint8Array) {
  const rx = core.ecmReceive;
  switch (frame.type) {
    case 'FCD':
      if (!rx.pageStarted) core.emit({ type: 'page-started', page: core.pageIndex + 1 });
      rx.pageStarted = true;
      rx.frames.set(frame.frameNumber, frame.data);
      rx.framesSinceAnswer++;
      return core.setTimer('T2');
    case 'RCP':
      return core.setTimer('T2');
    case 'PPS':
      if (rx.framesSinceAnswer === 0 && core.answerRepeatedCommand(bytes)) return;
      return answerWhenReady(core, frame.pps, bytes);
    case 'CTC':
      core.dcs = { ...core.dcs!, modem: frame.rate.modem, bitRate: frame.rate.bitRate };
      core.emit({ type: 'retrain', reason: 'CTC', bitRate: frame.rate.bitRate, modem: frame.rate.modem });
      core.answer(bytes, [{ type: 'CTR' }]);
      return core.output({ type: 'set-receive-modem', modem: imageModem(core.dcs), hdlc: true });
    case 'EOR':
      // The sender gives the block up: none of its frames, nor its size, may stand in for the next block's.
      rx.frames.clear();
      rx.blockFrames = undefined;
      return answerEor(core, frame.command, bytes);
    case 'RR':
      // RR asks again for the answer to the last PPS, or for one to a PPS held with RNR.
      if (rx.heldPps) return answerWhenReady(core, rx.heldPps.pps, rx.heldPps.bytes);
      return core.repeatLastAnswer();
    case 'DCS':
      return acceptDcs(core, frame.dcs);
    case 'DCN':
      return core.finish({ code: rx.pageStarted ? 'remote-cancel' : 'remote-disconnected' }, false);
  }
}

/**
 * T.30 Annex A: ERR accepts that the block is given up, and the sender carries on as EOR's FCF2 says: NULL, with the
 * page's next block on the image carrier; MPS, EOM or EOP, past the page's end. The page keeps the blocks that did
 * arrive, as a fax machine prints a page with a hole (its unreadable rows count as bad), and the call goes on as after
 * MCF: the next page, phase B again, or the DCN. A page of which nothing arrived is not kept; after EOR-EOP the call
 * then ends as an ECM failure. (SpanDSP's sender hangs up after ERR; others send the rest of the document.)
 */
function answerEor(core: SessionCore, fcf2: PartialPageSignal['command'], bytes: Uint8Array) {
  const rx = core.ecmReceive;
  const command = postPageCommandOf(fcf2);
  if (command === undefined) {
    core.answer(bytes, [{ type: 'ERR' }]);
    core.enter('F_DOC_ECM');
    core.setTimer('T2');
    return core.output({ type: 'set-receive-modem', modem: imageModem(core.dcs!), hdlc: true });
  }
  const blocks = rx.blocks;
  rx.blocks = [];
  rx.pageStarted = false;
  if (blocks.length > 0) return answerPage(core, command, bytes, blocks, 'ERR');
  core.answer(bytes, [{ type: 'ERR' }]);
  if (command === 'EOP') return waitForCommand(core, 'ERR');
  afterAnswer(core, command, 'MCF');
}

function postPageCommandOf(command: PartialPageSignal['command']): PostPageCommand | undefined {
  switch (command) {
    case 'MPS':
    case 'PRI-MPS':
      return 'MPS';
    case 'EOM':
    case 'PRI-EOM':
      return 'EOM';
    case 'EOP':
    case 'PRI-EOP':
      return 'EOP';
    default:
      return undefined;
  }
}

/** RNR while the sink is busy; the sender polls with RR (for up to T5) until the PPS can be answered. */
function answerWhenReady(core: SessionCore, pps: PartialPageSignal, bytes: Uint8Array) {
  const rx = core.ecmReceive;
  rx.framesSinceAnswer = 0;
  if (core.options.sink!.ready?.() === false) {
    rx.heldPps = { pps, bytes };
    core.sendFrames([{ type: 'RNR' }]);
    return;
  }
  rx.heldPps = undefined;
  answerPps(core, pps, bytes);
}

/**
 * MCF when every frame 0..count-1 of the block is in hand, else PPR listing the missing ones. The count is the larger
 * of this PPS's and the block's first PPS's (T.30 Annex A: the PPS gives the block's size; a sender that counts only
 * the frames it resent would otherwise have a block confirmed without its later frames).
 */
function answerPps(core: SessionCore, pps: PartialPageSignal, bytes: Uint8Array) {
  const rx = core.ecmReceive;
  const frameCount = Math.max(pps.frameCount, rx.blockFrames ?? 0);
  const missing: number[] = [];
  for (let n = 0; n < frameCount; n++) if (!rx.frames.has(n)) missing.push(n);
  core.emit({
    type: 'ecm-block',
    page: core.pageIndex + 1,
    block: pps.blockCounter,
    frames: frameCount,
    missing: missing.length,
  });
  rx.framesSinceAnswer = 0;
  if (missing.length > 0) {
    rx.blockFrames = frameCount;
    core.answer(bytes, [{ type: 'PPR', frames: missing }]);
    return;
  }
  for (let n = 0; n < frameCount; n++) rx.blocks.push(rx.frames.get(n)!);
  rx.frames.clear();
  rx.blockFrames = undefined;
  const command = postPageCommandOf(pps.command);
  if (command === undefined) {
    core.answer(bytes, [{ type: 'MCF' }]);
    return;
  }
  const blocks = rx.blocks;
  rx.blocks = [];
  rx.pageStarted = false;
  answerPage(core, command, bytes, blocks);
}
