// The 1-based Item(index) of COM collections (reference §1.1: "Collections are 1-based"), shared by the SDK's FaxPorts
// and the compat FaxRecipients.

/** The item at `index`, counting from 1; a RangeError naming `what` outside 1..items.length. */
export function itemAt<T>(items: readonly T[], index: number, what: string): T {
  if (!Number.isInteger(index) || index < 1 || index > items.length) {
    throw new RangeError(`${what} index ${index} is outside 1..${items.length}`);
  }
  return items[index - 1];
}
