// One port's live state and its FaxStatus (reference §1.5): what the port is doing now, filled in from the job it
// carries and the T.30 events of the call, read without touching the store so Refresh stays cheap. Which properties
// are null in which activity is the contract's FAX_STATUS_FIELDS, applied by faxStatusDuring.

import { elapsedTimeOf, type FaxPortCall, type FaxStatus, faxStatusDuring } from '@faxd/contract';
import type { LineConfig } from '../config/faxd-config.js';

/** The FPS_* texts Description shows (FAX_DEVICE_STATUS.Status, winfax.h). */
export type PortDescription = 'Available' | 'Dialing' | 'Sending' | 'Answered' | 'Receiving' | 'Completed' | 'Aborting';

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
  /** The call's media, modem and rate once its fax session has begun (FaxPortInfo.call, not part of FaxStatus). */
  call?: FaxPortCall;
}

export class PortActivity {
  readonly line: Pick<LineConfig, 'id' | 'name'>;
  job: PortJob | undefined;
  description: PortDescription = 'Available';

  constructor(line: Pick<LineConfig, 'id' | 'name'>) {
    this.line = line;
  }

  status(nowMs: number): FaxStatus {
    const job = this.job;
    // Idle, the job's values are placeholders that faxStatusDuring replaces with null.
    return faxStatusDuring(job?.direction ?? 'idle', {
      address: job?.address ?? '',
      callerId: job?.callerId ?? '',
      csid: job?.csid ?? '',
      currentPage: job?.currentPage ?? 0,
      description: this.description,
      deviceId: this.line.id,
      deviceName: this.line.name,
      documentName: job?.documentName ?? '',
      documentSize: job?.documentSize ?? 0,
      elapsedTime: job ? elapsedTimeOf(job.startMs, nowMs) : 0,
      pageCount: job?.pageCount ?? 0,
      recipientName: job?.recipientName ?? '',
      routingString: job?.routingString ?? '',
      senderName: job?.senderName ?? '',
      startTime: job ? new Date(job.startMs).toISOString() : '',
      submittedTime: job?.submittedTime ?? '',
      tsid: job?.tsid ?? '',
    });
  }
}
