// Plain-text tables for the human output of `fax ports`, `fax jobs` and `fax inbox`, in the manner of HylaFAX's
// faxstat: a header row, columns padded to their widest cell, numbers right-aligned.

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => string | number;
}

/** The table as lines ending in LF. Number cells are right-aligned, text cells left-aligned. */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((line) => String(line[i]).length)),
  );
  const numeric = columns.map((_, i) => cells.length > 0 && cells.every((line) => typeof line[i] === 'number'));
  const render = (line: readonly (string | number)[]) =>
    line
      .map((cell, i) => (numeric[i] ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [columns.map((column) => column.header), ...cells].map((line) => `${render(line)}\n`).join('');
}
