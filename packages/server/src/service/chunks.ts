// Long lists cut into pieces a statement can take: the stores bound how many values one statement binds.

/** `items` in order, `size` at a time; the last piece may be shorter, and an empty list gives no pieces. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
