// OnServerActivityChange (IFaxServerNotify2): when calls begin or end or jobs are queued (the changes of half a second
// in one announcement), the counts of messages being received, sent and waiting, the queued ones counted
// in the store (jobs of every node).

import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import { CoalescedTask } from './coalesced-task.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import type { PortRuntime } from './port-runtime.js';

/**
 * How long the changes of one announcement are gathered: a call's begin and end, a burst of submissions. Each
 * announcement counts the queued jobs of the whole cluster, 11 ms of the store's time at 10,000 jobs; at 50 ms, three
 * busy nodes spent a third of the database's time counting.
 */
const GATHER_MS = 500;

export interface ServerActivityContext {
  readonly db: FaxdDb;
  readonly hub: EventHub;
  readonly ports: readonly PortRuntime[];
  /** Jobs this node's queue has on a line now. */
  readonly activeOutgoing: () => number;
}

export class ServerActivity {
  readonly #context: ServerActivityContext;
  /** The count and announcement, run for every change within a window rather than for each. */
  readonly #announcement: CoalescedTask;

  constructor(context: ServerActivityContext) {
    this.#context = context;
    this.#announcement = new CoalescedTask(() => this.#countAndPublish(), {
      windowMs: GATHER_MS,
      what: 'the server activity was not announced',
      reportFault: reportFaultToStderr,
    });
  }

  /**
   * Publishes serverActivityChange once the queued jobs are counted; a count the store refuses is reported. The
   * changes of a window make one announcement, of the counts at its end: at volume a count per change would read the
   * jobs table for every call begun and ended.
   */
  announce(): void {
    this.#announcement.request();
  }

  async #countAndPublish(): Promise<void> {
    const { db, hub, ports, activeOutgoing } = this.#context;
    const row = await db
      .selectFrom('jobs')
      .select((j) => j.fn.countAll<number>().as('queued'))
      .where('direction', '=', 'outgoing')
      .where('message_id', 'is', null)
      .where('status', '!=', FAX_JOB_STATUS_ENUM.fjsRETRIES_EXCEEDED)
      .executeTakeFirst();
    const active = activeOutgoing();
    hub.publish({
      event: 'serverActivityChange',
      incomingMessages: ports.filter((port) => port.direction === 'receiving').length,
      routingMessages: 0,
      outgoingMessages: active,
      queuedMessages: Math.max(0, Number(row?.queued ?? 0) - active),
    });
  }

  /** Resolves when every announcement asked for so far has been published (or its failure reported). */
  announced(): Promise<void> {
    return this.#announcement.idle();
  }
}
