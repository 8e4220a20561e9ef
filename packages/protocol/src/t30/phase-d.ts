// Phase D, post-message procedure: MPS/EOM/EOP answered MCF, RTP or RTN, and the sender's reaction (T.30
// Table 2, Figure 5-2).

import { concatBytes } from '../bits/concat-bytes.js';
import { judgeCopyQuality } from './copy-quality.js';
import type { PageQuality } from './document-port.js';
import { V21 } from './front-end.js';
import { acceptDcs, sendDcsAndTcf, sendIdentification } from './phase-b.js';
import { startPage } from './phase-c.js';
import { formatOf, imageModem, type PostPageCommand, type SessionCore, type StateHandler } from './session-core.js';

/** Sender after MPS, EOM or EOP. */
export const waitForPostPageResponseHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout') return input.timer === 'T4' ? core.repeatCommand() : undefined;
  if (input.type !== 'frame') return;
  switch (input.frame.type) {
    case 'MCF':
    case 'RTP':
      return pageConfirmed(core, input.frame.type);
    case 'RTN':
      return pageRejected(core);
    case 'CRP':
      return core.repeatCommand();
    case 'DCN':
      return core.finish({ code: 'remote-disconnected' }, false);
    default:
      return core.finish({ code: 'invalid-response', response: input.frame.type, awaiting: 'MCF' });
  }
};

/**
 * The receiver kept the page. A durable source's caller records that first (II_RECORD); then the sender goes on.
 */
export function pageConfirmed(core: SessionCore, result: 'MCF' | 'RTP') {
  core.emit({ type: 'page-done', page: core.pageIndex + 1, result });
  core.pageRejections = 0;
  core.pageIndex++;
  if (!core.options.source!.durable) return goOnAfterPage(core, result);
  core.enter('II_RECORD');
  core.recording = result;
  core.setTimer('T4');
}

/**
 * Sender holding its next step until the page confirmed is recorded. The page is the receiver's whatever happens to
 * the record, so a record that fails or takes longer than T4 holds the call no longer: the receiver waits T2 (6 s)
 * for the next command, and a call it gives up on is one whose pages count delivered at one end and not the other.
 */
export const waitForPageRecordHandler: StateHandler = (core, input) => {
  const result = core.recording!;
  if (input.type === 'page-recorded' || (input.type === 'timeout' && input.timer === 'T4')) {
    core.recording = undefined;
    return goOnAfterPage(core, result);
  }
  if (input.type === 'frame' && input.frame.type === 'DCN') {
    // The receiver hung up first: after the last page that is the end of a fax it has whole.
    const whole = core.postPageCommand === 'EOP';
    core.finish(whole ? { code: 'ok', pages: core.pageIndex } : { code: 'remote-disconnected' }, false);
  }
};

/**
 * After a page confirmed: after EOP the call ends; after EOM phase B starts over with the receiver's DIS; RTP asks
 * for a new DCS and TCF before the next page; MCF after MPS goes straight on (T.30 Figure 5-2).
 */
function goOnAfterPage(core: SessionCore, result: 'MCF' | 'RTP') {
  const command = core.postPageCommand!;
  if (command === 'EOP') return core.finish({ code: 'ok', pages: core.pageIndex });
  if (result === 'RTP' && !countRetrain(core, 'RTP')) return;
  if (command === 'EOM') {
    core.enter('T');
    core.setTimer('T1');
    return;
  }
  if (result === 'RTP') return sendDcsAndTcf(core);
  startPage(core);
}

/** RTN: the page was too damaged. Retrain and send it again, a limited number of times. */
function pageRejected(core: SessionCore) {
  core.emit({ type: 'page-done', page: core.pageIndex + 1, result: 'RTN' });
  core.pageRejections++;
  if (core.pageRejections >= core.options.limits.pageTries) {
    return core.finish({ code: 'page-rejected', page: core.pageIndex + 1 });
  }
  if (countRetrain(core, 'RTN')) sendDcsAndTcf(core);
}

