// One port's live state and its FaxStatus (reference §1.5): what the port is doing now, filled in from the job it
// carries and the T.30 events of the call, read without touching the store so Refresh stays cheap.

import { elapsedTimeOf, type FaxStatus } from '@faxd/contract';
import type { LineConfig } from '../config/faxd-config.js';

/** The FPS_* texts Description shows (FAX_DEVICE_STATUS.Status, winfax.h). */
export type PortDescription = 'Available' | 'Dialing' | 'Sending' | 'Answered' | 'Receiving' | 'Completed';

export interface PortJob {
  readonly direction: 'sending' | 'receiving';
  readonly jobId: string;
  readonly startMs: number;
  address: string;
  callerId: string;
  csid: string;
  tsid: string;
  currentPage: number;
  documentName: string;
  documentSize: number;
  pageCount: number;
  recipientName: string;
  routingString: string;
  senderName: string;
  submittedTime: string;
}

export class PortActivity {
  readonly line: LineConfig;
  job: PortJob | undefined;
  description: PortDescription = 'Available';

  constructor(line: LineConfig) {
    this.line = line;
  }

  status(nowMs: number): FaxStatus {
    const job = this.job;
    const sending = job?.direction === 'sending';
    const receiving = job?.direction === 'receiving';
    const during = <T>(valid: boolean, value: T): T | null => (valid ? value : null);
    return {
      address: during(sending, job?.address ?? ''),
      callerId: during(receiving, job?.callerId ?? ''),
      csid: during(job !== undefined, job?.csid ?? ''),
      currentPage: during(sending, job?.currentPage ?? 0),
      description: this.description,
      deviceId: this.line.id,
      deviceName: this.line.name,
      documentName: during(sending, job?.documentName ?? ''),
      documentSize: during(sending, job?.documentSize ?? 0),
      elapsedTime: job ? elapsedTimeOf(job.startMs, nowMs) : null,
      pageCount: during(sending, job?.pageCount ?? 0),
      receive: receiving,
      recipientName: during(job !== undefined, job?.recipientName ?? ''),
      routingString: during(receiving, job?.routingString ?? ''),
      send: sending,
      senderName: during(sending, job?.senderName ?? ''),
      startTime: job ? new Date(job.startMs).toISOString() : null,
      submittedTime: during(sending, job?.submittedTime ?? ''),
      tsid: during(job !== undefined, job?.tsid ?? ''),
    };
  }
}
