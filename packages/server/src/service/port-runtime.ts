// A configured port at run time: its line driver, its live activity, and the device status events it raises
// (OnDeviceStatusChange) as the activity changes. The activity changes only through the methods here.

import {
  API_PREFIX,
  type FaxPortCall,
  type FaxPortInfo,
  type FaxRoutingMethod,
  type FaxServerEvent,
  type FaxStatus,
} from '@faxd/contract';
import type { LineConfig } from '../config/faxd-config.js';
import type { FaxLine, LineCallResult } from '../lines/fax-line.js';
import { PortActivity, type PortDescription, type PortJob } from './port-activity.js';

export class PortRuntime {
  readonly config: LineConfig;
  readonly line: FaxLine;
  readonly #activity: PortActivity;
  readonly #publish: (event: FaxServerEvent) => void;
  /** The other end of a loopback pair: the two lines are one circuit, so only one call runs on them at a time. */
  partner: PortRuntime | undefined;
  /** Told what each call on the port came to, as it ends (the metrics count its T.38 losses). */
  readonly #callEndListeners = new Set<(result: LineCallResult) => void>();
  /** Told each time the port's FaxStatus or call changes (not as time passes: elapsedTime follows from startTime). */
  readonly #activityListeners = new Set<() => void>();

  constructor(config: LineConfig, line: FaxLine, publish: (event: FaxServerEvent) => void) {
    this.config = config;
    this.line = line;
    this.#activity = new PortActivity(config);
    this.#publish = publish;
  }

  get id(): number {
    return this.config.id;
  }

  /** IFaxPort's settings. faxd's ports come from the configuration, so none can be modified through the API. */
  /** The port as the API lists it, a line of node `nodeId`. */
  info(nodeId: string): FaxPortInfo {
    const { config } = this;
    return {
      deviceId: config.id,
      name: config.name,
      send: config.send,
      receive: config.receive,
      rings: config.rings,
      priority: config.priority,
      tsid: config.tsid,
      csid: config.csid,
      canModify: false,
      kind: config.kind,
      call: this.#activity.job?.call ?? null,
      nodeId,
    };
  }

  /** What the port does with a fax it receives (IFaxInboundRoutingMethods): the inbox, then the line's own routes. */
  routingMethods(): FaxRoutingMethod[] {
    const { config } = this;
    const methods: FaxRoutingMethod[] = [
      // The inbox as the API serves it: where faxd keeps its files is the operator's business, not a client's.
      { method: 'store', friendlyName: 'Store in the inbox', enabled: true, target: `${API_PREFIX}/inbox` },
    ];
    if (config.storeFolder) {
      methods.push({ method: 'store', friendlyName: 'Store in a folder', enabled: true, target: config.storeFolder });
    }
    if (config.webhook) {
      methods.push({ method: 'webhook', friendlyName: 'POST to a webhook', enabled: true, target: config.webhook.url });
    }
    return methods;
  }

  /** What the port's call is doing, if it has one. */
  get direction(): PortJob['direction'] | undefined {
    return this.#activity.job?.direction;
  }

  /** The job the port's call is for, if it has one. */
  get jobId(): string | undefined {
    return this.#activity.job?.jobId;
  }

  /** The port's FaxStatus at `nowMs` (epoch ms). */
  status(nowMs: number): FaxStatus {
    return this.#activity.status(nowMs);
  }

  get free(): boolean {
    const idle = (port: PortRuntime) => port.#activity.job === undefined && !port.line.busy;
    return idle(this) && (this.partner === undefined || idle(this.partner));
  }

  begin(job: PortJob, description: PortDescription): void {
    this.#activity.job = job;
    this.#activity.description = description;
    this.#deviceStatus();
    this.#changed();
  }

  /** The far station of `jobId`'s call named itself: its CSI when this port sends, its TSI when it receives. */
  remoteIdentified(jobId: string, ident: string): void {
    const job = this.#job(jobId);
    if (job?.direction === 'sending') job.csid = ident;
    else if (job?.direction === 'receiving') job.tsid = ident;
    if (job) this.#changed();
  }

  /** `jobId`'s call carries its fax this way now (its media; from the DCS on, modem, rate and ECM). */
  callReported(jobId: string, call: FaxPortCall): void {
    const job = this.#job(jobId);
    if (!job) return;
    job.call = call;
    this.#changed();
  }

  /** Page `page` of `jobId`'s fax has started to go out or come in. */
  pageStarted(jobId: string, page: number): void {
    const job = this.#job(jobId);
    if (!job) return;
    job.currentPage = page;
    // A call being aborted says so until it has ended, whatever pages still come through before it does.
    if (this.#activity.description !== 'Aborting') {
      this.#activity.description = job.direction === 'sending' ? 'Sending' : 'Receiving';
    }
    this.#changed();
  }

  /**
   * `jobId`'s call has reached its end: every page is through (FPS_COMPLETED) or a cancel is stopping it
   * (FPS_ABORTING). The port shows it until the job leaves the port; an abort is not undone by a later completion.
   */
  ending(jobId: string, description: 'Completed' | 'Aborting'): void {
    if (!this.#job(jobId) || this.#activity.description === 'Aborting') return;
    this.#activity.description = description;
    this.#changed();
  }

  /** Calls `listener` with the result of each call on the port from now on. */
  onCallEnded(listener: (result: LineCallResult) => void): void {
    this.#callEndListeners.add(listener);
  }

  /** Calls `listener` each time the port's activity changes from now on. */
  onActivity(listener: () => void): void {
    this.#activityListeners.add(listener);
  }

  /** A call on the port has ended with `result` (before its job is settled). */
  callEnded(result: LineCallResult): void {
    for (const listener of this.#callEndListeners) listener(result);
  }

  /** The job `jobId` has left the port; a newer job that took the port since (a re-answered call) stays. */
  end(jobId: string): void {
    if (this.#activity.job?.jobId !== jobId) return;
    this.#activity.job = undefined;
    this.#activity.description = 'Available';
    this.#deviceStatus();
    this.#changed();
  }

  /** The port's job if it is still `jobId` (events of a call that has left the port change nothing). */
  #job(jobId: string): PortJob | undefined {
    const job = this.#activity.job;
    return job?.jobId === jobId ? job : undefined;
  }

  #changed(): void {
    for (const listener of this.#activityListeners) listener();
  }

  #deviceStatus(): void {
    const job = this.#activity.job;
    this.#publish({
      event: 'deviceStatusChange',
      deviceId: this.id,
      poweredOff: false,
      sending: job?.direction === 'sending',
      receiving: job?.direction === 'receiving',
      ringing: false,
    });
  }
}
