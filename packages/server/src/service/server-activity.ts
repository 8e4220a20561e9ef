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
  /** Announcements whose job count is still being read. */
  readonly #announcements = new Set<Promise<void>>();

  constructor(context: ServerActivityContext) {
    this.#context = context;
  }

  /** Publishes serverActivityChange once the queued jobs are counted; a count the store refuses is reported. */
  announce(): void {
    const { db, hub, ports, activeOutgoing } = this.#context;
    const receiving = ports.filter((port) => port.direction === 'receiving').length;
    const announced = db
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
          incomingMessages: receiving,
          routingMessages: 0,
          outgoingMessages: active,
          queuedMessages: Math.max(0, Number(row?.queued ?? 0) - active),
        });
      })
      .catch((error: unknown) => reportFaultToStderr('the server activity was not announced', error));
    this.#announcements.add(announced);
    void announced.finally(() => this.#announcements.delete(announced));
  }

  /** Resolves when every announcement under way has been published (or reported). */
  async announced(): Promise<void> {
    await Promise.all(this.#announcements);
  }
}
