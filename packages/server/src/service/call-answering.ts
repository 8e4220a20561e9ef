// The calls this node's lines are offered (reference §2.8 incoming jobs): which it answers — a line that receives,
// while the incoming queue is not blocked and the server is not closing — the receptions under way, by job id, for a
// cancel to hang up, and the receptions whose call has ended and whose fax is still being stored.

import type { IncomingCall } from '../lines/fax-line.js';
import { reportFaultToStderr } from './fault-report.js';
import { InboundCall, type InboundContext } from './inbound-call.js';
import type { JobClaim } from './job-book.js';
import type { PortRuntime } from './port-runtime.js';

export interface CallAnsweringContext {
  /** What each reception needs: the store, the archive, routing, the clock. */
  readonly inbound: InboundContext;
  /** Whether calls are answered now (the incoming queue's blocked flag says no). */
  readonly answering: () => boolean;
  /** A reception whose end the store refused to record: settled once it takes it. */
  readonly endNotRecorded: (jobId: string, claim: JobClaim) => void;
  /** A reception has been stored (or failed to be): a line is free again. */
  readonly onStored: () => void;
}

export class CallAnswering {
  readonly #context: CallAnsweringContext;
  /** Receptions whose call has ended and whose fax is being stored. */
  readonly #storing = new Set<Promise<void>>();
  /** The calls being received, by job id: what a cancel hangs up. */
  readonly #answered = new Map<string, InboundCall>();

  constructor(context: CallAnsweringContext) {
    this.#context = context;
  }

  /** Lets `ports` be answered from now on. */
  serve(ports: readonly PortRuntime[]): void {
    for (const port of ports) port.line.incomingCallHandler = (offered) => this.#answer(port, offered);
  }

  /** Hangs up the reception of job `jobId`; whether there was one. */
  hangUp(jobId: string): boolean {
    const reception = this.#answered.get(jobId);
    reception?.hangUp();
    return reception !== undefined;
  }

  /** Resolves when every reception whose call has ended is stored (or reported). */
  async stored(): Promise<void> {
    await Promise.all(this.#storing);
  }

  #answer(port: PortRuntime, offered: IncomingCall) {
    // The line asks only when it has no call; a reception still being stored does not stop the next one.
    const { inbound, answering } = this.#context;
    if (inbound.closing() || !port.config.receive || !answering()) return undefined;
    const call = new InboundCall(port, offered, inbound);
    this.#answered.set(call.jobId, call);
    return {
      onEvent: call.onEvent.bind(call),
      storePage: call.storePage.bind(call),
      mayContinue: inbound.leaseHeld,
      onEnd: (result: Parameters<InboundCall['onEnd']>[0]) => {
        this.#answered.delete(call.jobId);
        port.callEnded(result);
        const stored = call
          .onEnd(result)
          .catch((error: unknown) => {
            reportFaultToStderr(`reception ${call.jobId} was not stored`, error);
            this.#context.endNotRecorded(call.jobId, inbound.book.receptionClaim());
          })
          .finally(() => {
            this.#storing.delete(stored);
            this.#context.onStored();
          });
        this.#storing.add(stored);
      },
    };
  }
}
