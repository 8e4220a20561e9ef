// FaxStatus: one port's live status, the legacy IFaxStatus (faxcom.h) with its 19 read-only properties camel-cased and
// Refresh, which re-reads GET /v1/ports/{deviceId}/status into the same object.

import { API_PREFIX, FAX_STATUS_PROPERTIES, type FaxStatus as FaxStatusData } from '@faxd/contract';
import { type HttpClient, segment } from './http-client.js';

/** A wire time (ISO 8601 UTC) as a Date, keeping `null`. */
export function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

/**
 * A snapshot of a port's activity, made by FaxPort.getStatus(). Properties tied to a transmission are `null` while the
 * port is not doing it (see the contract's FAX_STATUS_VALIDITY); `refresh()` fetches fresh values.
 */
export class FaxStatus {
  readonly #http: HttpClient;
  #data: FaxStatusData;

  /** Made by the SDK from the server's answer; applications get one from FaxPort.getStatus(). */
  constructor(http: HttpClient, data: FaxStatusData) {
    this.#http = http;
    this.#data = data;
  }

  /** Re-reads the port's status from the server; the getters then return the new values (IFaxStatus::Refresh). */
  async refresh(): Promise<void> {
    this.#data = await this.#http.getJson<FaxStatusData>(`${API_PREFIX}/ports/${segment(this.deviceId)}/status`);
  }

  /** Number dialed for the outbound fax in progress. */
  get address(): string | null {
    return this.#data.address;
  }
  /** Identity the calling device presented for the inbound fax in progress. */
  get callerId(): string | null {
    return this.#data.callerId;
  }
  /** Called station identifier of the receiving side. */
  get csid(): string | null {
    return this.#data.csid;
  }
  /** 1-based page being sent (0 before the first page starts). */
  get currentPage(): number | null {
    return this.#data.currentPage;
  }
  /** Displayable text for the port's state, e.g. "Available", "Sending". */
  get description(): string {
    return this.#data.description;
  }
  get deviceId(): number {
    return this.#data.deviceId;
  }
  get deviceName(): string {
    return this.#data.deviceName;
  }
  get documentName(): string | null {
    return this.#data.documentName;
  }
  /** Bytes of the document being sent (its TIFF Class F rendering). */
  get documentSize(): number | null {
    return this.#data.documentSize;
  }
  /**
   * Time since the job on this port started, in whole seconds (the contract's ELAPSED_TIME_UNIT): COM types it as a
   * DATE, faxd reports a plain count of seconds.
   */
  get elapsedTime(): number | null {
    return this.#data.elapsedTime;
  }
  get pageCount(): number | null {
    return this.#data.pageCount;
  }
  /** Whether the port is receiving right now (its configuration is FaxPort.receive). */
  get receive(): boolean {
    return this.#data.receive;
  }
  get recipientName(): string | null {
    return this.#data.recipientName;
  }
  get routingString(): string | null {
    return this.#data.routingString;
  }
  /** Whether the port is sending right now (its configuration is FaxPort.send). */
  get send(): boolean {
    return this.#data.send;
  }
  get senderName(): string | null {
    return this.#data.senderName;
  }
  /** When the job in progress on this port started. */
  get startTime(): Date | null {
    return dateOrNull(this.#data.startTime);
  }
  /** When the outbound fax in progress was submitted. */
  get submittedTime(): Date | null {
    return dateOrNull(this.#data.submittedTime);
  }
  get tsid(): string | null {
    return this.#data.tsid;
  }

  /** The wire shape: exactly the 19 properties, in the contract's order, times as ISO strings. */
  toJSON(): FaxStatusData {
    const data = this.#data as unknown as Readonly<Record<string, unknown>>;
    return Object.fromEntries(FAX_STATUS_PROPERTIES.map((name) => [name, data[name]])) as unknown as FaxStatusData;
  }
}
