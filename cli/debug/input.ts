// The terminal debugger's command loop: readline with line editing and history on a terminal; from a
// pipe, one command per line, each echoed after the prompt so that a transcript reads like a session.
import * as readline from 'node:readline';
import { CommandError, parseCommand } from './commands';
import type { Debugger } from './debugger';

const PROMPT = '(hindsight) ';

/** Reads and runs commands until `q`, end of input, or the server's death (which rejects). */
export async function commandLoop(session: Debugger): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: PROMPT });
  // Ctrl-C at the prompt drops the line being typed, as a shell does.
  rl.on('SIGINT', () => {
    process.stdout.write('^C\n');
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  });
  // From a pipe the input may end (and readline close) while its last lines still wait to run.
  let closed = false;
  rl.once('close', () => { closed = true; });
  const prompt = () => {
    if (!interactive) process.stdout.write(PROMPT);
    else if (!closed) rl.prompt();
  };
  const lines = rl[Symbol.asyncIterator]();
  let last: string | undefined;
  try {
    for (;;) {
      prompt();
      const next = await Promise.race([lines.next(), session.died.then((error) => { throw error; })]);
      if (next.done) {
        if (!interactive) process.stdout.write('\n');
        return;
      }
      const typed = next.value as string;
      if (!interactive) process.stdout.write(`${typed}\n`);
      // As pdb: an empty line repeats the last command.
      const line = typed.trim() === '' ? last : typed;
      if (line === undefined) continue;
      last = line;
      let command;
      try {
        command = parseCommand(line);
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        process.stdout.write(`*** ${error.message}\n`);
        continue;
      }
      if (await session.run(command) === 'quit') return;
    }
  } finally {
    rl.close();
  }
}
