// Where the service says that something failed which it has handled and gone on from (a storage fault, say): one
// line on stderr, `faxd: <what>: <why>`, as the server's other messages are written.

/** Reports a handled failure; `what` says what did not happen, `error` why. */
export type FaultReport = (what: string, error: unknown) => void;

export const reportFaultToStderr: FaultReport = (what, error) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`faxd: ${what}: ${reason}\n`);
};
