// Phase C, message transmission without ECM: the page as T.4 data on the image modem (T.30 clause 5, T.4).

import { startEcmPage } from './ecm-send.js';
import type { T30Frame } from './frames/t30-frame.js';
import { PageDataReader, V21 } from './front-end.js';
import { acceptDcs } from './phase-b.js';
import { answerMissingPage, judgeReceivedPage } from './phase-d.js';
import { formatOf, imageModem, type PostPageCommand, type SessionCore, type StateHandler } from './session-core.js';

function postPageCommandFor(core: SessionCore): PostPageCommand {
  const source = core.options.source!;
  const next = core.pageIndex + 1;
  if (next >= source.pageCount) return 'EOP';
  // EOM returns to phase B so that the next page can go out with a new DCS (T.30 Table 2).
  return source.needsNewFormat?.(next) ? 'EOM' : 'MPS';
}

/** Codes page `pageIndex` for the DCS in force and sends it, as one non-ECM carrier or as ECM blocks. */
export function startPage(core: SessionCore) {
  const source = core.options.source!;
  const dcs = core.dcs!;
  core.pageData = source.page(core.pageIndex, formatOf(dcs));
  core.postPageCommand = postPageCommandFor(core);
  core.emit({ type: 'page-started', page: core.pageIndex + 1, of: source.pageCount });
  if (dcs.ecm) return startEcmPage(core);
  core.enter('I');
  core.output({ type: 'send-image', modem: imageModem(dcs), data: new PageDataReader(core.pageData) });
}

/** Sender while the page goes out; the post-message command follows once the front end has sent it all. */
export const sendPageHandler: StateHandler = (core, input) => {
  if (input.type === 'send-done') {
    core.enter('II_Q');
    core.sendCommand([{ type: core.postPageCommand! }]);
    core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
    return;
  }
  // The receiver may give up while we transmit (T.38 delivers its DCN even mid-page).
  if (input.type === 'frame' && input.frame.type === 'DCN') core.finish({ code: 'remote-cancel' }, false);
};

function pageInProgress(core: SessionCore): boolean {
  return core.received.length > 0;
}

/** Receiver after CFR or MCF: page data until the carrier drops, T2 while nothing arrives (T.30 timer T2). */
export const receivePageHandler: StateHandler = (core, input) => {
  switch (input.type) {
    case 'training-received':
    case 'image-carrier':
      core.imageCarrierHeard = true;
      return core.setTimer('T2');
    case 'image-data':
      if (!pageInProgress(core)) core.emit({ type: 'page-started', page: core.pageIndex + 1 });
      core.received.push(input.bytes);
      return core.setTimer('T2');
    case 'image-end':
      if (!pageInProgress(core)) return;
      core.enter('F_POST_DOC_NON_ECM');
      core.setTimer('T2');
      core.output({ type: 'set-receive-modem', modem: V21, hdlc: true });
      return;
    case 'timeout':
      return input.timer === 'T2' && core.receiverT2Expired() ? core.finish({ code: 'T2-expired' }) : undefined;
    case 'frame':
      return receivePageFrame(core, input.frame, input.bytes);
  }
};

function receivePageFrame(core: SessionCore, frame: T30Frame, bytes: Uint8Array) {
  const { type } = frame;
  if (type === 'DCN')
    return core.finish({ code: pageInProgress(core) ? 'remote-cancel' : 'remote-disconnected' }, false);
  if (type === 'DCS') {
    // The sender did not hear our CFR and sent DCS again: start over with its training.
    core.received = [];
    return acceptDcs(core, frame.dcs);
  }
  if (type !== 'MPS' && type !== 'EOP' && type !== 'EOM') return;
  // With data, the carrier end was missed: judge the page now. Without data after an image carrier, the page was sent
  // but not received (its training failed): RTN. With no carrier at all, the sender repeats its last command (our
  // MCF was lost): answer it again.
  if (!pageInProgress(core)) {
    if (core.imageCarrierHeard) return answerMissingPage(core, type, bytes);
    core.answerRepeatedCommand(bytes);
    return;
  }
  judgeReceivedPage(core, type, bytes);
}
