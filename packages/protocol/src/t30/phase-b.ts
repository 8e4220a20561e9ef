// Phase B, pre-message procedure: DIS/DTC, DCS, TCF, CFR/FTT and rate fall-back (T.30 clause 5, Table 2, Figure 5-2).

import { negotiate, nextLowerRate } from './capabilities.js';
import type { Dcs, Dis } from './frames/dis-dcs.js';
import type { DcsFlag } from './frames/dis-dcs-bits.js';
import type { T30Frame } from './frames/t30-frame.js';
import { V21 } from './front-end.js';
import { startPage } from './phase-c.js';
import { imageModem, type SessionCore, type StateHandler } from './session-core.js';
import { TcfCheck } from './tcf-check.js';

/** TCF lasts 1.5 s ± 10 % (T.30). */
export const TCF_DURATION_MS = 1500;

/** The burst that opens phase B: CSI and DIS from the answering station, CIG and DTC from a calling poller. */
export function sendIdentification(core: SessionCore) {
  const { role, ident, localDis, password } = core.options;
  const frames: T30Frame[] = [];
  if (role === 'answering') {
    if (ident) frames.push({ type: 'CSI', ident });
    frames.push({ type: 'DIS', dis: localDis });
  } else {
    if (ident) frames.push({ type: 'CIG', ident });
    if (password && core.remoteDis?.flags.has('password')) frames.push({ type: 'PWD', ident: password });
    frames.push({ type: 'DTC', dis: localDis });
  }
  core.sendCommand(frames);
}

export const idleHandler: StateHandler = (core, input) => {
  if (input.type !== 'start') return;
  core.setTimer('T1');
  if (core.options.role === 'calling') {
    core.enter('T');
    return;
  }
  core.enter('R');
  sendIdentification(core);
};

/** The calling station waits for DIS. A sender negotiates; a receiver (polling) answers with DTC. */
export const waitForDisHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout' && input.timer === 'T1') return core.finish({ code: 'T1-expired' });
  if (input.type !== 'frame') return;
  const { frame } = input;
  if (frame.type === 'DCN') return core.finish({ code: 'remote-disconnected' }, false);
  if (frame.type !== 'DIS') return;
  core.remoteDis = frame.dis;
  core.emit({ type: 'remote-capabilities', frame: 'DIS', dis: frame.dis });
  if (core.options.direction === 'send') return startNegotiation(core, frame.dis);
  if (!frame.dis.flags.has('readyToTransmit')) return core.finish({ code: 'remote-cannot-transmit' });
  core.enter('R');
  sendIdentification(core);
};

/** DIS or DTC sent; repeated every T4 until a command comes or T1 runs out (T.30 Figure 5-2). */
export const waitForCommandHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') {
    if (input.timer === 'T1') return core.finish({ code: 'T1-expired' });
    if (input.timer === 'T4') {
      core.commandTries = 0;
      return core.repeatCommand();
    }
    return;
  }
  if (input.type !== 'frame') return;
  const { frame } = input;
  if (frame.type === 'DCN') return core.finish({ code: 'remote-disconnected' }, false);
  if (frame.type === 'DCS' && core.options.direction === 'receive') return acceptDcs(core, frame.dcs);
  if (frame.type === 'DTC' && core.options.direction === 'send') {
    core.remoteDis = frame.dis;
    core.emit({ type: 'remote-capabilities', frame: 'DTC', dis: frame.dis });
    startNegotiation(core, frame.dis);
  }
};

function startNegotiation(core: SessionCore, remote: Dis) {
  const result = negotiate(core.options.localDis, remote);
  if ('incompatible' in result) {
    if (result.incompatible === 'remote-cannot-receive') return core.finish({ code: 'remote-cannot-receive' });
    return core.finish({ code: 'incompatible', reason: result.incompatible });
  }
  core.clearTimer('T1');
  core.dcs = result;
  core.emit({ type: 'negotiated', dcs: result });
  sendDcsAndTcf(core);
}

