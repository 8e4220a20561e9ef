// @faxd/protocol: fax protocols and codecs in pure TypeScript (no Node.js APIs, no timers).
export { DecodeError } from './bits/decode-error.js';
export * from './image/codec.js';
export * from './image/geometry.js';
export * from './image/page.js';
