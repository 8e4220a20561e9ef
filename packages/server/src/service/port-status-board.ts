// The live activity of every node's ports, where the other nodes sharing the store can read it (issue 16): each node
// writes its ports' FaxStatus into `port_status` when their activity changes — a call begins, a page starts, the far
// end names itself, the call ends — never as time merely passes (elapsedTime is worked out again from startTime when
// read), and the changes of a short window go together in one write (those that come while it is under way in the
// next), so a burst of short calls costs a few writes, not one a change; a reader on another node sees a port's
// activity that much later. Only on a store several nodes share: a node alone shows its ports from memory.

import { elapsedTimeOf, type FaxPortCall, type FaxStatus } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import type { PortStatusTable } from '../store/schema.js';
import type { Clock } from './clock.js';
import { CoalescedTask } from './coalesced-task.js';
import type { FaultReport } from './fault-report.js';
import type { PortRuntime } from './port-runtime.js';

/**
 * How long changes are gathered before they are written: a sandbox call's steps (dialing, the far end's name, each
 * page, the end) come milliseconds apart, and a write each was a tenth of the statements a job cost.
 */
const GATHER_MS = 50;

/** Another node's port as its node last wrote it. */
export interface BoardedPort {
  readonly nodeId: string;
  readonly jobId: string | null;
  readonly direction: 'sending' | 'receiving' | null;
  readonly call: FaxPortCall | null;
  /** Its FaxStatus as of the `nowMs` it was read at. */
  readonly status: FaxStatus;
}

export class PortStatusBoard {
  readonly #db: FaxdDb;
  readonly #nodeId: string;
  readonly #clock: Clock;
  readonly #reportFault: FaultReport;
  /** This node's ports whose activity changed since they were last written. */
  readonly #changed = new Set<PortRuntime>();
  /** The write of the ports in #changed. */
  readonly #writes: CoalescedTask;

  constructor(db: FaxdDb, nodeId: string, clock: Clock, reportFault: FaultReport) {
    this.#db = db;
    this.#nodeId = nodeId;
    this.#clock = clock;
    this.#reportFault = reportFault;
    this.#writes = new CoalescedTask(() => this.#writeChanged(), {
      windowMs: GATHER_MS,
      what: 'the activity of ports was not stored',
      reportFault,
    });
  }

  /**
   * Writes `ports` and, from now on, each change of their activity (a restarted node's rows start afresh); resolves
   * once the first write is done.
   */
  post(ports: readonly PortRuntime[]): Promise<void> {
    for (const port of ports) {
      port.onActivity(() => this.#change(port));
      this.#changed.add(port);
    }
    this.#writes.request();
    return this.written();
  }

  /** Resolves once every change so far is written (or its write failed and was reported). */
  written(): Promise<void> {
    return this.#writes.idle();
  }

  /** The ports with `deviceIds` as their nodes last wrote them, by device id; elapsed times as of the clock's now. */
  async read(deviceIds: readonly number[]): Promise<Map<number, BoardedPort>> {
    if (deviceIds.length === 0) return new Map();
    const rows = await this.#db.selectFrom('port_status').selectAll().where('device_id', 'in', deviceIds).execute();
    const nowMs = this.#clock.now();
    return new Map(rows.map((row) => [row.device_id, boardedPort(row, nowMs)]));
  }

  #change(port: PortRuntime): void {
    this.#changed.add(port);
    this.#writes.request();
  }

  /** Writes every port changed until it starts. */
  async #writeChanged(): Promise<void> {
    const ports = [...this.#changed];
    this.#changed.clear();
    const nowMs = this.#clock.now();
    const rows = ports.map((port) => {
      const { call } = port.info(this.#nodeId);
      return {
        device_id: port.id,
        node_id: this.#nodeId,
        job_id: port.jobId ?? null,
        direction: port.direction ?? null,
        status: JSON.stringify(port.status(nowMs)),
        call: call === null ? null : JSON.stringify(call),
      };
    });
    try {
      await this.#db
        .insertInto('port_status')
        .values(rows)
        .onConflict((conflict) =>
          conflict.column('device_id').doUpdateSet((update) => ({
            node_id: update.ref('excluded.node_id'),
            job_id: update.ref('excluded.job_id'),
            direction: update.ref('excluded.direction'),
            status: update.ref('excluded.status'),
            call: update.ref('excluded.call'),
          })),
        )
        .execute();
    } catch (error) {
      // The other nodes show the ports as last written until the next change writes them again.
      this.#reportFault(`the activity of ports ${ports.map((port) => port.id).join(', ')} was not stored`, error);
    }
  }
}

function boardedPort(row: PortStatusTable, nowMs: number): BoardedPort {
  const written = JSON.parse(row.status) as FaxStatus;
  const startMs = written.startTime ? Date.parse(written.startTime) : Number.NaN;
  const elapsedTime = written.elapsedTime === null || Number.isNaN(startMs) ? null : elapsedTimeOf(startMs, nowMs);
  return {
    nodeId: row.node_id,
    jobId: row.job_id,
    direction: row.direction,
    call: row.call === null ? null : (JSON.parse(row.call) as FaxPortCall),
    status: { ...written, elapsedTime },
  };
}
