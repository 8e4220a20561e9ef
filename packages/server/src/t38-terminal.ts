// @faxd/server/t38-terminal: one fax call over T.38 on UDP, without the server (for `fax terminal`).

export { type CallCompression, runT38Call, type T38CallOptions, type T38CallResult } from './lines/t38-call.js';
export { parseUdpEndpoint, type UdpEndpoint } from './lines/udptl-socket.js';
