// FaxPort: one line of the server as the legacy IFaxPort (faxcom.h) shows it: its configuration, read-only here
// because faxd's lines come from the config file (canModify is false), the media and modem of its call, and the
// factories for its status and routing.

import {
  API_PREFIX,
  type FaxPortCall,
  type FaxPortInfo,
  type FaxRoutingMethod,
  type FaxStatus as FaxStatusData,
} from '@faxd/contract';
import { FaxStatus } from './fax-status.js';
import { type HttpClient, segment } from './http-client.js';

export class FaxPort {
  readonly #http: HttpClient;
  readonly #info: FaxPortInfo;

  /** Made by the SDK; applications get ports from FaxServer.getPorts() or getPort(). */
  constructor(http: HttpClient, info: FaxPortInfo) {
    this.#http = http;
    this.#info = info;
  }

  /** Permanent identifier of the line, the key of the port (names may repeat). */
  get deviceId(): number {
    return this.#info.deviceId;
  }
  get name(): string {
    return this.#info.name;
  }
  /** Configuration: whether the port may send (FaxStatus.send says whether it is sending now). */
  get send(): boolean {
    return this.#info.send;
  }
  /** Configuration: whether the port answers and receives. */
  get receive(): boolean {
    return this.#info.receive;
  }
  /** Rings before answering. */
  get rings(): number {
    return this.#info.rings;
  }
  /** Rank in which the queue tries ports for a job with no line named; 1 first. */
  get priority(): number {
    return this.#info.priority;
  }
  get tsid(): string {
    return this.#info.tsid;
  }
  get csid(): string {
    return this.#info.csid;
  }
  /** Whether a client may change the port's settings. */
  get canModify(): boolean {
    return this.#info.canModify;
  }
  /** The line kind: 'loopback', 't38', 'sip' or 'sandbox'. */
  get kind(): string {
    return this.#info.kind;
  }
  /** The faxd node whose line this is. */
  get nodeId(): string {
    return this.#info.nodeId;
  }

  /**
   * The call the port carried when this object was fetched: its media (`t38`, `pcmu`, `pcma`) and, from the DCS on, the
   * image modem, bit rate and ECM; null when it had none. Not part of IFaxPort: a faxd addition, fetch the port again
   * for a fresh value.
   */
  get call(): FaxPortCall | null {
    return this.#info.call;
  }

  /** A new snapshot of the port's status (IFaxPort::GetStatus). */
  async getStatus(): Promise<FaxStatus> {
    const data = await this.#http.getJson<FaxStatusData>(`${API_PREFIX}/ports/${segment(this.deviceId)}/status`);
    return new FaxStatus(this.#http, data);
  }

  /** What the server does with a fax this port receives. */
  async getRoutingMethods(): Promise<FaxRoutingMethod[]> {
    return this.#http.getJson<FaxRoutingMethod[]>(`${API_PREFIX}/ports/${segment(this.deviceId)}/routing-methods`);
  }

  toJSON(): FaxPortInfo {
    return { ...this.#info };
  }
}
