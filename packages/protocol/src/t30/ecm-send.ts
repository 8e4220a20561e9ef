// ECM sender: a page as blocks of up to 256 FCD frames, PPS after each block, PPR answered by selective
// retransmission, CTC after four PPRs, EOR when correction fails, RR while the receiver is busy (T.30 Annex A,
// T.4 Annex A).

import { nextLowerRate } from './capabilities.js';
import { ECM_FRAMES_PER_BLOCK } from './frames/ecm-frames.js';
import { encodeT30Frame, type T30Frame } from './frames/t30-frame.js';
import { V21 } from './front-end.js';
import { pageConfirmed } from './phase-d.js';
import { imageModem, type SessionCore, type StateHandler } from './session-core.js';

/** RCP goes out three times after the last FCD of a block (T.4 A.3.6.2). */
const RCP_REPEATS = 3;

function splitIntoBlocks(data: Uint8Array, frameSize: number): Uint8Array[][] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += frameSize)
    frames.push(data.subarray(offset, offset + frameSize));
  if (frames.length === 0) frames.push(new Uint8Array(1));
  const blocks: Uint8Array[][] = [];
  for (let i = 0; i < frames.length; i += ECM_FRAMES_PER_BLOCK) blocks.push(frames.slice(i, i + ECM_FRAMES_PER_BLOCK));
  return blocks;
}

export function startEcmPage(core: SessionCore) {
  const blocks = splitIntoBlocks(core.pageData!, core.dcs!.ecmFrameSize);
  core.ecmSend = { blocks, block: 0, pprs: 0, ctcs: 0, resend: [] };
  sendBlockFrames(
    core,
    blocks[0].map((_, i) => i),
  );
}

/** FCD frames on the image modem, all with the non-final control field (T.4 A.3.6.1), then RCP. */
function sendBlockFrames(core: SessionCore, frameNumbers: readonly number[]) {
  const state = core.ecmSend!;
  const payloads = state.blocks[state.block];
  const frames: T30Frame[] = frameNumbers.map((n) => ({ type: 'FCD', frameNumber: n, data: payloads[n] }));
  for (let i = 0; i < RCP_REPEATS; i++) frames.push({ type: 'RCP' });
  core.enter('IV');
  const bytes = frames.map((frame) => encodeT30Frame(frame, { final: false, xBit: core.xBit }));
  core.output({ type: 'send-hdlc', modem: imageModem(core.dcs!), frames: bytes });
}

/** Sender while a block goes out; PPS follows once the front end has sent it. */
export const sendBlockHandler: StateHandler = (core, input) => {
  if (input.type === 'send-done') return sendPps(core);
  if (input.type === 'frame' && input.frame.type === 'DCN') core.finish({ code: 'remote-cancel' }, false);
};

function sendPps(core: SessionCore) {
  const state = core.ecmSend!;
  const lastBlock = state.block === state.blocks.length - 1;
  core.enter('IV_PPS_Q');
  core.sendCommand([
    {
      type: 'PPS',
      pps: {
        command: lastBlock ? core.postPageCommand! : 'NULL',
        pageCounter: core.pageIndex % 256,
        blockCounter: state.block % 256,
        frameCount: state.blocks[state.block].length,
      },
    },
  ]);
  core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
}

/** Sender after PPS: MCF moves on, PPR resends, RNR starts polling with RR. */
export const waitForPpsResponseHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') return input.timer === 'T4' ? core.repeatCommand() : undefined;
  if (input.type !== 'frame') return;
  const { frame } = input;
  switch (frame.type) {
    case 'MCF':
      return blockConfirmed(core);
    case 'PPR':
      return partialPageRequest(core, frame.frames);
    case 'RNR':
      core.enter('IV_PPS_RNR');
      if (!core.hasTimer('T5')) core.setTimer('T5');
      return core.sendCommand([{ type: 'RR' }]);
    case 'CRP':
      return core.repeatCommand();
    case 'DCN':
      return core.finish({ code: 'remote-disconnected' }, false);
    default:
      return core.finish({ code: 'invalid-response', response: frame.type, awaiting: 'PPS response' });
  }
};

