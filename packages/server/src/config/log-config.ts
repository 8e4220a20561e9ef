// The `log` settings of the faxd configuration (issue 16 item 4): how much faxd writes to stdout, as JSON lines.

import type { ConfigReader } from './config-reader.js';

/** pino's levels, most severe first; `silent` writes nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogConfig {
  /** The least severe level written: `info` shows every call's progress and every HTTP request. */
  readonly level: LogLevel;
}

export function readLog(reader: ConfigReader): LogConfig {
  const level = reader.string('level', 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    reader.fail('level', `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  }
  reader.finish();
  return { level: level as LogLevel };
}
