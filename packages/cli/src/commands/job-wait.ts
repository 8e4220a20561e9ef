// Following one outbound job until it ends, for `fax send --wait`: outgoingJobChanged events as they come, with a
// slow re-read of the job behind them in case events are lost (a server restarted while the stream was down cannot
// replay them).

import type { FaxJobStatus, FaxServer } from '@faxd/client';

/** How often the job is re-read in case an event was lost. */
const RECHECK_MS = 5000;

/**
 * Resolves with the job's final status, calling `onStatus` with each state seen on the way. The caller must have
 * subscribed to fsetOUT_QUEUE before the job was submitted, or its first events may be missed (the re-read then
 * catches up).
 */
export function waitForJobEnd(
  server: FaxServer,
  jobId: string,
  onStatus: (status: FaxJobStatus) => void,
): Promise<FaxJobStatus> {
  return new Promise((resolve, reject) => {
    let ended = false;
    let eventsSeen = 0;
    const timer = setInterval(recheck, RECHECK_MS);

    function stop() {
      ended = true;
      clearInterval(timer);
      server.off('outgoingJobChanged', onChanged);
    }
    function see(status: FaxJobStatus) {
      if (ended) return;
      onStatus(status);
      if (status.isFinal) {
        stop();
        resolve(status);
      }
    }
    function onChanged(changedId: string, status: FaxJobStatus) {
      if (changedId !== jobId) return;
      eventsSeen++;
      see(status);
    }
    async function recheck() {
      const before = eventsSeen;
      try {
        const { status } = await server.getJob(jobId);
        // An answer overtaken by an event is older than what is shown; only an end is worth taking from it.
        if (eventsSeen === before || status.isFinal) see(status);
      } catch (error) {
        if (ended) return;
        stop();
        reject(error);
      }
    }

    server.on('outgoingJobChanged', onChanged);
    void recheck();
  });
}
