// The language client for Python files: runs `hindsight lsp --stdio` from the extension's bundle and
// passes the `hindsight.*` settings (CodeLens, inline values, inlay hints, hovers, diagnostics are the server's).
import * as vscode from 'vscode';
import { LanguageClient, type ServerOptions } from 'vscode-languageclient/node';

export function startLanguageClient(cli: string): LanguageClient {
  const server = { command: process.execPath, args: [cli, 'lsp', '--stdio'], options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } };
  const serverOptions: ServerOptions = { run: server, debug: server };
  const client = new LanguageClient('hindsight', 'Hindsight', serverOptions, {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    initializationOptions: { hindsight: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('hindsight'))) },
    synchronize: { configurationSection: 'hindsight' },
  });
  void client.start();
  return client;
}
