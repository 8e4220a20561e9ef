// The push events, one per IFaxServerNotify2 method (faxcomex.h) named without `On` and camel-cased, as the JSON
// objects `fax watch --json` prints (DESIGN §3), with the FAX_SERVER_EVENTS_TYPE_ENUM bit that subscribes to each.

import { type FaxJobStatus, faxJobStatusProblems } from './fax-job-status.js';
import { FAX_JOB_TYPE_ENUM } from './job-enums.js';
import { type FieldKind, type FieldRules, isJsonObject, shapeProblems } from './json-shape.js';
import { FAX_SERVER_EVENTS_TYPE_ENUM, type FaxServerEventsTypeEnum } from './server-enums.js';

type JobEventName = 'incomingJobAdded' | 'incomingJobRemoved' | 'outgoingJobAdded' | 'outgoingJobRemoved';
type MessageEventName =
  | 'incomingMessageAdded'
  | 'incomingMessageRemoved'
  | 'outgoingMessageAdded'
  | 'outgoingMessageRemoved';
type ConfigEventName =
  | 'receiptOptionsChange'
  | 'activityLoggingConfigChange'
  | 'securityConfigChange'
  | 'eventLoggingConfigChange'
  | 'outgoingQueueConfigChange'
  | 'outgoingArchiveConfigChange'
  | 'incomingArchiveConfigChange'
  | 'devicesConfigChange'
  | 'outboundRoutingGroupsConfigChange'
  | 'outboundRoutingRulesConfigChange'
  | 'generalServerConfigChanged';

/** An event object per name in `N`, each with its own literal `event`, so that the union discriminates. */
type Named<N extends string, Arguments> = N extends string ? { readonly event: N } & Arguments : never;

/** One push event: `event` names it, the other fields are the COM method's arguments after pFaxServer. */
export type FaxServerEvent =
  | Named<JobEventName, { readonly jobId: string }>
  | Named<'incomingJobChanged' | 'outgoingJobChanged', { readonly jobId: string; readonly status: FaxJobStatus }>
  | Named<MessageEventName, { readonly messageId: string }>
  | Named<ConfigEventName | 'serverShutDown', unknown>
  | Named<
      'serverActivityChange',
      {
        /** Inbound jobs being received now. */
        readonly incomingMessages: number;
        /** Inbound jobs being routed now. */
        readonly routingMessages: number;
        /** Outbound jobs being sent now. */
        readonly outgoingMessages: number;
        /** Jobs waiting in the outgoing queue. */
        readonly queuedMessages: number;
      }
    >
  | Named<
      'queuesStatusChange',
      {
        readonly outgoingQueueBlocked: boolean;
        readonly outgoingQueuePaused: boolean;
        readonly incomingQueueBlocked: boolean;
      }
    >
  | Named<'newCall', { readonly callId: number; readonly deviceId: number; readonly callerId: string }>
  | Named<
      'deviceStatusChange',
      {
        readonly deviceId: number;
        readonly poweredOff: boolean;
        readonly sending: boolean;
        readonly receiving: boolean;
        readonly ringing: boolean;
      }
    >;

export type FaxServerEventName = FaxServerEvent['event'];
export type FaxServerEventOf<N extends FaxServerEventName> = Extract<FaxServerEvent, { readonly event: N }>;

const Q = FAX_SERVER_EVENTS_TYPE_ENUM;

