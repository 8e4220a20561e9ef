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
export * from './sip/auth/digest-auth.js';
export { md5 } from './sip/auth/md5.js';
export { sha256 } from './sip/auth/sha256.js';
export * from './sip/call/call-failure.js';
export type { FaxCallMedia } from './sip/call/fax-call-sdp.js';
export { token } from './sip/call/sip-call-messages.js';
export * from './sip/call/sip-dialog.js';
export * from './sip/call/sip-fax-call.js';
export * from './sip/message/cseq.js';
export * from './sip/message/name-addr.js';
export { SipDecodeError } from './sip/message/sip-decode-error.js';
export { callIdOf, cseqOf, fromOf, maxForwardsOf, toOf, topViaOf, viasOf } from './sip/message/sip-fields.js';
export { canonicalHeaderName, headerValue, headerValues, isListHeader } from './sip/message/sip-headers.js';
export * from './sip/message/sip-message.js';
export type * from './sip/message/sip-message-types.js';
export * from './sip/message/sip-request.js';
export * from './sip/message/sip-response.js';
export * from './sip/message/sip-stream-framer.js';
export type { SipParams } from './sip/message/sip-syntax.js';
export * from './sip/message/sip-uri.js';
export * from './sip/message/via.js';
export * from './sip/transaction/client-invite-transaction.js';
export * from './sip/transaction/client-non-invite-transaction.js';
export * from './sip/transaction/server-invite-transaction.js';
export * from './sip/transaction/server-non-invite-transaction.js';
export {
  SIP_TIMER_DEFAULTS,
  type SipTimerValues,
  type TransactionOptions,
  type TransactionOutput,
} from './sip/transaction/transaction-core.js';
export * from './sip/transaction/transaction-key.js';
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
