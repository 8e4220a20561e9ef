// @faxd/protocol: fax protocols and codecs in pure TypeScript (no Node.js APIs, no timers).

export { BitReader } from './bits/bit-reader.js';
export { BitWriter } from './bits/bit-writer.js';
export { concatBytes } from './bits/concat-bytes.js';
export { DecodeError } from './bits/decode-error.js';
export { reverseBits } from './bits/reverse-bits.js';
export * from './hdlc/bit-order.js';
export * from './hdlc/bit-stuffing.js';
export * from './hdlc/fcs.js';
export * from './image/codec.js';
export * from './image/geometry.js';
export * from './image/page.js';
export * from './image/pdf/fax-pdf-writer.js';
export type { TiffPageCoding, TiffPageInfo, TiffStrip } from './image/tiff/tiff-page-info.js';
export * from './image/tiff/tiff-reader.js';
export { CleanFaxData } from './image/tiff/tiff-tags.js';
export * from './image/tiff/tiff-writer.js';
export * from './image/vertical-resolution.js';
export * from './sdp/audio-offer-answer.js';
export * from './sdp/sdp.js';
export * from './sdp/sdp-offer-answer.js';
export * from './sdp/t38-attributes.js';
export * from './sdp/t38-offer-answer.js';
export * from './sip/call-failure.js';
export * from './sip/client-invite-transaction.js';
export * from './sip/client-non-invite-transaction.js';
export * from './sip/cseq.js';
export * from './sip/digest-auth.js';
export type { FaxCallMedia } from './sip/fax-call-sdp.js';
export { md5 } from './sip/md5.js';
export * from './sip/name-addr.js';
export * from './sip/server-invite-transaction.js';
export * from './sip/server-non-invite-transaction.js';
export { sha256 } from './sip/sha256.js';
export { token } from './sip/sip-call-messages.js';
export { SipDecodeError } from './sip/sip-decode-error.js';
export * from './sip/sip-dialog.js';
export * from './sip/sip-fax-call.js';
export { callIdOf, cseqOf, fromOf, maxForwardsOf, toOf, topViaOf, viasOf } from './sip/sip-fields.js';
export { canonicalHeaderName, headerValue, headerValues, isListHeader } from './sip/sip-headers.js';
export * from './sip/sip-message.js';
export type * from './sip/sip-message-types.js';
export * from './sip/sip-request.js';
export * from './sip/sip-response.js';
export * from './sip/sip-stream-framer.js';
export type { SipParams } from './sip/sip-syntax.js';
export * from './sip/sip-uri.js';
export {
  SIP_TIMER_DEFAULTS,
  type SipTimerValues,
  type TransactionOptions,
  type TransactionOutput,
} from './sip/transaction-core.js';
export * from './sip/transaction-key.js';
export * from './sip/via.js';
export * from './t30/capabilities.js';
export * from './t30/copy-quality.js';
export type * from './t30/document-port.js';
export * from './t30/frames/dis-dcs.js';
export * from './t30/frames/dis-dcs-bits.js';
export * from './t30/frames/ecm-frames.js';
export * from './t30/frames/fcf.js';
export * from './t30/frames/ident.js';
export * from './t30/frames/t30-frame.js';
export * from './t30/front-end.js';
export type * from './t30/outcome.js';
export * from './t30/page-document-source.js';
export * from './t30/session.js';
export * from './t30/session-state.js';
export * from './t30/tcf-check.js';
export * from './t30/timers.js';
export * from './t38/ifp-packet.js';
export * from './t38/t38-station.js';
export * from './t38/terminal.js';
export * from './udptl/udptl-packet.js';
export * from './udptl/udptl-receiver.js';
export * from './udptl/udptl-sender.js';