function countRetrain(core: SessionCore, reason: 'RTP' | 'RTN'): boolean {
  core.retrains++;
  if (core.retrains > core.options.limits.retrains) {
    core.finish({ code: 'too-many-retrains' });
    return false;
  }
  core.emit({ type: 'retrain', reason, bitRate: core.dcs!.bitRate });
  return true;
}

/** Receiver: judges a complete page (always MCF with ECM, which is error-free) and hands it to the sink unless RTN. */
function deliverPage(core: SessionCore, chunks: readonly Uint8Array[]) {
  const sink = core.options.sink!;
  const data = concatBytes(chunks);
  const format = formatOf(core.dcs!);
  const quality = sink.assessPage(data, format);
  const verdict = format.ecm ? 'MCF' : judgeCopyQuality(quality, core.options.copyQuality);
  if (verdict !== 'RTN') sink.storePage({ page: core.pageIndex + 1, data, format, quality });
  return { verdict, quality };
}

/** The page in hand is answered: a confirmed one counts as received. */
function pageDone(core: SessionCore, result: 'MCF' | 'RTP' | 'RTN', quality: PageQuality) {
  const page = core.pageIndex + 1;
  if (result !== 'RTN') core.pageIndex++;
  core.emit({
    type: 'page-done',
    page,
    result,
    rows: quality.rows,
    badRows: quality.badRows,
    consecutiveBadRows: quality.consecutiveBadRows,
  });
}

/**
 * Receiver has a whole page and the command after it (MPS, EOM or EOP; a final PPS with ECM) and answers it, or, while
 * a durable sink writes the page, holds the answer in F_STORE_PAGE.
 */
export function answerPage(
  core: SessionCore,
  command: PostPageCommand,
  bytes: Uint8Array,
  chunks: Uint8Array[],
  reply?: 'ERR',
) {
  const { verdict, quality } = deliverPage(core, chunks);
  if (verdict !== 'RTN' && core.options.sink!.durable) {
    core.enter('F_STORE_PAGE');
    core.storing = { command, bytes, verdict, quality, reply: reply ?? verdict };
    core.setTimer('T2');
    return;
  }
  pageDone(core, verdict, quality);
  core.answer(bytes, [{ type: reply ?? verdict }]);
  afterAnswer(core, command, verdict);
}

/** Receiver got MPS, EOM or EOP after a non-ECM page: judge it and answer. */
export function judgeReceivedPage(core: SessionCore, command: PostPageCommand, bytes: Uint8Array) {
  const chunks = core.received;
  core.received = [];
  core.imageCarrierHeard = false;
  answerPage(core, command, bytes, chunks);
}

/**
 * Receiver got MPS, EOM or EOP after an image carrier that brought no page (it did not train): nothing to keep, so
 * RTN asks the sender to retrain and send the page again (T.30 Figure 5-2); MCF would count it delivered.
 */
export function answerMissingPage(core: SessionCore, command: PostPageCommand, bytes: Uint8Array) {
  core.imageCarrierHeard = false;
  pageDone(core, 'RTN', { rows: 0, badRows: 0, consecutiveBadRows: 0 });
  core.answer(bytes, [{ type: 'RTN' }]);
  afterAnswer(core, command, 'RTN');
}

/**
 * Receiver holding its answer while a durable sink writes the page. Stored: the held MCF or RTP goes out. Not stored,
 * or not within T2: DCN. T.30 has no answer for "received but not kept": RTN asks the sender to retrain and send the
 * page again, which does not mend a full disk, and a PPS (ECM) has no RTN answer at all; DCN ends the call with the
 * page unconfirmed in both modes, so the sender counts it undelivered and may call again later. A command the sender
 * repeats meanwhile (T4) is answered by the held answer when it goes.
 */
