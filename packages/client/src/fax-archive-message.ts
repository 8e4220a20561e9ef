// Archived faxes as objects (reference §2.11 FaxIncomingMessage / FaxOutgoingMessage): a message's fields as the
// server answered them, CopyTiff as `copyTiff()`, and Delete as `delete()` (the owner, or manage-archives).

import type { FaxInboxMessage, FaxOutboxMessage } from '@faxd/contract';

/** What a message object asks of its server: its TIFF, and its deletion. */
export interface ArchiveMessageActions {
  readonly copyTiff: () => Promise<Uint8Array>;
  readonly delete: () => Promise<void>;
}

/** One message of either archive: `data` is the answer's fields, read-only. */
class FaxArchiveMessage<T extends FaxInboxMessage | FaxOutboxMessage> {
  readonly data: T;
  readonly #actions: ArchiveMessageActions;

  /** Made by the SDK from the server's answer. */
  constructor(data: T, actions: ArchiveMessageActions) {
    this.data = data;
    this.#actions = actions;
  }

  /** The message's id: the job's id it was (reference §2.11). */
  get id(): string {
    return this.data.id;
  }

  /** The fax as TIFF Class F (IFaxIncomingMessage/IFaxOutgoingMessage.CopyTiff, as bytes rather than a file). */
  copyTiff(): Promise<Uint8Array> {
    return this.#actions.copyTiff();
  }

  /** Removes the message and its files from the archive (Delete); FAX_ERR_MESSAGE_NOT_FOUND once it is gone. */
  delete(): Promise<void> {
    return this.#actions.delete();
  }

  toJSON(): T {
    return this.data;
  }
}

/** A received fax in the incoming archive (IFaxIncomingMessage). */
export class FaxIncomingMessage extends FaxArchiveMessage<FaxInboxMessage> {}

/** A sent fax in the outgoing archive (IFaxOutgoingMessage). */
export class FaxOutgoingMessage extends FaxArchiveMessage<FaxOutboxMessage> {}
