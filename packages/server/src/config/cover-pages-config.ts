// The `coverPages` settings (issue 15): the folder custom cover page templates are read from, and the sender's
// details a cover page shows when a submission does not give them (Windows keeps them as the default FaxSender).

import type { ConfigReader } from './config-reader.js';

/** The sender's fields of a cover page; `""` when not set. */
export interface CoverSenderDefaults {
  readonly name: string;
  readonly company: string;
  readonly faxNumber: string;
  readonly voiceNumber: string;
}

export interface CoverPagesConfig {
  /** Where templates are read from, as `NAME.txt`, at each submission that names one; null: the built-in one only. */
  readonly folder: string | null;
  readonly sender: CoverSenderDefaults;
}

export function readCoverPages(reader: ConfigReader): CoverPagesConfig {
  const sender = reader.object('sender');
  const config: CoverPagesConfig = {
    folder: reader.optionalString('folder'),
    sender: {
      name: sender.string('name', ''),
      company: sender.string('company', ''),
      faxNumber: sender.string('faxNumber', ''),
      voiceNumber: sender.string('voiceNumber', ''),
    },
  };
  sender.finish();
  reader.finish();
  return config;
}
