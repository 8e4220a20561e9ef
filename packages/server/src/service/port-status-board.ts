// The live activity of every node's ports, where the other nodes sharing the store can read it (issue 16): each node
// writes its ports' FaxStatus into `port_status` when their activity changes — a call begins, a page starts, the far
// end names itself, the call ends — never as time merely passes (elapsedTime is worked out again from startTime when
// read), and changes that come while a write is under way go together in the next, so a burst of short calls costs a
// few writes, not one a change. Only on a store several nodes share: a node alone shows its ports from memory.

import { elapsedTimeOf, type FaxPortCall, type FaxStatus } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';
import type { PortStatusTable } from '../store/schema.js';
import type { Clock } from './clock.js';
import type { FaultReport } from './fault-report.js';
import type { PortRuntime } from './port-runtime.js';

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
  #writing: Promise<void> | undefined;

  constructor(db: FaxdDb, nodeId: string, clock: Clock, reportFault: FaultReport) {
    this.#db = db;
    this.#nodeId = nodeId;
    this.#clock = clock;
    this.#reportFault = reportFault;
  }

  /** Writes `ports` now and each time their activity changes from now on (a restarted node's rows start afresh). */
  post(ports: readonly PortRuntime[]): Promise<void> {
    for (const port of ports) {
      port.onActivity(() => this.#change(port));
      this.#changed.add(port);
    }
    return this.#write();
  }

  /** Resolves once every change so far is written (or its write failed and was reported). */
  async written(): Promise<void> {
    while (this.#writing) await this.#writing;
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
    void this.#write();
  }

  /** One write at a time; it takes every port changed until it starts. */
  #write(): Promise<void> {
    this.#writing ??= this.#writeChanged().finally(() => {
      this.#writing = undefined;
      if (this.#changed.size > 0) void this.#write();
    });
    return this.#writing;
  }

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
