// The `fax` command: the faxd command line (DESIGN.md §3).
import { CONVERT_USAGE, convertCommand } from './commands/convert.js';
import { TERMINAL_USAGE, terminalCommand } from './commands/terminal.js';
import { dispatch, runMain } from './run-command.js';

const USAGE = `usage: fax COMMAND [options]

Commands:
  convert    documents to fax pages: TIFF Class F, PDF or PNG
  terminal   send or receive one fax over T.38 (UDPTL on UDP)

${CONVERT_USAGE}
${TERMINAL_USAGE}`;

await runMain('fax', () =>
  dispatch({ convert: convertCommand, terminal: terminalCommand }, process.argv.slice(2), USAGE),
);