/** TSI, the optional SUB and SID the receiver offered to take, DCS, then TCF on the image modem. */
export function sendDcsAndTcf(core: SessionCore) {
  const { ident, subaddress, senderId } = core.options;
  const remoteFlags = core.remoteDis?.flags;
  const frames: T30Frame[] = [];
  const flags = new Set<DcsFlag>(core.dcs!.flags);
  if (ident) frames.push({ type: 'TSI', ident });
  if (subaddress && remoteFlags?.has('subaddress')) {
    frames.push({ type: 'SUB', ident: subaddress });
    flags.add('subaddress');
  }
  if (senderId && remoteFlags?.has('password')) {
    frames.push({ type: 'SID', ident: senderId });
    flags.add('senderId');
  }
  core.dcs = { ...core.dcs!, flags };
  frames.push({ type: 'DCS', dcs: core.dcs });
  core.enter('D');
  core.sendCommand(frames, [{ type: 'send-tcf', modem: imageModem(core.dcs), durationMs: TCF_DURATION_MS }]);
  core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
}

/** Sender after DCS and TCF: CFR starts phase C; FTT steps down a rate (T.30 leaves the order to the sender). */
export const waitForTrainingResponseHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') return input.timer === 'T4' ? core.repeatCommand() : undefined;
  if (input.type !== 'frame') return;
  const { frame } = input;
  const dcs = core.dcs!;
  switch (frame.type) {
    case 'CFR':
      core.emit({ type: 'training', bitRate: dcs.bitRate, ok: true });
      return startPage(core);
    case 'FTT':
      return fallBack(core, dcs);
    case 'DIS':
    case 'CRP':
      // A DIS here means the receiver never heard our DCS: T.30 Figure 5-2 repeats DCS, counted as a try.
      return core.repeatCommand();
    case 'DCN':
      return core.finish({ code: 'remote-disconnected' }, false);
    default:
      return core.finish({ code: 'invalid-response', response: frame.type, awaiting: 'CFR' });
  }
};

function fallBack(core: SessionCore, dcs: Dcs) {
  core.emit({ type: 'training', bitRate: dcs.bitRate, ok: false });
  const lower = nextLowerRate(dcs, core.remoteDis!, core.options.localDis);
  if (!lower) return core.finish({ code: 'cannot-train' });
  core.dcs = lower;
  core.emit({ type: 'retrain', reason: 'FTT', bitRate: lower.bitRate });
  core.emit({ type: 'negotiated', dcs: lower });
  sendDcsAndTcf(core);
}

/** The receiver takes DCS if it selects only what our DIS offered, then listens for TCF on the image modem. */
export function acceptDcs(core: SessionCore, dcs: Dcs) {
  const local = core.options.localDis;
  const offered =
    local.modems.has(dcs.modem) &&
    local.bitRates.has(dcs.bitRate) &&
    local.compressions.has(dcs.compression) &&
    local.resolutions.has(dcs.resolution) &&
    (local.ecm || !dcs.ecm);
  if (!offered) return core.finish({ code: 'incompatible', reason: 'dcs-not-offered' });
  core.clearTimer('T1');
  core.dcs = dcs;
  core.awaitingDcnAfter = undefined;
  core.emit({ type: 'negotiated', dcs });
  core.tcf = new TcfCheck();
  core.enter('F_TCF');
  core.setTimer('T2');
  core.output({ type: 'set-receive-modem', modem: imageModem(dcs), hdlc: false });
}

/** Receiver checks TCF and answers CFR (then phase C) or FTT (then waits for a new DCS). */
export const receiveTcfHandler: StateHandler = (core, input) => {
  switch (input.type) {
    case 'training-received':
      return core.setTimer('T2');
    case 'image-data':
      core.tcf!.add(input.bytes);
      return core.setTimer('T2');
    case 'image-end':
      return answerTraining(core);
    case 'timeout':
      // No TCF within T2 counts as a failed training: FTT asks the sender to try again.
      return input.timer === 'T2' ? answerTraining(core) : undefined;
    case 'frame':
      if (input.frame.type === 'DCS') return acceptDcs(core, input.frame.dcs);
      if (input.frame.type === 'DCN') return core.finish({ code: 'remote-disconnected' }, false);
  }
};

function answerTraining(core: SessionCore) {
  const dcs = core.dcs!;
  const { ok } = core.tcf!.result(dcs.bitRate);
  core.emit({ type: 'training', bitRate: dcs.bitRate, ok });
  if (!ok) {
    core.enter('F');
    core.setTimer('T2');
    core.sendFrames([{ type: 'FTT' }]);
    core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
    return;
  }
  core.enter(dcs.ecm ? 'F_DOC_ECM' : 'F_DOC_NON_ECM');
  core.setTimer('T2');
  core.received = [];
  core.imageCarrierHeard = false;
  core.sendFrames([{ type: 'CFR' }]);
  core.output({ type: 'set-receive-modem', modem: imageModem(dcs), hdlc: dcs.ecm });
}
