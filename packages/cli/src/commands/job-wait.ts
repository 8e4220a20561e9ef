// Following outbound jobs until they end, for `fax send --wait`: outgoingJobChanged events as they come, with a slow
// re-read of the jobs behind them in case events are lost (a server restarted while the stream was down cannot
// replay them).

import type { FaxJobStatus, FaxServer } from '@faxd/client';

/** How often the jobs are re-read in case an event was lost. */
const RECHECK_MS = 5000;

/** Reads the present state of the jobs being followed (one request for all of them, whatever their number). */
export type JobsReader = () => Promise<readonly FaxJobStatus[]>;

/**
 * Resolves with the final status of each of `jobIds`, in their order, calling `onStatus` with each state seen on the
 * way; `reread` gives the jobs' present states when the events may have missed some. The caller must have subscribed
 * to fsetOUT_QUEUE before the jobs were submitted, or their first events may be missed (the re-read then catches up).
 */
export function waitForJobsEnd(
  server: FaxServer,
  jobIds: readonly string[],
  reread: JobsReader,
  onStatus: (status: FaxJobStatus) => void,
): Promise<FaxJobStatus[]> {
  return new Promise((resolve, reject) => {
    const finals = new Map<string, FaxJobStatus>();
    /** Events seen per job, so that a re-read overtaken by an event is not taken for news. */
    const eventsSeen = new Map<string, number>(jobIds.map((id) => [id, 0]));
    let ended = false;
    const timer = setInterval(recheck, RECHECK_MS);

    function stop() {
      ended = true;
      clearInterval(timer);
      server.off('outgoingJobChanged', onChanged);
    }
    function see(status: FaxJobStatus) {
      if (ended || !eventsSeen.has(status.jobId) || finals.has(status.jobId)) return;
      onStatus(status);
      if (!status.isFinal) return;
      finals.set(status.jobId, status);
      if (finals.size < jobIds.length) return;
      stop();
      resolve(jobIds.map((id) => finals.get(id) as FaxJobStatus));
    }
    function onChanged(changedId: string, status: FaxJobStatus) {
      const seen = eventsSeen.get(changedId);
      if (seen === undefined) return;
      eventsSeen.set(changedId, seen + 1);
      see(status);
    }
    async function recheck() {
      const before = new Map(eventsSeen);
      try {
        for (const status of await reread()) {
          // An answer overtaken by an event is older than what is shown; only an end is worth taking from it.
          if (eventsSeen.get(status.jobId) === before.get(status.jobId) || status.isFinal) see(status);
        }
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

/** Resolves with the job's final status, calling `onStatus` with each state seen on the way (see waitForJobsEnd). */
export async function waitForJobEnd(
  server: FaxServer,
  jobId: string,
  onStatus: (status: FaxJobStatus) => void,
): Promise<FaxJobStatus> {
  const reread = async () => [(await server.getJob(jobId)).status];
  const [final] = await waitForJobsEnd(server, [jobId], reread, onStatus);
  return final;
}
