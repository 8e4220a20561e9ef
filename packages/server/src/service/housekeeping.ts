// What a running faxd tidies on its own, once an hour of its clock: archived faxes past their retention, and the event
// log past its window. A failure is reported and tried again at the next hour; the service runs on either way.

import type { FaxdConfig } from '../config/faxd-config.js';
import type { Archive } from './archive.js';
import type { Clock } from './clock.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

export interface Housekeeping {
  readonly clock: Clock;
  readonly archive: Archive;
  readonly hub: EventHub;
  readonly config: Pick<FaxdConfig, 'archiveRetentionDays' | 'events'>;
}

/** Purges the archive and prunes the event log every hour from now; the function returned stops it. */
export function scheduleHousekeeping(work: Housekeeping): () => void {
  const { clock, archive, hub, config } = work;
  let cancel = () => {};
  const next = () => {
    cancel = clock.wakeAt(clock.now() + HOUSEKEEPING_INTERVAL_MS, () => {
      void archive
        .purge(config.archiveRetentionDays, new Date(clock.now()))
        .catch((error: unknown) => reportFaultToStderr('the archive was not purged', error));
      void hub.prune(config.events);
      next();
    });
  };
  next();
  return () => cancel();
}
