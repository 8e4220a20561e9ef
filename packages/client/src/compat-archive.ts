// The archives under their COM names (reference §2.11): FaxServer.Folders.IncomingArchive / OutgoingArchive, whose
// GetMessage(id) answers a FaxIncomingMessage / FaxOutgoingMessage with its read-only properties, CopyTiff (the bytes,
// as a script has no file to name here) and Delete. Times are ISO 8601 strings, as the SDK's.

import type { FaxIncomingMessage as SdkIncoming, FaxOutgoingMessage as SdkOutgoing } from './fax-archive-message.js';
import type { FaxServer as SdkFaxServer } from './fax-server.js';

/** What both kinds of message show under the same COM names. */
class CompatMessage<M extends SdkIncoming | SdkOutgoing> {
  protected readonly message: M;

  constructor(message: M) {
    this.message = message;
  }

  get Id(): string {
    return this.message.id;
  }
  get Pages(): number {
    return this.message.data.pages;
  }
  get Size(): number {
    return this.message.data.size;
  }
  get CSID(): string {
    return this.message.data.csid;
  }
  get TSID(): string {
    return this.message.data.tsid;
  }
  get TransmissionStart(): string | null {
    return this.message.data.transmissionStart;
  }
  get TransmissionEnd(): string | null {
    return this.message.data.transmissionEnd;
  }
  CopyTiff(): Promise<Uint8Array> {
    return this.message.copyTiff();
  }
  Delete(): Promise<void> {
    return this.message.delete();
  }
}

/** IFaxIncomingMessage. */
export class FaxIncomingMessage extends CompatMessage<SdkIncoming> {
  get CallerId(): string {
    return this.message.data.callerId;
  }
  get RoutingInformation(): string {
    return this.message.data.routingInformation;
  }
}

/** IFaxOutgoingMessage. */
export class FaxOutgoingMessage extends CompatMessage<SdkOutgoing> {
  get DocumentName(): string {
    return this.message.data.documentName;
  }
  get Retries(): number {
    return this.message.data.retries;
  }
  get SubmissionTime(): string {
    return this.message.data.submissionTime;
  }
}

/** IFaxFolders' two archives (the queues are the SDK's getJobs). */
export class FaxFolders {
  readonly IncomingArchive: { GetMessage(id: string): Promise<FaxIncomingMessage> };
  readonly OutgoingArchive: { GetMessage(id: string): Promise<FaxOutgoingMessage> };

  constructor(server: () => SdkFaxServer) {
    this.IncomingArchive = { GetMessage: async (id) => new FaxIncomingMessage(await server().getIncomingMessage(id)) };
    this.OutgoingArchive = { GetMessage: async (id) => new FaxOutgoingMessage(await server().getOutgoingMessage(id)) };
  }
}