/** Each event's subscription bit and its arguments in COM order, listed in IFaxServerNotify2's vtable order. */
export const FAX_SERVER_EVENTS = {
  incomingJobAdded: { mask: Q.fsetIN_QUEUE, arguments: ['jobId'] },
  incomingJobRemoved: { mask: Q.fsetIN_QUEUE, arguments: ['jobId'] },
  incomingJobChanged: { mask: Q.fsetIN_QUEUE, arguments: ['jobId', 'status'] },
  outgoingJobAdded: { mask: Q.fsetOUT_QUEUE, arguments: ['jobId'] },
  outgoingJobRemoved: { mask: Q.fsetOUT_QUEUE, arguments: ['jobId'] },
  outgoingJobChanged: { mask: Q.fsetOUT_QUEUE, arguments: ['jobId', 'status'] },
  incomingMessageAdded: { mask: Q.fsetIN_ARCHIVE, arguments: ['messageId'] },
  incomingMessageRemoved: { mask: Q.fsetIN_ARCHIVE, arguments: ['messageId'] },
  outgoingMessageAdded: { mask: Q.fsetOUT_ARCHIVE, arguments: ['messageId'] },
  outgoingMessageRemoved: { mask: Q.fsetOUT_ARCHIVE, arguments: ['messageId'] },
  receiptOptionsChange: { mask: Q.fsetCONFIG, arguments: [] },
  activityLoggingConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  securityConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  eventLoggingConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  outgoingQueueConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  outgoingArchiveConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  incomingArchiveConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  devicesConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  outboundRoutingGroupsConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  outboundRoutingRulesConfigChange: { mask: Q.fsetCONFIG, arguments: [] },
  serverActivityChange: {
    mask: Q.fsetACTIVITY,
    arguments: ['incomingMessages', 'routingMessages', 'outgoingMessages', 'queuedMessages'],
  },
  queuesStatusChange: {
    mask: Q.fsetQUEUE_STATE,
    arguments: ['outgoingQueueBlocked', 'outgoingQueuePaused', 'incomingQueueBlocked'],
  },
  newCall: { mask: Q.fsetINCOMING_CALL, arguments: ['callId', 'deviceId', 'callerId'] },
  serverShutDown: { mask: Q.fsetFXSSVC_ENDED, arguments: [] },
  deviceStatusChange: {
    mask: Q.fsetDEVICE_STATUS,
    arguments: ['deviceId', 'poweredOff', 'sending', 'receiving', 'ringing'],
  },
  generalServerConfigChanged: { mask: Q.fsetCONFIG, arguments: [] },
} as const satisfies {
  readonly [N in FaxServerEventName]: {
    readonly mask: FaxServerEventsTypeEnum;
    readonly arguments: readonly Exclude<keyof FaxServerEventOf<N>, 'event'>[];
  };
};

/** Every event name, in IFaxServerNotify2's vtable order. */
export const FAX_SERVER_EVENT_NAMES = Object.keys(FAX_SERVER_EVENTS) as readonly FaxServerEventName[];

type ArgumentNames<N extends FaxServerEventName> = (typeof FAX_SERVER_EVENTS)[N]['arguments'];

type ArgumentValues<Event, Names extends readonly unknown[]> = {
  -readonly [I in keyof Names]: Names[I] extends keyof Event ? Event[Names[I]] : never;
};

/** An event's arguments as a tuple in COM order, e.g. `[jobId, status]` for outgoingJobChanged: what SDK listeners get. */
export type FaxServerEventArguments<N extends FaxServerEventName> = ArgumentValues<
  FaxServerEventOf<N>,
  ArgumentNames<N>
>;

/** The FAX_SERVER_EVENTS_TYPE_ENUM bit a client passes to ListenToServerEvents to receive this event. */
export function eventMaskOf(event: FaxServerEvent | FaxServerEventName): FaxServerEventsTypeEnum {
  return FAX_SERVER_EVENTS[typeof event === 'string' ? event : event.event].mask;
}

/** Whether a client subscribed with `mask` receives `event`. */
export function isSubscribed(mask: number, event: FaxServerEvent | FaxServerEventName): boolean {
  return (mask & eventMaskOf(event)) !== 0;
}

/** The event names a subscription `mask` delivers, in vtable order. */
export function eventNamesIn(mask: number): FaxServerEventName[] {
  return FAX_SERVER_EVENT_NAMES.filter((name) => isSubscribed(mask, name));
}

/** IFaxServerNotify2's method names, which a script ported from COM registers its handlers by. */
export type FaxServerComMethodName = `On${Capitalize<FaxServerEventName>}`;

/** The event a name stands for: an event name itself, or the COM sink method that receives it. */
export type FaxServerEventNamed<N extends FaxServerEventName | FaxServerComMethodName> = N extends `On${infer Rest}`
  ? Uncapitalize<Rest> & FaxServerEventName
  : N;

