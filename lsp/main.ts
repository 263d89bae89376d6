// `hindsight lsp --stdio`: the language server over the trace, on stdin/stdout. Nothing but the
// protocol may reach stdout, so console output is sent to stderr.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { HindsightLanguageServer } from './server';

export const LSP_USAGE = `usage: hindsight lsp --stdio

Serves the Language Server Protocol on stdin/stdout: call counts, values, hovers and diagnostics from
the newest trace under the workspace's .hindsight/ folder (or the "hindsight.trace" setting).`;

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
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  const server = new HindsightLanguageServer(connection);
  return new Promise((resolve) => {
    connection.onExit(() => {
      server.dispose();
      resolve(0);
    });
    connection.listen();
  });
}
