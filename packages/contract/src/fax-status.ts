// FaxStatus as the API returns it in JSON: the 19 read-only properties of the legacy IFaxStatus (faxcom.h), one
// snapshot of one port, with `null` wherever a property has no meaning in the port's present activity.

import { type FieldKind, type FieldRules, isJsonObject, shapeProblems } from './json-shape.js';

/**
 * A port's status at the moment the server answered. Refresh means asking again. Properties tied to a transmission
 * are `null` when the port is not in that activity (see FAX_STATUS_VALIDITY); a valid string the remote or the
 * submitter did not supply is `""`. Times are ISO 8601 UTC strings ending in `Z`.
 */
export interface FaxStatus {
  /** Number dialed for the outbound fax in progress. Valid while sending. */
  readonly address: string | null;
  /** Identity the calling device presented for the inbound fax in progress. Valid while receiving. */
  readonly callerId: string | null;
  /** Called station identifier of the receiving side (usually its fax number): the remote's while sending, this
   * port's own while receiving. Valid during either; `""` until the remote has sent it. */
  readonly csid: string | null;
  /** 1-based number of the page being sent (0 before the first page starts). Valid while sending. */
  readonly currentPage: number | null;
  /** Displayable English text for the port's state: the FPS_* text, e.g. "Available", "Dialing", "Sending". */
  readonly description: string;
  /** Permanent identifier of the line; the key linking back to the port (`FaxPort.deviceId`). */
  readonly deviceId: number;
  /** Display name of the port; names may repeat, device ids do not. */
  readonly deviceName: string;
  /** Display name of the document being sent. Valid while sending. */
  readonly documentName: string | null;
  /** Size in bytes of the document being sent (its TIFF Class F rendering). Valid while sending. */
  readonly documentSize: number | null;
  /** Whole seconds since the transmission on this port started (see ELAPSED_TIME_UNIT). Valid during a job. */
  readonly elapsedTime: number | null;
  /** Number of pages in the outbound fax. Valid while sending. */
  readonly pageCount: number | null;
  /** Whether the port is receiving a fax right now (not its configuration, which is `FaxPort.receive`). */
  readonly receive: boolean;
  /** Name of the person the fax is addressed to: the submitted recipient while sending, the name routing found
   * for the called number while receiving (`""` if none). Valid during either. */
  readonly recipientName: string | null;
  /** Line-specific routing information of the inbound fax, such as the dialed number on a SIP line. Valid while
   * receiving. */
  readonly routingString: string | null;
  /** Whether the port is sending a fax right now (not its configuration, which is `FaxPort.send`). */
  readonly send: boolean;
  /** Name of the user who submitted the outbound fax. Valid while sending. */
  readonly senderName: string | null;
  /** When the job in progress on this port started (the line took it). Valid during a job. */
  readonly startTime: string | null;
  /** When the user submitted the outbound fax. Valid while sending. */
  readonly submittedTime: string | null;
  /** Transmitting station identifier: this port's (or the job's) while sending, the remote's while receiving.
   * Valid during either; `""` until the remote has sent it. */
  readonly tsid: string | null;
}

export type FaxStatusProperty = keyof FaxStatus;

/** What a port is doing, which decides which FaxStatus properties carry values. */
export type PortActivity = 'idle' | 'sending' | 'receiving';

/** When a property is valid: always, only while sending, only while receiving, or during either ('job'). */
export type FaxStatusValidity = 'always' | 'sending' | 'receiving' | 'job';

/**
 * The unit of FaxStatus.elapsedTime. The property is a COM DATE whose pages both call it seconds and say it is not a
 * date, leaving seconds against a fraction of a day open. faxd reports whole seconds, truncated, which is what a
 * script printing the value expects.
 */
export const ELAPSED_TIME_UNIT = 'seconds';

/** What one FaxStatus property holds and when it holds it; `null` whenever it is not valid. */
export interface FaxStatusField {
  readonly kind: FieldKind;
  readonly validity: FaxStatusValidity;
}

/**
 * The one table of the FaxStatus properties: the checker below, the server's port status and the API's JSON Schema
 * all read it, so what a property means while idle, sending or receiving is written only here.
 */