export const waitForPageStoreHandler: StateHandler = (core, input) => {
  const held = core.storing!;
  if (input.type === 'page-stored') {
    core.storing = undefined;
    if (!input.ok) return core.finish({ code: 'page-not-stored', page: core.pageIndex + 1 });
    pageDone(core, held.verdict, held.quality);
    core.answer(held.bytes, [{ type: held.reply }]);
    return afterAnswer(core, held.command, held.verdict);
  }
  if (input.type === 'timeout' && input.timer === 'T2') {
    core.storing = undefined;
    return core.finish({ code: 'page-not-stored', page: core.pageIndex + 1 });
  }
  if (input.type === 'frame' && input.frame.type === 'DCN') core.finish({ code: 'remote-cancel' }, false);
};

/** Where the receiver goes after answering a post-message command (T.30 Figure 5-2, receiver side). */
export function afterAnswer(core: SessionCore, command: PostPageCommand, verdict: 'MCF' | 'RTP' | 'RTN') {
  if (command === 'EOP') return waitForCommand(core, verdict === 'RTN' ? 'RTN' : 'EOP');
  if (verdict === 'RTN') return waitForCommand(core, 'RTN');
  if (command === 'EOM') {
    core.enter('R');
    core.setTimer('T1');
    return sendIdentification(core);
  }
  if (verdict === 'RTP') return waitForCommand(core);
  const dcs = core.dcs!;
  core.enter(dcs.ecm ? 'F_DOC_ECM' : 'F_DOC_NON_ECM');
  core.setTimer('T2');
  core.output({ type: 'set-receive-modem', modem: imageModem(dcs), hdlc: dcs.ecm });
}

export function waitForCommand(core: SessionCore, after?: 'EOP' | 'RTN' | 'ERR') {
  core.enter('F');
  core.awaitingDcnAfter = after;
  core.setTimer('T2');
  core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
}

/** Receiver after the page carrier: waits for the post-message command; a garbled one is answered CRP. */
export const waitForPostPageCommandHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout')
    return input.timer === 'T2' && core.receiverT2Expired() ? core.finish({ code: 'T2-expired' }) : undefined;
  if (input.type === 'bad-frame') {
    core.sendFrames([{ type: 'CRP' }]);
    return;
  }
  if (input.type !== 'frame') return;
  const { type } = input.frame;
  if (type === 'MPS' || type === 'EOP' || type === 'EOM') return judgeReceivedPage(core, type, input.bytes);
  if (type === 'DCN') core.finish({ code: 'remote-cancel' }, false);
};

/** Receiver waiting for a command: a new DCS, a repeated command, or the DCN that ends the call. */
export const waitForCommandHandler: StateHandler = (core, input) => {
  if (input.type === 'timeout' && input.timer === 'T2') {
    if (!core.receiverT2Expired()) return;
    // After MCF to EOP every page is confirmed; a lost DCN does not make the call a failure.
    if (core.awaitingDcnAfter === 'EOP') return core.finish({ code: 'ok', pages: core.pageIndex });
    return core.finish({ code: 'T2-expired' });
  }
  if (input.type === 'bad-frame') {
    core.sendFrames([{ type: 'CRP' }]);
    return;
  }
  if (input.type !== 'frame') return;
  const { frame } = input;
  if (frame.type === 'DCS') return acceptDcs(core, frame.dcs);
  if (frame.type === 'DCN') return finishOnDcn(core);
  core.answerRepeatedCommand(input.bytes);
};

function finishOnDcn(core: SessionCore) {
  switch (core.awaitingDcnAfter) {
    case 'EOP':
      return core.finish({ code: 'ok', pages: core.pageIndex }, false);
    case 'RTN':
      return core.finish({ code: 'page-rejected', page: core.pageIndex + 1 }, false);
    case 'ERR':
      return core.finish({ code: 'ecm-failure', page: core.pageIndex + 1 }, false);
    default:
      return core.finish({ code: 'remote-disconnected' }, false);
  }
}
