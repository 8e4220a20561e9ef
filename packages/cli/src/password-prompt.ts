// Reads a password for `faxd user add --password`: from a terminal, asked for on stderr and typed without echo; from
// anything else (a pipe, a file), its first line.
import { UserError } from './user-error.js';

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Typed characters until Enter, none shown; Ctrl-C or Ctrl-D gives up. */
function typedWithoutEcho(): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || char === '\u0004') return finish(() => reject(new UserError('no password given')));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}

export async function readPassword(): Promise<string> {
  const password = process.stdin.isTTY ? await typedWithoutEcho() : await firstLineOfStdin();
  if (password === '') throw new UserError('the password is empty');
  return password;
}