export const FAX_STATUS_FIELDS: Readonly<Record<FaxStatusProperty, FaxStatusField>> = {
  address: { kind: 'string', validity: 'sending' },
  callerId: { kind: 'string', validity: 'receiving' },
  csid: { kind: 'string', validity: 'job' },
  currentPage: { kind: 'count', validity: 'sending' },
  description: { kind: 'string', validity: 'always' },
  deviceId: { kind: 'count', validity: 'always' },
  deviceName: { kind: 'string', validity: 'always' },
  documentName: { kind: 'string', validity: 'sending' },
  documentSize: { kind: 'count', validity: 'sending' },
  elapsedTime: { kind: 'count', validity: 'job' },
  pageCount: { kind: 'count', validity: 'sending' },
  receive: { kind: 'boolean', validity: 'always' },
  recipientName: { kind: 'string', validity: 'job' },
  routingString: { kind: 'string', validity: 'receiving' },
  send: { kind: 'boolean', validity: 'always' },
  senderName: { kind: 'string', validity: 'sending' },
  startTime: { kind: 'time', validity: 'job' },
  submittedTime: { kind: 'time', validity: 'sending' },
  tsid: { kind: 'string', validity: 'job' },
};

/** The 19 property names, in the order of the seed documents (alphabetical), which `fax ports --json` follows. */
export const FAX_STATUS_PROPERTIES = Object.keys(FAX_STATUS_FIELDS) as readonly FaxStatusProperty[];

/** When each property is valid. */
export const FAX_STATUS_VALIDITY: Readonly<Record<FaxStatusProperty, FaxStatusValidity>> = Object.fromEntries(
  FAX_STATUS_PROPERTIES.map((property) => [property, FAX_STATUS_FIELDS[property].validity]),
) as Record<FaxStatusProperty, FaxStatusValidity>;

const RULES: FieldRules = Object.fromEntries(
  FAX_STATUS_PROPERTIES.map((property) => {
    const { kind, validity } = FAX_STATUS_FIELDS[property];
    return [property, { kind, nullable: validity !== 'always' }];
  }),
);

/** Whether a property with `validity` carries a value while the port does `activity`. */
export function isValidDuring(validity: FaxStatusValidity, activity: PortActivity): boolean {
  if (validity === 'always') return true;
  if (activity === 'idle') return false;
  return validity === 'job' || validity === activity;
}

/** The port's activity as a status reports it. A port never sends and receives at once. */
export function portActivityOf(status: Pick<FaxStatus, 'send' | 'receive'>): PortActivity {
  if (status.send) return 'sending';
  return status.receive ? 'receiving' : 'idle';
}

/** A port's values for every FaxStatus property but the activity flags, as if each were valid. */
export type FaxStatusValues = {
  readonly [P in Exclude<FaxStatusProperty, 'send' | 'receive'>]: NonNullable<FaxStatus[P]>;
};

/**
 * The FaxStatus of a port doing `activity`: `send` and `receive` say the activity, each other property is its value
 * from `values` where FAX_STATUS_FIELDS makes it valid during the activity, and `null` elsewhere.
 */
export function faxStatusDuring(activity: PortActivity, values: FaxStatusValues): FaxStatus {
  const all: Readonly<Record<FaxStatusProperty, unknown>> = {
    ...values,
    send: activity === 'sending',
    receive: activity === 'receiving',
  };
  const status = Object.fromEntries(
    FAX_STATUS_PROPERTIES.map((property) => [
      property,
      isValidDuring(FAX_STATUS_FIELDS[property].validity, activity) ? all[property] : null,
    ]),
  );
  return status as unknown as FaxStatus;
}

/**
 * Everything wrong with `value` as a FaxStatus: shape and types, then the validity rule both ways (a value present
 * where it means nothing, or `null` where one is due). Empty when it conforms.
 */
export function faxStatusProblems(value: unknown): string[] {
  const problems = shapeProblems(value, RULES, 'FaxStatus');
  if (problems.length > 0 || !isJsonObject(value)) return problems;
  if (value.send === true && value.receive === true) return ['FaxStatus has both send and receive true'];
  const activity = portActivityOf(value as unknown as FaxStatus);
  for (const property of FAX_STATUS_PROPERTIES) {
    const valid = isValidDuring(FAX_STATUS_VALIDITY[property], activity);
    if (valid && value[property] === null) problems.push(`FaxStatus.${property} is null while ${activity}`);
    if (!valid && value[property] !== null) problems.push(`FaxStatus.${property} must be null while ${activity}`);
  }
  return problems;
}

/** Whether `value` is a conforming FaxStatus. */
export function isFaxStatus(value: unknown): value is FaxStatus {
  return faxStatusProblems(value).length === 0;
}

/** FaxStatus.elapsedTime for a job that started at `startMs`, read at `nowMs` (epoch milliseconds); never negative. */
export function elapsedTimeOf(startMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - startMs) / 1000));
}
