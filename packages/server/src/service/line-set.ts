// Opens the configured lines: each `t38` line on its own endpoint toward its peer, and `loopback` lines in pairs
// (first with second, third with fourth…) on 127.0.0.1, each the other's peer, so a fax sent on one is received on
// the other.

import type { FaxServerEvent } from '@faxd/contract';
import type { FaxdConfig, LineConfig } from '../config/faxd-config.js';
import { T38Line } from '../lines/t38-line.js';
import { parseUdpEndpoint } from '../lines/udptl-socket.js';
import { PortRuntime } from './port-runtime.js';

const LOOPBACK = { host: '127.0.0.1', port: 0 };
const REDUNDANCY = 3;

function lineOptions(config: LineConfig) {
  return {
    bind: config.bind ? parseUdpEndpoint(config.bind) : LOOPBACK,
    peer: config.peer ? parseUdpEndpoint(config.peer) : undefined,
    ecm: config.ecm,
    compression: 'mmr' as const,
    csid: config.csid,
    redundancy: REDUNDANCY,
  };
}

/** The ports in configuration order; a line that cannot bind closes the ones already open and fails the start. */
export async function openLines(config: FaxdConfig, publish: (event: FaxServerEvent) => void): Promise<PortRuntime[]> {
  const ports: PortRuntime[] = [];
  try {
    for (const line of config.lines) {
      const opened = await T38Line.open(lineOptions(line)).catch((error: Error) => {
        throw new Error(
          `line ${line.id} (${line.name}) cannot listen on ${line.bind ?? '127.0.0.1'}: ${error.message}`,
        );
      });
      ports.push(new PortRuntime(line, opened, publish));
    }
  } catch (error) {
    await Promise.all(ports.map((port) => port.line.close()));
    throw error;
  }
  const loopbacks = ports.filter((port) => port.config.kind === 'loopback');
  for (let i = 0; i + 1 < loopbacks.length; i += 2) {
    const [a, b] = [loopbacks[i] as PortRuntime, loopbacks[i + 1] as PortRuntime];
    a.line.peer = b.line.address;
    b.line.peer = a.line.address;
    a.partner = b;
    b.partner = a;
  }
  return ports;
}
