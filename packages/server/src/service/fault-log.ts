// Faults the service outlives (the store refused a write, an attempt ended in an internal error): each is written to
// standard error, where faxd's other diagnostics go, saying what was being done, and the service carries on.

export function logFault(what: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`faxd: ${what}: ${reason}\n`);
}
