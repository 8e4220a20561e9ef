// Test support: a `t38` line's configuration toward a fixed peer on 127.0.0.1, as the tests running several faxd
// nodes and a far end give each node its lines.

/** Line `id` bound to UDP `bind`, its peer on UDP `peer`, naming itself `tsid`; `send`: whether it may send. */
export function t38TestLine(id: number, bind: number, peer: number, tsid: string, send: boolean) {
  return { id, kind: 't38', bind: `127.0.0.1:${bind}`, peer: `127.0.0.1:${peer}`, tsid, send } as const;
}
