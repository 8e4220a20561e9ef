// The Queue page: outgoing and incoming jobs with their FaxJobStatus in words, page progress, retries and schedule,
// and exactly the operations each job's availableOperations allows (cancel, pause, resume, restart); live.

import { type FaxJob, type FaxServer, FAX_JOB_OPERATIONS_ENUM as O, FAX_JOB_STATUS_ENUM as S } from '@faxd/client';
import { baseJobStatus, extendedText, statusText } from '@faxd/contract';
import { useState } from 'preact/hooks';
import { formatTime } from './format.js';
import type { LiveServer, LiveSnapshot } from './live-server.js';
import { ScrollRegion } from './scroll-region.js';
import { errorText } from './session.js';

type Filter = 'active' | 'failed' | 'all';

const FILTERS: readonly { readonly filter: Filter; readonly label: string }[] = [
  { filter: 'active', label: 'Active' },
  { filter: 'failed', label: 'Failed' },
  { filter: 'all', label: 'All' },
];

function shown(job: FaxJob, filter: Filter): boolean {
  switch (filter) {
    case 'active':
      return !job.status.isFinal;
    case 'failed': {
      const base = baseJobStatus(job.status.status);
      return base === S.fjsFAILED || base === S.fjsRETRIES_EXCEEDED;
    }
    case 'all':
      return true;
  }
}

type Operation = 'cancel' | 'pause' | 'resume' | 'restart';

/** Each operation with the availableOperations bit that allows it and what the button says. */
const OPERATIONS: readonly { readonly operation: Operation; readonly bit: number; readonly label: string }[] = [
  { operation: 'pause', bit: O.fjoPAUSE, label: 'Pause' },
  { operation: 'resume', bit: O.fjoRESUME, label: 'Resume' },
  { operation: 'restart', bit: O.fjoRESTART, label: 'Restart' },
  { operation: 'cancel', bit: O.fjoDELETE, label: 'Cancel' },
];

function apply(server: FaxServer, operation: Operation, jobId: string): Promise<FaxJob> {
  switch (operation) {
    case 'cancel':
      return server.cancelJob(jobId);
    case 'pause':
      return server.pauseJob(jobId);
    case 'resume':
      return server.resumeJob(jobId);
    case 'restart':
      return server.restartJob(jobId);
  }
}

/** A CSS class for the status pill: what a person should notice. */
function tone(status: number): string {
  const base = baseJobStatus(status);
  if (base === S.fjsFAILED || base === S.fjsRETRIES_EXCEEDED) return 'bad';
  if (base === S.fjsCOMPLETED) return 'good';
  if (base === S.fjsINPROGRESS || base === S.fjsROUTING) return 'busy';
  return 'quiet';
}

function JobRow(props: { job: FaxJob; live: LiveServer; onError: (text: string) => void }) {
  const { job, live } = props;
  const status = job.status;
  const [busy, setBusy] = useState(false);
  const outgoing = job.direction === 'outgoing';
  const party = outgoing
    ? [job.recipientName, job.recipientNumber].filter(Boolean).join(' · ')
    : [status.tsid, status.callerId].filter(Boolean).join(' · ') || 'unknown caller';
  const detail = extendedText(status.extendedStatusCode, status.extendedStatus);
  const run = async (operation: Operation) => {
    setBusy(true);
    try {
      await apply(live.server, operation, job.jobId);
      await live.refresh();
    } catch (error) {
      props.onError(`Could not ${operation} job ${job.jobId}: ${errorText(error)}`);
    } finally {
      setBusy(false);
    }
  };
  const allowed = OPERATIONS.filter(({ bit }) => (status.availableOperations & bit) !== 0);
  return (
    <tr data-job-id={job.jobId}>
      <td>
        <span class="direction">{outgoing ? '↑ To' : '↓ From'}</span> {party || '—'}
        <div class="sub">{outgoing ? job.documentName : `line ${status.deviceId ?? '—'}`}</div>
      </td>
      <td>
        <span class={`pill pill-${tone(status.status)}`} data-status={status.status}>
          {statusText(status.status)}
        </span>
        {detail !== '' && <div class="sub">{detail}</div>}
      </td>
      <td>
        {status.currentPage >= 1
          ? `${status.currentPage} of ${status.pages}`
          : `${status.pages} ${status.pages === 1 ? 'page' : 'pages'}`}
        {status.currentPage >= 1 && !status.isFinal && (
          <progress max={Math.max(status.pages, 1)} value={status.currentPage} aria-label="Pages sent" />
        )}
      </td>
      <td>{status.retries}</td>
      <td>{outgoing ? formatTime(status.scheduledTime) : formatTime(status.transmissionStart)}</td>
      <td class="actions">
        {allowed.map(({ operation, label }) => (
          <button
            key={operation}
            type="button"
            class={operation === 'cancel' ? 'quiet danger' : 'quiet'}
            disabled={busy}
            onClick={() => void run(operation)}
            aria-label={`${label} job ${job.jobId}`}
          >
            {label}
          </button>
        ))}
      </td>
    </tr>
  );
}

export function QueueView(props: { live: LiveSnapshot; server: LiveServer }) {
  const [filter, setFilter] = useState<Filter>('active');
  const [error, setError] = useState<string | undefined>();
  const jobs = props.live.jobs.filter((job) => shown(job, filter));
  return (
    <section aria-label="Jobs">
      <fieldset class="filters">
        <legend>Show</legend>
        {FILTERS.map((option) => (
          <label key={option.filter}>
            <input
              type="radio"
              name="queue-filter"
              value={option.filter}
              checked={filter === option.filter}
              onChange={() => setFilter(option.filter)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {props.live.queue?.outgoingQueuePaused && (
        <p class="notice">The outgoing queue is paused: waiting faxes start once it is resumed on the Server page.</p>
      )}
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {jobs.length === 0 ? (
        <p class="empty">{filter === 'active' ? 'No jobs in the queue.' : 'No jobs to show.'}</p>
      ) : (
        <ScrollRegion class="table-scroll" label="Jobs table">
          <table class="jobs">
            <thead>
              <tr>
                <th scope="col">Fax</th>
                <th scope="col">Status</th>
                <th scope="col">Pages</th>
                <th scope="col">Retries</th>
                <th scope="col">Scheduled / started</th>
                <th scope="col">
                  <span class="visually-hidden">Operations</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <JobRow key={job.jobId} job={job} live={props.server} onError={setError} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