/** The COM sink method that receives `event`: `outgoingJobChanged` → `OnOutgoingJobChanged`. */
export function comMethodNameOf(event: FaxServerEventName): FaxServerComMethodName {
  return `On${event[0]?.toUpperCase()}${event.slice(1)}` as FaxServerComMethodName;
}

const EVENT_BY_NAME: ReadonlyMap<string, FaxServerEventName> = new Map(
  FAX_SERVER_EVENT_NAMES.flatMap((event) => [
    [event, event],
    [comMethodNameOf(event), event],
  ]),
);

/**
 * The event `name` stands for (`outgoingJobChanged` or `OnOutgoingJobChanged`). An unknown name throws: a listener
 * registered under a misspelt name would otherwise wait for an event that never comes.
 */
export function faxServerEventNamed(name: string): FaxServerEventName {
  const event = EVENT_BY_NAME.get(name);
  if (event === undefined) {
    throw new TypeError(`"${name}" is not a fax server event; the events are ${FAX_SERVER_EVENT_NAMES.join(', ')}`);
  }
  return event;
}

/** The arguments of `event` in COM order, for calling a positional listener. */
export function argumentsOf<N extends FaxServerEventName>(event: FaxServerEventOf<N>): FaxServerEventArguments<N> {
  const names: readonly string[] = FAX_SERVER_EVENTS[event.event as N].arguments;
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  return names.map((name) => fields[name]) as FaxServerEventArguments<N>;
}

type ArgumentName = (typeof FAX_SERVER_EVENTS)[FaxServerEventName]['arguments'][number];

const ARGUMENT_KINDS: Readonly<Record<ArgumentName, FieldKind>> = {
  jobId: 'string',
  messageId: 'string',
  status: 'object',
  incomingMessages: 'count',
  routingMessages: 'count',
  outgoingMessages: 'count',
  queuedMessages: 'count',
  outgoingQueueBlocked: 'boolean',
  outgoingQueuePaused: 'boolean',
  incomingQueueBlocked: 'boolean',
  callId: 'integer',
  deviceId: 'count',
  callerId: 'string',
  poweredOff: 'boolean',
  sending: 'boolean',
  receiving: 'boolean',
  ringing: 'boolean',
};

function rulesOf(name: FaxServerEventName): FieldRules {
  const rules: Record<string, { kind: FieldKind; nullable: boolean }> = { event: { kind: 'string', nullable: false } };
  for (const argument of FAX_SERVER_EVENTS[name].arguments) {
    rules[argument] = { kind: ARGUMENT_KINDS[argument], nullable: false };
  }
  return rules;
}

function isEventName(value: unknown): value is FaxServerEventName {
  return typeof value === 'string' && Object.hasOwn(FAX_SERVER_EVENTS, value);
}

/**
 * Everything wrong with `value` as one line of the event stream: the event name, its arguments, and for the two
 * job-changed events the FaxJobStatus itself (its job id and direction must match the event). Empty if it conforms.
 */
export function faxServerEventProblems(value: unknown): string[] {
  if (!isJsonObject(value)) return ['event is not an object'];
  if (!isEventName(value.event)) return [`event ${JSON.stringify(value.event)} is not a known event`];
  const problems = shapeProblems(value, rulesOf(value.event), value.event);
  if (problems.length > 0 || !Object.hasOwn(value, 'status')) return problems;
  problems.push(...faxJobStatusProblems(value.status));
  const status = value.status as FaxJobStatus;
  if (status.jobId !== value.jobId) problems.push(`${value.event}.status.jobId differs from jobId`);
  const outbound = status.jobType === FAX_JOB_TYPE_ENUM.fjtSEND;
  if (outbound !== (value.event === 'outgoingJobChanged')) {
    problems.push(`${value.event} carries a job of type ${status.jobType}`);
  }
  return problems;
}

/** Whether `value` is a conforming push event. */
export function isFaxServerEvent(value: unknown): value is FaxServerEvent {
  return faxServerEventProblems(value).length === 0;
}
