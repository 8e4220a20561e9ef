// The `fax` command: the faxd command line (DESIGN.md §3).
import { CONVERT_USAGE, convertCommand } from './commands/convert.js';
import { dispatch, runMain } from './run-command.js';

const USAGE = `usage: fax COMMAND [options]

Commands:
  convert    documents to fax pages: TIFF Class F, PDF or PNG

${CONVERT_USAGE}`;

await runMain('fax', () => dispatch({ convert: convertCommand }, process.argv.slice(2), USAGE));
