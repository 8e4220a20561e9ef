// Opens the configured lines: each `t38` line on its own endpoint toward its peer, each `sip` line on its SIP socket,
// `loopback` lines in pairs (first with second, third with fourth…) on 127.0.0.1, each the other's peer, so a fax
// sent on one is received on the other, and `sandbox` lines in the pairs their `peer` keys name, joined in memory.

import type { FaxServerEvent } from '@faxd/contract';
import type { FaxdConfig, LineConfig, SipLineConfig } from '../config/faxd-config.js';
import type { FaxLine } from '../lines/fax-line.js';
import { SandboxLine } from '../lines/sandbox-line.js';
import { SipLine } from '../lines/sip-line.js';
import { T38Line } from '../lines/t38-line.js';
import { parseUdpEndpoint } from '../lines/udptl-socket.js';
import type { TlsCredentials } from '../tls/tls-credentials.js';
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

function sipLineOptions(config: LineConfig, sip: SipLineConfig, tls: TlsCredentials | undefined) {
  return {
    listen: parseUdpEndpoint(sip.listen),
    transport: sip.transport,
    ...(sip.transport === 'tls' && tls && { tls: { credentials: tls } }),
    ...(sip.advertise && { advertise: sip.advertise }),
    numbers: sip.numbers,
    ...(sip.proxy && { proxy: sip.proxy }),
    ...(sip.registrar && { registrar: sip.registrar }),
    ...(sip.username && { username: sip.username }),
    ...(sip.password && { password: sip.password }),
    mediaPorts: config.mediaPorts ?? { first: 40100, last: 40199 },
    ecm: config.ecm,
    compression: 'mmr' as const,
    csid: config.csid,
    rings: config.rings,
    audioFax: sip.audioFax,
    ...(sip.offer === 'audio' && { call: { audioFirst: true } }),
    gate: {
      ...(sip.allow && { allow: sip.allow }),
      rateLimit: sip.rateLimit,
      ...(sip.inboundAuth && { inboundAuth: sip.inboundAuth }),
    },
  };
}

/** The ports in configuration order; a line that cannot bind closes the ones already open and fails the start. */
export async function openLines(
  config: FaxdConfig,
  publish: (event: FaxServerEvent) => void,
  tls?: TlsCredentials,
): Promise<PortRuntime[]> {
  const opened: { config: LineConfig; line: FaxLine }[] = [];
  const sandboxes = sandboxPairs(config.lines);
  try {
    for (const line of config.lines) {
      const sandbox = sandboxes.get(line.id);
      const open = sandbox
        ? Promise.resolve(sandbox)
        : line.sip
          ? SipLine.open(sipLineOptions(line, line.sip, tls))
          : T38Line.open(lineOptions(line));
      const faxLine = await open.catch((error: Error) => {
        throw new Error(
          `line ${line.id} (${line.name}) cannot listen on ${line.sip?.listen ?? line.bind ?? '127.0.0.1'}: ${error.message}`,
        );
      });
      opened.push({ config: line, line: faxLine });
    }
  } catch (error) {
    await Promise.all(opened.map(({ line }) => line.close()));
    throw error;
  }
  const ports = opened.map(({ config: line, line: t38 }) => new PortRuntime(line, t38, publish));
  const loopbacks = opened.flatMap((entry, i) => (entry.config.kind === 'loopback' ? [i] : []));
  for (let k = 0; k + 1 < loopbacks.length; k += 2) {
    const [a, b] = [loopbacks[k] as number, loopbacks[k + 1] as number];
    const [lineA, lineB] = [
      (opened[a] as (typeof opened)[number]).line,
      (opened[b] as (typeof opened)[number]).line,
    ] as [T38Line, T38Line];
    lineA.peer = lineB.address;
    lineB.peer = lineA.address;
    pairPorts(ports[a] as PortRuntime, ports[b] as PortRuntime);
  }
  for (const port of ports) {
    const peer = ports.find((other) => other.id === port.config.peerLine);
    if (peer) pairPorts(port, peer);
  }
  return ports;
}

/** The two ports are one circuit: a call on either occupies both, so the queue sends on neither meanwhile. */
function pairPorts(a: PortRuntime, b: PortRuntime): void {
  a.partner = b;
  b.partner = a;
}

/** Each sandbox line by id, already joined to the partner its `peer` names (the configuration checked they agree). */
function sandboxPairs(lines: readonly LineConfig[]): Map<number, SandboxLine> {
  const pairs = new Map<number, SandboxLine>();
  const options = (line: LineConfig) => ({ ecm: line.ecm, compression: 'mmr' as const, csid: line.csid });
  for (const line of lines) {
    const peer = lines.find((other) => other.id === line.peerLine);
    if (line.kind !== 'sandbox' || !peer || pairs.has(line.id)) continue;
    const [a, b] = SandboxLine.pair(options(line), options(peer));
    pairs.set(line.id, a);
    pairs.set(peer.id, b);
  }
  return pairs;
}
