// This node's place among the faxd nodes sharing one store (issue 16): its row in `nodes` names the lines it serves and
// is renewed every heartbeat; the unfinished jobs of a node whose lease lapsed are taken over by whichever node notices
// first (their claim epoch moves on, fencing the old holder out) and settled as a restart settles its own; a node does
// not start on a line a live node serves. A node's calls stop before its lease could lapse (lease-deadline.ts), so a
// node that stalls never delivers a page of a job another node is sending again.

import { FAX_JOB_STATUS_ENUM, type FaxPortInfo } from '@faxd/contract';
import { sql } from 'kysely';
import type { FaxdConfig } from '../config/faxd-config.js';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import type { Clock } from './clock.js';
import { reportFaultToStderr } from './fault-report.js';
import { JobStateError } from './job-book.js';
import { LeaseDeadline, leaseHoldMs } from './lease-deadline.js';

const S = FAX_JOB_STATUS_ENUM;

/** The transaction-level advisory lock joining nodes take on PostgreSQL, so two never both take one line. */
const JOIN_LOCK_KEY = 0x66617865;

/** A line of this node's configuration is served by another live node: the operator's to fix. */
export class LineConflictError extends Error {
  override readonly name = 'LineConflictError';
}

/** A line as the nodes table lists it: enough for any node to accept a job for it. */
export interface ClusterLine {
  readonly id: number;
  readonly send: boolean;
}

export interface ClusterNodeContext {
  readonly db: FaxdDb;
  readonly config: Pick<FaxdConfig, 'nodeId' | 'cluster' | 'store'>;
  /** This node's ports, as every node lists them. */
  readonly ports: readonly FaxPortInfo[];
  /** Real time: leases measure how long a node has been silent, whatever calendar its queue runs on. */
  readonly clock: Clock;
  /** Settles an unfinished job this node has just taken over from a node whose lease lapsed. */
  readonly settle: (row: JobRow, lastError: string) => Promise<void>;
  /**
   * After a renewal while other nodes are live (or lapsed lately), one that took jobs over, or one that gave this node
   * its lease back: jobs submitted on other nodes, or retries they scheduled, may be due on this node's lines. (Alone
   * and never lapsed, a node's own queue knows of every job.)
   */
  readonly onRenewed: () => void;
  /**
   * This node's lease is no longer surely its own (no renewal acknowledged in time): its calls must stop before another
   * node can take their jobs over.
   */
  readonly onLeaseLost: () => void;
}

export class ClusterNode {
  readonly #context: ClusterNodeContext;
  /**
   * Until when this node's lease is surely its own. Only where other nodes can share the store (PostgreSQL): alone on
   * SQLite, no node can take its calls over, and a renewal a full disk refuses must not stop its faxes.
   */
  readonly #lease: LeaseDeadline | undefined;
  #cancelBeat: (() => void) | undefined;
  #beating: Promise<void> | undefined;
  #stopped = false;

  private constructor(context: ClusterNodeContext, joinedAtMs: number) {
    this.#context = context;
    const holdMs = leaseHoldMs(context.config.cluster.leaseSeconds);
    if (context.config.store.kind === 'postgres') {
      this.#lease = new LeaseDeadline(context.clock, holdMs, joinedAtMs, context.onLeaseLost);
    }
  }

