// The ports as the API shows them (reference §1.3–1.5): this node's from memory, and on a store several nodes share
// every live node's as well, each with its node and its live FaxStatus and call as the owning node last wrote them
// (service/port-status-board.ts). A caller sees a call's identifying values only if it may see its job.

import { FaxApiError, type FaxPortInfo, type FaxStatus } from '@faxd/contract';
import type { Caller } from '../auth/caller.js';
import { portStatusSeenBy } from '../auth/port-status-view.js';
import type { Clock } from './clock.js';
import type { ClusterNode } from './cluster-node.js';
import type { JobOwners } from './job-owners.js';
import { PortActivity } from './port-activity.js';
import type { PortRuntime } from './port-runtime.js';
import type { BoardedPort, PortStatusBoard } from './port-status-board.js';

export interface ClusterPortsContext {
  readonly nodeId: string;
  readonly ports: readonly PortRuntime[];
  readonly owners: JobOwners;
  readonly clock: Clock;
  /** This node among those sharing the store, once it has joined them. */
  readonly node: () => ClusterNode | undefined;
  /** Where the nodes sharing the store keep their ports' activity; none when the store is this node's alone. */
  readonly board: PortStatusBoard | undefined;
}

/** A port of another node, as listed in `nodes`, with what its node last wrote of its activity. */
interface RemotePort {
  readonly info: FaxPortInfo;
  readonly boarded: BoardedPort | undefined;
}

export class ClusterPorts {
  readonly #context: ClusterPortsContext;

  constructor(context: ClusterPortsContext) {
    this.#context = context;
  }

  /** This node's ports. */
  local(): FaxPortInfo[] {
    return this.#context.ports.map((port) => port.info(this.#context.nodeId));
  }

  /** The ports of every live node sharing the store, this node's included, in device id order. */
  async all(): Promise<FaxPortInfo[]> {
    const remote = (await this.#remote()).map(({ info, boarded }) => ({ ...info, call: boarded?.call ?? null }));
    return [...this.local(), ...remote].sort((x, y) => x.deviceId - y.deviceId);
  }

  /** Port `deviceId`, on this node or another live one. */
  async port(deviceId: number): Promise<FaxPortInfo> {
    const local = this.#local(deviceId);
    if (local) return local.info(this.#context.nodeId);
    const remote = (await this.all()).find((port) => port.deviceId === deviceId);
    if (!remote) throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId });
    return remote;
  }

  /** This node's port `deviceId`. */
  runtime(deviceId: number): PortRuntime {
    const port = this.#local(deviceId);
    if (!port) throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId });
    return port;
  }

  /** Each live port's FaxStatus in port order, as `caller` may see it (auth/port-status-view.ts). */
  async allStatusSeenBy(caller: Caller): Promise<FaxStatus[]> {
    const nowMs = this.#context.clock.now();
    const seen = [
      ...this.#context.ports.map((port) => this.#seenBy(caller, port.status(nowMs), port.jobId, port.direction)),
      ...(await this.#remote()).map((remote) => this.#remoteSeenBy(caller, remote)),
    ];
    return (await Promise.all(seen)).sort((x, y) => x.deviceId - y.deviceId);
  }

  /** Port `deviceId`'s FaxStatus, on this node or another live one, as `caller` may see it. */
  async statusSeenBy(deviceId: number, caller: Caller): Promise<FaxStatus> {
    const local = this.#local(deviceId);
    if (local) {
      return this.#seenBy(caller, local.status(this.#context.clock.now()), local.jobId, local.direction);
    }
    const remote = (await this.#remote()).find(({ info }) => info.deviceId === deviceId);
    if (!remote) throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId });
    return this.#remoteSeenBy(caller, remote);
  }

  #local(deviceId: number): PortRuntime | undefined {
    return this.#context.ports.find((port) => port.id === deviceId);
  }

  /** The live ports of the other nodes, with their activity as last written. */
  async #remote(): Promise<RemotePort[]> {
    const node = this.#context.node();
    if (!node) return [];
    const infos = (await node.livePorts()).filter((port) => port.nodeId !== this.#context.nodeId);
    const boarded = (await this.#context.board?.read(infos.map((info) => info.deviceId))) ?? new Map();
    // A row another node wrote for the same id before its line moved here says nothing of this node's port.
    return infos.map((info) => {
      const row = boarded.get(info.deviceId);
      return { info, boarded: row?.nodeId === info.nodeId ? row : undefined };
    });
  }

  #remoteSeenBy(caller: Caller, { info, boarded }: RemotePort): Promise<FaxStatus> {
    if (!boarded) return Promise.resolve(idleStatus(info));
    return this.#seenBy(caller, boarded.status, boarded.jobId ?? undefined, boarded.direction ?? undefined);
  }

  async #seenBy(
    caller: Caller,
    status: FaxStatus,
    jobId: string | undefined,
    direction: 'sending' | 'receiving' | undefined,
  ): Promise<FaxStatus> {
    if (jobId === undefined || direction === undefined) return status;
    // A job not in the store (yet) is nobody's: seen only with the rights over every job of its direction.
    const nobodys = { direction: direction === 'sending' ? 'outgoing' : 'incoming', owner_id: null } as const;
    return portStatusSeenBy(caller, status, (await this.#context.owners.of(jobId)) ?? nobodys);
  }
}

/** A port whose node has not written its activity (a node of an earlier faxd): shown idle. */
function idleStatus(info: FaxPortInfo): FaxStatus {
  return new PortActivity({ id: info.deviceId, name: info.name }).status(0);
}
