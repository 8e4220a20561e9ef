// faxd's structured log (issue 16 item 4): one pino root logger per faxd, writing JSON lines to stdout at the level the
// configuration's `log.level` names; the HTTP API and each call log through children of it, so every line of a call
// carries its job and line (call-log.ts) and every line of a request its request id.

import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogConfig } from '../config/log-config.js';

export type { Logger };

/** The root logger: JSON lines on `destination` (stdout unless a test captures them), times in ISO 8601 UTC. */
export function createFaxdLogger(config: LogConfig, destination?: DestinationStream): Logger {
  const options = { level: config.level, base: { name: 'faxd' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