function blockConfirmed(core: SessionCore) {
  const state = core.ecmSend!;
  core.emit({
    type: 'ecm-block',
    page: core.pageIndex + 1,
    block: state.block,
    frames: state.blocks[state.block].length,
    missing: 0,
  });
  if (state.block === state.blocks.length - 1) return pageConfirmed(core, 'MCF');
  state.block++;
  state.pprs = 0;
  state.ctcs = 0;
  sendBlockFrames(
    core,
    state.blocks[state.block].map((_, i) => i),
  );
}

/** T.30 Annex A: after the fourth PPR for a block the sender sends CTC (here one rate lower if possible) or EOR. */
function partialPageRequest(core: SessionCore, requested: readonly number[]) {
  const state = core.ecmSend!;
  const count = state.blocks[state.block].length;
  const frames = requested.filter((n) => n < count);
  if (frames.length === 0) return blockConfirmed(core);
  core.emit({ type: 'ecm-block', page: core.pageIndex + 1, block: state.block, frames: count, missing: frames.length });
  state.pprs++;
  if (state.pprs < core.options.limits.pprsBeforeCtc) return sendBlockFrames(core, frames);
  state.pprs = 0;
  state.resend = frames;
  if (state.ctcs >= core.options.limits.ctcPerBlock) {
    // FCF2 as in the block's PPS: NULL inside the page, the post-page command after its last block.
    const lastBlock = state.block === state.blocks.length - 1;
    core.enter('IV_EOR');
    return core.sendCommand([{ type: 'EOR', command: lastBlock ? core.postPageCommand! : 'NULL' }]);
  }
  state.ctcs++;
  const dcs = core.dcs!;
  const lower = nextLowerRate(dcs, core.remoteDis!, core.options.localDis) ?? dcs;
  state.ctcRate = { modem: lower.modem, bitRate: lower.bitRate };
  core.enter('IV_CTC');
  core.sendCommand([{ type: 'CTC', rate: state.ctcRate }]);
}

/** Sender polling a busy receiver with RR until it answers MCF or PPR, for at most T5. */
export const receiverNotReadyHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') {
    if (input.timer === 'T5') return core.finish({ code: 'T5-expired' });
    return input.timer === 'T4' ? core.repeatCommand() : undefined;
  }
  if (input.type !== 'frame') return;
  if (input.frame.type === 'RNR') return core.sendCommand([{ type: 'RR' }]);
  core.clearTimer('T5');
  waitForPpsResponseHandler(core, input);
};

/** Sender after CTC: CTR confirms the new rate; the frames asked for go out at it. */
export const waitForCtrHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') return input.timer === 'T4' ? core.repeatCommand() : undefined;
  if (input.type !== 'frame') return;
  const state = core.ecmSend!;
  switch (input.frame.type) {
    case 'CTR':
      core.dcs = { ...core.dcs!, ...state.ctcRate };
      core.emit({ type: 'retrain', reason: 'CTC', bitRate: core.dcs.bitRate, modem: core.dcs.modem });
      return sendBlockFrames(core, state.resend);
    case 'CRP':
      return core.repeatCommand();
    case 'DCN':
      return core.finish({ code: 'remote-disconnected' }, false);
    default:
      return core.finish({ code: 'invalid-response', response: input.frame.type, awaiting: 'CTR' });
  }
};

/**
 * Sender after EOR: faxd does not deliver pages with holes, so once ERR confirms, the call ends as an ECM failure with
 * DCN, as SpanDSP's sender does; T.30 leaves carrying on with the next block or page to the sender.
 */
export const waitForErrHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') return input.timer === 'T4' ? core.repeatCommand() : undefined;
  if (input.type !== 'frame') return;
  switch (input.frame.type) {
    case 'ERR':
      return core.finish({ code: 'ecm-failure', page: core.pageIndex + 1 });
    case 'CRP':
      return core.repeatCommand();
    case 'DCN':
      return core.finish({ code: 'remote-disconnected' }, false);
    default:
      return core.finish({ code: 'invalid-response', response: input.frame.type, awaiting: 'ERR' });
  }
};
