// FaxServer: a connection to a faxd server, the root of the object model (legacy IFaxServer's Connect and GetPorts,
// the extended API's jobs, archives, queue and ListenToServerEvents) over the REST routes of the contract.

import {
  API_PREFIX,
  FaxApiError,
  type FaxAuditEntry,
  type FaxCaller,
  type FaxInboxMessage,
  type FaxJob as FaxJobData,
  type FaxOutboxMessage,
  type FaxPortInfo,
  type FaxPreview,
  type FaxQueueState,
  type FaxServerEventName,
  type FaxStatus as FaxStatusData,
  type JobOperation,
  type PreviewRequest,
  type SubmittedBroadcast as SubmittedBroadcastData,
} from '@faxd/contract';
import { FaxIncomingMessage, FaxOutgoingMessage } from './fax-archive-message.js';
import { cancelBroadcast, FaxBroadcast, readBroadcast, type SubmittedBroadcast } from './fax-broadcast.js';
import { FaxJob } from './fax-job.js';
import { FaxPort } from './fax-port.js';
import { FaxPorts } from './fax-ports.js';
import { FaxStatus } from './fax-status.js';
import { HttpClient, segment } from './http-client.js';
import {
  type BroadcastOptions,
  encodeDocuments,
  type FaxDocumentInput,
  type SubmitOptions,
  submitJobRequest,
} from './job-submission.js';
import { type FaxServerEventListener, type FaxServerEventObserver, ServerEvents } from './server-events.js';

export interface ConnectOptions {
  /** Sent as `Authorization: Bearer TOKEN`, for a server configured with a token. */
  readonly token?: string;
}

/** What a preview's header line names: the submission's fields of the same names. */
export type PreviewHeader = Omit<PreviewRequest, 'documents'>;

export interface GetJobsOptions {
  /** Only jobs of this direction; absent, both. */
  readonly direction?: 'outgoing' | 'incoming';
  /** Include jobs that have ended; by default only jobs still running or queued. */
  readonly all?: boolean;
  /** Only the jobs of this broadcast. */
  readonly broadcast?: string;
}

/** The format of a stored fax to download. */
export type FaxFileFormat = 'tiff' | 'pdf';

const FILE_NAMES: Readonly<Record<FaxFileFormat, string>> = { tiff: 'document.tif', pdf: 'document.pdf' };

export class FaxServer {
  readonly #http: HttpClient;
  readonly #events: ServerEvents;

  private constructor(http: HttpClient) {
    this.#http = http;
    this.#events = new ServerEvents(http);
  }

  /**
   * Connects to the server at `url` (e.g. `http://127.0.0.1:8080`) and checks that it answers. Throws FaxApiError
   * when it refuses (a bad token, say) and FaxConnectionError when nothing answers.
   */
  static async connect(url: string, options: ConnectOptions = {}): Promise<FaxServer> {
    const http = new HttpClient(url, options.token);
    await http.getJson<FaxQueueState>(`${API_PREFIX}/queue`);
    return new FaxServer(http);
  }

  /** The server's base URL. */
  get url(): string {
    return this.#http.baseUrl;
  }