  /** Records this node and its lines; throws LineConflictError if a live node other than this one serves any of them. */
  static async join(context: ClusterNodeContext): Promise<ClusterNode> {
    const { db, config, clock, ports } = context;
    const nowMs = clock.now();
    const now = new Date(nowMs).toISOString();
    await db.transaction().execute(async (trx) => {
      if (config.store.kind === 'postgres') await sql`select pg_advisory_xact_lock(${JOIN_LOCK_KEY})`.execute(trx);
      const live = await trx
        .selectFrom('nodes')
        .selectAll()
        .where('id', '!=', config.nodeId)
        .where('heartbeat_at', '>', leaseStart(nowMs, config.cluster.leaseSeconds))
        .execute();
      for (const node of live) {
        const taken = (JSON.parse(node.lines) as FaxPortInfo[]).find(({ deviceId }) =>
          ports.some((port) => port.deviceId === deviceId),
        );
        if (taken !== undefined) {
          throw new LineConflictError(
            `line ${taken.deviceId} is served by node "${node.id}", which is live (lease renewed at ${node.heartbeat_at}): ` +
              'port ids must be unique across the nodes sharing a store',
          );
        }
      }
      const row = { id: config.nodeId, lines: JSON.stringify(ports), started_at: now, heartbeat_at: now };
      await trx
        .insertInto('nodes')
        .values(row)
        .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...row, id: undefined }))
        .execute();
    });
    return new ClusterNode(context, nowMs);
  }

  /**
   * Whether this node's lease is surely its own now: a call asks before each step, the queue before it dispatches
   * (lease-deadline.ts).
   */
  holdsLease(): boolean {
    return this.#lease?.held() ?? true;
  }

  /** The lines of every live node, this one's included, as a submission checks a requested line against them. */
  async liveLines(): Promise<ClusterLine[]> {
    return (await this.livePorts()).map((port) => ({ id: port.deviceId, send: port.send }));
  }

  /** The ports of every live node, this one's included, in device id order. */
  async livePorts(): Promise<FaxPortInfo[]> {
    const { db, config, clock } = this.#context;
    const nodes = await db
      .selectFrom('nodes')
      .select(['id', 'lines'])
      .where((where) =>
        where.or([
          where('id', '=', config.nodeId),
          where('heartbeat_at', '>', leaseStart(clock.now(), config.cluster.leaseSeconds)),
        ]),
      )
      .execute();
    return nodes.flatMap((node) => JSON.parse(node.lines) as FaxPortInfo[]).sort((x, y) => x.deviceId - y.deviceId);
  }

  /** Renews the lease every heartbeat from now on, taking over lapsed nodes' jobs as it goes. */
  start(): void {
    this.#schedule();
  }

  /** Stops renewing; resolves once a renewal under way has ended. The row stays: the others take over after the lease. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelBeat?.();
    this.#lease?.stop();
    await this.#beating;
  }

  /** Takes over and settles the unfinished jobs of every node whose lease has lapsed; how many it took. */
  async takeOverLapsed(): Promise<number> {
    const { db, config, clock } = this.#context;
    const nowMs = clock.now();
    const lapsed = await db
      .selectFrom('nodes')
      .select(['id', 'heartbeat_at'])
      .where('id', '!=', config.nodeId)
      .where('heartbeat_at', '<=', leaseStart(nowMs, config.cluster.leaseSeconds))
      .execute();
    let taken = 0;
    for (const node of lapsed) {
      // One statement: two nodes noticing at once each take only what the other did not (the row lock decides).
      const rows = await db
        .updateTable('jobs')
        .set({ claim_node: config.nodeId, claim_epoch: sql`claim_epoch + 1` })
        .where('claim_node', '=', node.id)
        .where('status', 'in', [S.fjsINPROGRESS, S.fjsCANCELING, S.fjsROUTING])
        .returningAll()
        .execute();
      const why = `interrupted: node "${node.id}" stopped renewing its lease (last at ${node.heartbeat_at})`;
      for (const row of rows) await this.#settleTaken(row, why);
      taken += rows.length;
    }
    return taken;
  }

  /**
   * Settles one job taken over; a job that cannot be settled does not keep the others taken with it unsettled (they
   * are this node's now, and nothing else would settle them while it lives). The lapsed node restarting under its
   * nodeId may have settled this one first (its recovery read the job before the takeover): the machine then refuses
   * the second settling, which is no fault.
   */
  async #settleTaken(row: JobRow, why: string): Promise<void> {
    try {
      await this.#context.settle(row, why);
    } catch (error) {
      if (!(error instanceof JobStateError)) reportFaultToStderr(`job ${row.id} taken over was not settled`, error);
    }
  }

  /**
   * Whether another node is live, or lapsed less than a lease ago: a node settles its calls as retries when its lease
   * runs short (a fifth of the lease before it lapses, less than a heartbeat), and those retries fall due on the others'
   * lines once it is gone.
   */
  async #othersRecent(nowMs: number): Promise<boolean> {
    const { db, config } = this.#context;
    const other = await db
      .selectFrom('nodes')
      .select('id')
      .where('id', '!=', config.nodeId)
      .where('heartbeat_at', '>', leaseStart(nowMs, 2 * config.cluster.leaseSeconds))
      .executeTakeFirst();
    return other !== undefined;
  }

  /**
   * The next beat one heartbeat after the last one began (`lastMs`), or at once if that has passed: a slow beat (its
   * takeovers, a busy store) does not space the renewals further apart.
   */
  #schedule(lastMs = this.#context.clock.now()): void {
    if (this.#stopped) return;
    const atMs = lastMs + this.#context.config.cluster.heartbeatSeconds * 1000;
    this.#cancelBeat = this.#context.clock.wakeAt(atMs, () => {
      const beganMs = this.#context.clock.now();
      this.#beating = this.#beat(beganMs).finally(() => {
        this.#beating = undefined;
        this.#schedule(beganMs);
      });
    });
  }

  async #beat(nowMs: number): Promise<void> {
    const { db, config } = this.#context;
    try {
      // The time stored is the time sent, from which the other nodes count the lease, and so does this node.
      await db
        .updateTable('nodes')
        .set({ heartbeat_at: new Date(nowMs).toISOString() })
        .where('id', '=', config.nodeId)
        .execute();
      const regained = this.#lease?.renewed(nowMs) ?? false;
      const taken = await this.takeOverLapsed();
      if (regained || taken > 0 || (await this.#othersRecent(nowMs))) this.#context.onRenewed();
    } catch (error) {
      // The next beat tries again; meanwhile the deadline stands, and this node's calls stop when it passes.
      reportFaultToStderr(`node "${config.nodeId}" could not renew its lease`, error);
    }
  }
}

/** The time before which a heartbeat has lapsed, as the stored ISO text compares. */
function leaseStart(nowMs: number, leaseSeconds: number): string {
  return new Date(nowMs - leaseSeconds * 1000).toISOString();
}
