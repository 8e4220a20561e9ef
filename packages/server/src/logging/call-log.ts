// The log of each call (issue 16 item 4), written from the hub's job events rather than from inside the call: while
// a job is on a line (fjsINPROGRESS, fjsCANCELING, and a reception's routing) its changes go through a child logger
// bound to its jobId and lineId, one child per attempt or reception, so every line of a call names both. Changes off
// a line (queued, a retry scheduled, an expiry) carry the jobId alone, at debug: the queue's story, not a call's.

import {
  baseJobStatus,
  FAX_JOB_STATUS_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  type FaxJobStatus,
  type FaxServerEvent,
  maskOfAll,
  nameOf,
} from '@faxd/contract';
import type { EventHub } from '../service/event-hub.js';
import type { Logger } from './faxd-logger.js';

const S = FAX_JOB_STATUS_ENUM;
/** A call's states; a reception's fjsROUTING is still its story (its fax being stored and routed), told to its end. */
const OF_A_CALL = new Set<number>([S.fjsINPROGRESS, S.fjsCANCELING, S.fjsROUTING]);

/** What a log line says of a job's FaxJobStatus. */
function fieldsOf(status: FaxJobStatus) {
  return {
    status: nameOf(S, baseJobStatus(status.status)) ?? status.status,
    extendedStatus: status.extendedStatus,
    extendedStatusCode: status.extendedStatusCode,
    currentPage: status.currentPage,
    pages: status.pages,
    ...(status.csid && { csid: status.csid }),
    ...(status.tsid && { tsid: status.tsid }),
  };
}

export class CallLog {
  readonly #root: Logger;
  /** The logger of each job now on a line, bound to its jobId and lineId. */
  readonly #calls = new Map<string, Logger>();
  readonly #unsubscribe: () => void;

  private constructor(hub: EventHub, root: Logger) {
    this.#root = root;
    this.#unsubscribe = hub.subscribe(maskOfAll(FAX_SERVER_EVENTS_TYPE_ENUM), (event) => this.#onEvent(event));
  }

  /** Logs the calls of the jobs `hub` announces from now on, through children of `root`. */
  static follow(hub: EventHub, root: Logger): CallLog {
    return new CallLog(hub, root);
  }

  close(): void {
    this.#unsubscribe();
  }

  #onEvent(event: FaxServerEvent): void {
    if (event.event === 'outgoingJobChanged') this.#changed('outgoing', event.jobId, event.status);
    else if (event.event === 'incomingJobChanged') this.#changed('incoming', event.jobId, event.status);
    else if (event.event === 'outgoingJobRemoved' || event.event === 'incomingJobRemoved') {
      this.#root.debug({ jobId: event.jobId }, 'job left the queue');
    }
  }

  #changed(direction: 'outgoing' | 'incoming', jobId: string, status: FaxJobStatus): void {
    const onLine = OF_A_CALL.has(baseJobStatus(status.status));
    let call = this.#calls.get(jobId);
    if (!call && onLine && status.deviceId !== null) {
      call = this.#root.child({ jobId, lineId: status.deviceId, direction });
      this.#calls.set(jobId, call);
      call.info(fieldsOf(status), direction === 'outgoing' ? 'call placed' : 'call answered');
    } else if (call && onLine) {
      call.info(fieldsOf(status), 'call progress');
    } else if (call) {
      this.#calls.delete(jobId);
      call.info(fieldsOf(status), 'call ended');
    } else {
      this.#root.debug({ jobId, direction, ...fieldsOf(status) }, 'job changed');
    }
  }
}
