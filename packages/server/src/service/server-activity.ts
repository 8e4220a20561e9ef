// OnServerActivityChange (IFaxServerNotify2): each time a call begins or ends or a job is queued, the counts of
// messages being received, sent and waiting, the queued ones counted in the store (jobs of every node).

import { FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import type { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import type { PortRuntime } from './port-runtime.js';

export interface ServerActivityContext {
  readonly db: FaxdDb;
  readonly hub: EventHub;
  readonly ports: readonly PortRuntime[];
  /** Jobs this node's queue has on a line now. */
  readonly activeOutgoing: () => number;
}

export class ServerActivity {
  readonly #context: ServerActivityContext;
  /** The announcement whose job count is being read, if any. */
  #running: Promise<void> | undefined;
  /** Whether something changed while it was read: one more announcement follows it, however many changes came. */
  #again = false;

  constructor(context: ServerActivityContext) {
    this.#context = context;
  }

  /**
   * Publishes serverActivityChange once the queued jobs are counted; a count the store refuses is reported. Changes
   * that come while a count is read make one announcement after it, of the counts then: at volume a count per change
   * would read the jobs table for every call begun and ended.
   */
  announce(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#countAndPublish().finally(() => {
      this.#running = undefined;
      if (!this.#again) return;
      this.#again = false;
      this.announce();
    });
  }

  #countAndPublish(): Promise<void> {
    const { db, hub, ports, activeOutgoing } = this.#context;
    return db
      .selectFrom('jobs')
      .select((j) => j.fn.countAll<number>().as('queued'))
      .where('direction', '=', 'outgoing')
      .where('message_id', 'is', null)
      .where('status', '!=', FAX_JOB_STATUS_ENUM.fjsRETRIES_EXCEEDED)
      .executeTakeFirst()
      .then((row) => {
        const active = activeOutgoing();
        hub.publish({
          event: 'serverActivityChange',
          incomingMessages: ports.filter((port) => port.direction === 'receiving').length,
          routingMessages: 0,
          outgoingMessages: active,
          queuedMessages: Math.max(0, Number(row?.queued ?? 0) - active),
        });
      })
      .catch((error: unknown) => reportFaultToStderr('the server activity was not announced', error));
  }

  /** Resolves when every announcement under way, and the one that follows it, has been published (or reported). */
  async announced(): Promise<void> {
    while (this.#running) await this.#running;
  }
}
