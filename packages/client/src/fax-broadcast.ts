// FaxBroadcast: one submission to many recipients as a whole (the jobs that share a FaxOutgoingJob.SubmissionId), with
// Refresh and Cancel over GET /v1/broadcasts/{id} and POST /v1/broadcasts/{id}/cancel; and what submit answers for one.

import {
  API_PREFIX,
  type FaxBroadcastCounts,
  type FaxBroadcast as FaxBroadcastData,
  type FaxBroadcastRecipient,
} from '@faxd/contract';
import type { FaxJob } from './fax-job.js';
import { type HttpClient, segment } from './http-client.js';

/** What `FaxServer.submit({ recipients, … })` resolves with: the broadcast's id and its jobs in recipient order. */
export interface SubmittedBroadcast {
  readonly broadcastId: string;
  /** One job per recipient, in the order of `recipients`, as the server accepted them (usually pending). */
  readonly jobs: readonly FaxJob[];
}

function broadcastPath(broadcastId: string): string {
  return `${API_PREFIX}/broadcasts/${segment(broadcastId)}`;
}

/** GET /v1/broadcasts/{id}. */
export function readBroadcast(http: HttpClient, broadcastId: string): Promise<FaxBroadcastData> {
  return http.getJson<FaxBroadcastData>(broadcastPath(broadcastId));
}

/** POST /v1/broadcasts/{id}/cancel: the broadcast as the cancel left it. */
export function cancelBroadcast(http: HttpClient, broadcastId: string): Promise<FaxBroadcastData> {
  return http.sendJson<FaxBroadcastData>('POST', `${broadcastPath(broadcastId)}/cancel`);
}

/** A snapshot of a broadcast: each recipient's job and status, and how many jobs stand where. */
export class FaxBroadcast {
  readonly #http: HttpClient;
  #data: FaxBroadcastData;

  /** Made by the SDK from the server's answer; applications get one from FaxServer.getBroadcast(). */
  constructor(http: HttpClient, data: FaxBroadcastData) {
    this.#http = http;
    this.#data = data;
  }

  get broadcastId(): string {
    return this.#data.broadcastId;
  }
  get submittedTime(): Date {
    return new Date(this.#data.submittedTime);
  }
  /** In the submission's order: job id, number, name (`null` if none) and FaxJobStatus.status of each. */
  get recipients(): readonly FaxBroadcastRecipient[] {
    return this.#data.recipients;
  }
  /** Jobs queued, in progress, completed, failed and canceled; together, every recipient. */
  get counts(): FaxBroadcastCounts {
    return this.#data.counts;
  }
  /** Whether every job has ended (completed, failed or canceled). */
  get isFinished(): boolean {
    const { queued, inProgress } = this.#data.counts;
    return queued === 0 && inProgress === 0;
  }

  /** Re-reads the broadcast from the server; the getters then return the new values. */
  async refresh(): Promise<void> {
    this.#data = await readBroadcast(this.#http, this.broadcastId);
  }

  /**
   * Cancels every job of the broadcast that has not ended (one on the line as a job's cancel does); the getters then
   * return the state the server answered with.
   */
  async cancel(): Promise<void> {
    this.#data = await cancelBroadcast(this.#http, this.broadcastId);
  }

  /** The wire shape, as GET /v1/broadcasts/{id} answers it. */
  toJSON(): FaxBroadcastData {
    return this.#data;
  }
}