  /** The server's ports, in port order (IFaxServer::GetPorts). */
  async getPorts(): Promise<FaxPorts> {
    const infos = await this.#http.getJson<FaxPortInfo[]>(`${API_PREFIX}/ports`);
    return new FaxPorts(infos.map((info) => new FaxPort(this.#http, info)));
  }

  /** The port with `deviceId`; FAX_ERR_PORT_NOT_FOUND if there is none. */
  async getPort(deviceId: number): Promise<FaxPort> {
    const info = await this.#http.getJson<FaxPortInfo>(`${API_PREFIX}/ports/${segment(deviceId)}`);
    return new FaxPort(this.#http, info);
  }

  /** Every port's status, in port order, from one request (so the snapshots are taken together). */
  async getPortStatuses(): Promise<FaxStatus[]> {
    const statuses = await this.#http.getJson<FaxStatusData[]>(`${API_PREFIX}/status`);
    return statuses.map((data) => new FaxStatus(this.#http, data));
  }

  /**
   * Queues a fax. With `to`, one job, which comes back as the server accepted it (usually pending). With `recipients`
   * (FaxDocument.Recipients), a broadcast: one job per recipient, the documents converted once for all of them; it
   * resolves with the broadcast's id and the jobs in recipient order. A refused list (empty, too long, a number that
   * cannot be dialed, the same number twice) throws FaxApiError and queues nothing.
   */
  submit(options: SubmitOptions): Promise<FaxJob>;
  submit(options: BroadcastOptions): Promise<SubmittedBroadcast>;
  async submit(options: SubmitOptions | BroadcastOptions): Promise<FaxJob | SubmittedBroadcast> {
    const body = submitJobRequest(options);
    if (options.recipients === undefined) {
      return new FaxJob(await this.#http.sendJson<FaxJobData>('POST', `${API_PREFIX}/jobs`, body));
    }
    const { broadcastId, jobIds } = await this.#http.sendJson<SubmittedBroadcastData>(
      'POST',
      `${API_PREFIX}/jobs`,
      body,
    );
    // One request for every job, however many: ended ones included, as a job may end before it is read.
    const byId = new Map((await this.getJobs({ broadcast: broadcastId, all: true })).map((job) => [job.jobId, job]));
    const jobs = jobIds.map((jobId) => {
      const job = byId.get(jobId);
      if (job !== undefined) return job;
      const message = `The server did not list job ${jobId} of broadcast ${broadcastId} it had just accepted`;
      throw new FaxApiError('FAX_ERR_BAD_RESPONSE', message, { broadcastId, jobId });
    });
    return { broadcastId, jobs };
  }

  /**
   * The fax pages `documents` would be sent as, rendered by the server exactly as a submission renders them, with
   * the header line sending would stamp now (naming `header`'s recipient or number and sender, on its line), each a
   * PNG at the page's own resolution; nothing is queued. Throws the FaxApiError a submission of them would.
   */
  preview(documents: readonly FaxDocumentInput[], header: PreviewHeader = {}): Promise<FaxPreview> {
    const body = { documents: encodeDocuments(documents), ...header };
    return this.#http.sendJson('POST', `${API_PREFIX}/previews`, body);
  }

  /** The broadcast `broadcastId`: each recipient's job and status; FAX_ERR_BROADCAST_NOT_FOUND if there is none. */
  async getBroadcast(broadcastId: string): Promise<FaxBroadcast> {
    return new FaxBroadcast(this.#http, await readBroadcast(this.#http, broadcastId));
  }

  /** Cancels every job of the broadcast that has not ended; answers the broadcast as the cancel left it. */
  async cancelBroadcast(broadcastId: string): Promise<FaxBroadcast> {
    return new FaxBroadcast(this.#http, await cancelBroadcast(this.#http, broadcastId));
  }

  async getJob(jobId: string): Promise<FaxJob> {
    return new FaxJob(await this.#http.getJson<FaxJobData>(`${API_PREFIX}/jobs/${segment(jobId)}`));
  }

  /** The jobs in the queues. */
  async getJobs(options: GetJobsOptions = {}): Promise<FaxJob[]> {
    const query = new URLSearchParams();
    if (options.direction !== undefined) query.set('direction', options.direction);
    if (options.all) query.set('all', 'true');
    if (options.broadcast !== undefined) query.set('broadcast', options.broadcast);
    const suffix = query.toString() === '' ? '' : `?${query}`;
    const jobs = await this.#http.getJson<FaxJobData[]>(`${API_PREFIX}/jobs${suffix}`);
    return jobs.map((data) => new FaxJob(data));
  }

  cancelJob(jobId: string): Promise<FaxJob> {
    return this.#operate(jobId, 'cancel');
  }
  pauseJob(jobId: string): Promise<FaxJob> {
    return this.#operate(jobId, 'pause');
  }
  resumeJob(jobId: string): Promise<FaxJob> {
    return this.#operate(jobId, 'resume');
  }
  restartJob(jobId: string): Promise<FaxJob> {
    return this.#operate(jobId, 'restart');
  }

  /**
   * The job's fax as a TIFF Class F file (IFaxOutgoingJob.CopyTiff): an outbound job's document, a received fax once
   * stored. Only while the job's availableOperations include fjoVIEW; FAX_ERR_OPERATION_NOT_ALLOWED otherwise.
   */
  downloadJobDocument(jobId: string): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/jobs/${segment(jobId)}/document.tif`);
  }
  /** Page `page` (1-based) of the job's fax as a PNG image. */
  downloadJobPage(jobId: string, page: number): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/jobs/${segment(jobId)}/pages/${page}.png`);
  }

  async #operate(jobId: string, operation: JobOperation): Promise<FaxJob> {
    return new FaxJob(
      await this.#http.sendJson<FaxJobData>('POST', `${API_PREFIX}/jobs/${segment(jobId)}/${operation}`),
    );
  }

  /** Received faxes, newest first. */
  getInbox(): Promise<FaxInboxMessage[]> {
    return this.#http.getJson(`${API_PREFIX}/inbox`);
  }
  getInboxMessage(id: string): Promise<FaxInboxMessage> {
    return this.#http.getJson(`${API_PREFIX}/inbox/${segment(id)}`);
  }
  /** A received fax as a TIFF Class F or PDF file. */
  downloadInboxMessage(id: string, format: FaxFileFormat): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/inbox/${segment(id)}/${FILE_NAMES[format]}`);
  }

  /** Page `page` (1-based) of a received fax as a 1-bit PNG at the fax's resolution (given in its pHYs chunk). */
  downloadInboxPage(id: string, page: number): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/inbox/${segment(id)}/pages/${segment(page)}.png`);
  }

  /** Sent (and finally failed) faxes, newest first. */
  getOutbox(): Promise<FaxOutboxMessage[]> {
    return this.#http.getJson(`${API_PREFIX}/outbox`);
  }
  getOutboxMessage(id: string): Promise<FaxOutboxMessage> {
    return this.#http.getJson(`${API_PREFIX}/outbox/${segment(id)}`);
  }
  downloadOutboxMessage(id: string, format: FaxFileFormat): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/outbox/${segment(id)}/${FILE_NAMES[format]}`);
  }

  /** Page `page` (1-based) of a sent fax as a PNG, without the header lines each attempt stamped. */
  downloadOutboxPage(id: string, page: number): Promise<Uint8Array> {
    return this.#http.getBytes(`${API_PREFIX}/outbox/${segment(id)}/pages/${segment(page)}.png`);
  }

  /** A received fax as an object with copyTiff() and delete() (IncomingArchive.GetMessage). */
  async getIncomingMessage(id: string): Promise<FaxIncomingMessage> {
    return new FaxIncomingMessage(await this.getInboxMessage(id), {
      copyTiff: () => this.downloadInboxMessage(id, 'tiff'),
      delete: () => this.deleteInboxMessage(id),
    });
  }
  /** A sent fax as an object with copyTiff() and delete() (OutgoingArchive.GetMessage). */
  async getOutgoingMessage(id: string): Promise<FaxOutgoingMessage> {
    return new FaxOutgoingMessage(await this.getOutboxMessage(id), {
      copyTiff: () => this.downloadOutboxMessage(id, 'tiff'),
      delete: () => this.deleteOutboxMessage(id),
    });
  }

  /** Deletes a received fax and its files (IFaxIncomingMessage.Delete): its owner, or with manage-archives. */
  async deleteInboxMessage(id: string): Promise<void> {
    await this.#http.request(`${API_PREFIX}/inbox/${segment(id)}`, { method: 'DELETE' });
  }
  /** Deletes a sent fax and its files (IFaxOutgoingMessage.Delete): its sender, or with manage-archives. */
  async deleteOutboxMessage(id: string): Promise<void> {
    await this.#http.request(`${API_PREFIX}/outbox/${segment(id)}`, { method: 'DELETE' });
  }

  /** Who the server takes this connection's key for, and the rights it holds (FaxSecurity2.GrantedRights). */
  getCaller(): Promise<FaxCaller> {
    return this.#http.getJson(`${API_PREFIX}/me`);
  }

  /** The audit log, newest first (needs manage-config). */
  getAuditLog(
    query: { since?: string; user?: string; action?: string; limit?: number } = {},
  ): Promise<FaxAuditEntry[]> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const text = search.toString();
    return this.#http.getJson(`${API_PREFIX}/audit${text ? `?${text}` : ''}`);
  }

  getQueueState(): Promise<FaxQueueState> {
    return this.#http.getJson(`${API_PREFIX}/queue`);
  }
  /** Changes the given queue flags; answers the whole new state. */
  setQueueState(changes: Partial<FaxQueueState>): Promise<FaxQueueState> {
    return this.#http.sendJson('PATCH', `${API_PREFIX}/queue`, changes);
  }

  /** Calls `listener` with the event's arguments each time `name` arrives (after listenToServerEvents). */
  on<N extends FaxServerEventName>(name: N, listener: FaxServerEventListener<N>): this {
    this.#events.on(name, listener);
    return this;
  }
  off<N extends FaxServerEventName>(name: N, listener: FaxServerEventListener<N>): this {
    this.#events.off(name, listener);
    return this;
  }
  /** Calls `observer` with every event object, exactly as the wire carries it (what `fax watch --json` prints). */
  observe(observer: FaxServerEventObserver): this {
    this.#events.observe(observer);
    return this;
  }
  unobserve(observer: FaxServerEventObserver): this {
    this.#events.unobserve(observer);
    return this;
  }

  /**
   * Subscribes to the events in `mask` (FAX_SERVER_EVENTS_TYPE_ENUM bits OR-ed), replacing any earlier subscription;
   * fsetNONE unsubscribes. Resolves once the server has accepted it. A dropped stream reconnects after a short wait
   * and asks for the events it missed (Last-Event-ID), which faxd replays.
   */
  listenToServerEvents(mask: number): Promise<void> {
    return this.#events.listen(mask);
  }

  /** Ends the event subscription so that nothing keeps the process alive. The object may connect events again. */
  disconnect(): void {
    this.#events.close();
  }
}
