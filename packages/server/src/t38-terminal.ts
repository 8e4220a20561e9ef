// @faxd/server/t38-terminal: one fax call over T.38 or G.711 RTP on UDP, without the server (for `fax terminal`).

export { ALL_MODEMS } from './lines/fax-station.js';
export {
  type CallCompression,
  type CallMedia,
  type ModemName,
  runT38Call,
  type T38CallOptions,
  type T38CallResult,
} from './lines/t38-call.js';
export { parseUdpEndpoint, type UdpEndpoint } from './lines/udptl-socket.js';
