// `hindsight lsp --stdio`: the language server over the trace, on stdin/stdout. Nothing but the
// protocol may reach stdout, so console output is sent to stderr. Incoming bytes pass the framing
// guard (a broken header ends the connection with one line) and messages the gate (messageGate.ts).
import { pipeline } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { FramingGuard } from '../adapter/framing';
import { MessageGate } from './messageGate';
import { HindsightLanguageServer } from './server';

export const LSP_USAGE = `usage: hindsight lsp --stdio

Serves the Language Server Protocol on stdin/stdout: call counts, values, hovers and diagnostics from
the newest trace under the workspace's .hindsight/ folder (or the "hindsight.trace" setting).`;

/** didOpen carries a whole file: far above any source file, still refused unread beyond. */
const LSP_MAX_BODY = 64 * 1024 * 1024;

export async function lsp(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(`${LSP_USAGE}\n`);
    return 0;
  }
  if (argv.length !== 1 || argv[0] !== '--stdio') {
    process.stderr.write('hindsight lsp: give --stdio (the server speaks on stdin/stdout)\n');
    return 2;
  }
  console.log = console.info = console.warn = console.error;
  return new Promise((resolve) => {
    const writer = new StreamMessageWriter(process.stdout);
    const guard = new FramingGuard((problem) => {
      process.stderr.write(`hindsight lsp: ${problem}; closing the connection\n`);
      end(1);
    }, LSP_MAX_BODY);
    pipeline(process.stdin, guard, () => undefined);
    const connection = createConnection(ProposedFeatures.all, new MessageGate(new StreamMessageReader(guard), writer), writer);
    const server = new HindsightLanguageServer(connection);
    const end = (code: number) => {
      server.dispose();
      connection.dispose();
      process.stdin.destroy();
      resolve(code);
    };
    connection.onExit(() => end(0));
    connection.listen();
  });
}
