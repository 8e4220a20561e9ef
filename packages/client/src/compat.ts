// @faxd/client/compat: the SDK under the Windows fax API's COM names (faxcom.h FaxServer, FaxPorts, FaxPort,
// FaxStatus; faxcomex.h ListenToServerEvents, FaxJobStatus and FaxDocument) so that a COM script ports line by line.

import {
  type FaxRoutingMethod,
  type FaxServerComMethodName,
  type FaxServerEventArguments,
  type FaxServerEventName,
  type FaxServerEventNamed,
  faxServerEventNamed,
} from '@faxd/contract';
import { FaxFolders } from './compat-archive.js';
import { FaxJobStatus, FaxStatus } from './compat-status.js';
import type { FaxPort as SdkFaxPort } from './fax-port.js';
import type { FaxPorts as SdkFaxPorts } from './fax-ports.js';
import { type ConnectOptions, FaxServer as SdkFaxServer } from './fax-server.js';

export { FaxFolders, FaxIncomingMessage, FaxOutgoingMessage } from './compat-archive.js';
export {
  FaxDocument,
  FaxRecipient,
  FaxRecipients,
  FaxSender,
  fcptLOCAL,
  fcptNONE,
  fcptSERVER,
  fptHIGH,
  fptLOW,
  fptNORMAL,
  fstDISCOUNT_PERIOD,
  fstNOW,
  fstSPECIFIC_TIME,
} from './compat-document.js';
export { FaxJobStatus, FaxStatus } from './compat-status.js';

/** IFaxPort. Its settings are read-only: faxd's ports come from the server's configuration (CanModify is false). */
export class FaxPort {
  /** The SDK object this one wraps. */
  readonly port: SdkFaxPort;

  constructor(port: SdkFaxPort) {
    this.port = port;
  }

  get DeviceId(): number {
    return this.port.deviceId;
  }
  get Name(): string {
    return this.port.name;
  }
  get Send(): boolean {
    return this.port.send;
  }
  get Receive(): boolean {
    return this.port.receive;
  }
  get Rings(): number {
    return this.port.rings;
  }
  get Priority(): number {
    return this.port.priority;
  }
  get Tsid(): string {
    return this.port.tsid;
  }
  get Csid(): string {
    return this.port.csid;
  }
  get CanModify(): boolean {
    return this.port.canModify;
  }

  async GetStatus(): Promise<FaxStatus> {
    return new FaxStatus(await this.port.getStatus());
  }

  GetRoutingMethods(): Promise<FaxRoutingMethod[]> {
    return this.port.getRoutingMethods();
  }
}

/** IFaxPorts: Count, and Item(i) for i in 1..Count. */
export class FaxPorts {
  /** The SDK object this one wraps. */
  readonly ports: SdkFaxPorts;

  constructor(ports: SdkFaxPorts) {
    this.ports = ports;
  }

  get Count(): number {
    return this.ports.count;
  }

  Item(index: number): FaxPort {
    return new FaxPort(this.ports.item(index));
  }
}

/** A compat listener's arguments: those of IFaxServerNotify2's method, the job status with COM property names. */
export type CompatEventArguments<N extends FaxServerEventName> = N extends 'incomingJobChanged' | 'outgoingJobChanged'
  ? [jobId: string, jobStatus: FaxJobStatus]
  : FaxServerEventArguments<N>;

/** What `on` and `off` take: IFaxServerNotify2's method names, and the SDK's event names. */
export type CompatEventName = FaxServerComMethodName | FaxServerEventName;

/** A compat listener for the event `name` stands for. */
export type CompatListener<N extends CompatEventName> = (...args: CompatEventArguments<FaxServerEventNamed<N>>) => void;

type AnyListener = (...args: unknown[]) => void;

/** IFaxServer: create one, then Connect. Events arrive through `on` once ListenToServerEvents subscribed to them. */
export class FaxServer {
  #server: SdkFaxServer | undefined;
  /** The wrapper registered with the SDK for each listener given to `on`, per event name, so that `off` finds it. */
  readonly #wrappers = new Map<FaxServerEventName, Map<AnyListener, AnyListener>>();

  /** The SDK object this one wraps; throws before Connect. */
  get server(): SdkFaxServer {
    if (this.#server === undefined) throw new Error('FaxServer is not connected: call Connect first');
    return this.#server;
  }

  /** Connects to the faxd server at `url` (COM takes a machine name; faxd takes its HTTP address). */
  async Connect(url: string, options?: ConnectOptions): Promise<void> {
    const server = await SdkFaxServer.connect(url, options);
    this.#server?.disconnect();
    this.#server = server;
    for (const [name, wrappers] of this.#wrappers) {
      for (const wrapper of wrappers.values()) server.on(name, wrapper);
    }
  }

  /** IFaxFolders: the archives' GetMessage; Delete on a message removes it (owner, or manage-archives). */
  readonly Folders = new FaxFolders(() => this.server);

  async GetPorts(): Promise<FaxPorts> {
    return new FaxPorts(await this.server.getPorts());
  }

  /** Subscribes to the FAX_SERVER_EVENTS_TYPE_ENUM bits in `mask`; fsetNONE unsubscribes. */
  ListenToServerEvents(mask: number): Promise<void> {
    return this.server.listenToServerEvents(mask);
  }

  /** Ends the event subscription; the object may Connect again. */
  Disconnect(): void {
    this.#server?.disconnect();
    this.#server = undefined;
  }

  /**
   * Calls `listener` with the COM method's arguments after pFaxServer each time the event arrives. `name` is the
   * IFaxServerNotify2 method (`OnOutgoingJobChanged`) or the SDK's event name (`outgoingJobChanged`); any other name
   * throws a TypeError. Listeners may be added before Connect (as a VB `WithEvents` sink is bound before connecting)
   * and survive a new Connect.
   */
  on<N extends CompatEventName>(name: N, listener: CompatListener<N>): this {
    const event = faxServerEventNamed(name);
    const plain = listener as AnyListener;
    const wrapper: AnyListener = (...args) => {
      if (event === 'incomingJobChanged' || event === 'outgoingJobChanged') {
        args[1] = new FaxJobStatus(args[1] as FaxJobStatus['jobStatus']);
      }
      plain(...args);
    };
    this.off(name, listener);
    const wrappers = this.#wrappers.get(event) ?? new Map<AnyListener, AnyListener>();
    this.#wrappers.set(event, wrappers.set(plain, wrapper));
    this.#server?.on(event, wrapper);
    return this;
  }

  /** Removes a listener added with `on`, under either of the event's names. */
  off<N extends CompatEventName>(name: N, listener: CompatListener<N>): this {
    const event = faxServerEventNamed(name);
    const wrapper = this.#wrappers.get(event)?.get(listener as AnyListener);
    if (wrapper === undefined) return this;
    this.#wrappers.get(event)?.delete(listener as AnyListener);
    this.#server?.off(event, wrapper);
    return this;
  }
}
