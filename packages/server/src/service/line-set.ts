// Opens the configured lines: each `t38` line on its own endpoint toward its peer, each `sip` line on its SIP socket,
// and `loopback` lines in pairs (first with second, third with fourth…) on 127.0.0.1, each the other's peer, so a fax
// sent on one is received on the other.

import type { FaxServerEvent } from '@faxd/contract';
import type { FaxdConfig, LineConfig, SipLineConfig } from '../config/faxd-config.js';
import type { FaxLine } from '../lines/fax-line.js';
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
  try {
    for (const line of config.lines) {
      const open = line.sip ? SipLine.open(sipLineOptions(line, line.sip, tls)) : T38Line.open(lineOptions(line));
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
    const [portA, portB] = [ports[a] as PortRuntime, ports[b] as PortRuntime];
    portA.partner = portB;
    portB.partner = portA;
  }
  return ports;
}
