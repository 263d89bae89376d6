// LSP test driver: the real `hindsight lsp --stdio` in a child process, driven by a protocol
// connection from vscode-languageserver-protocol as an editor would, with the messages it sends kept
// for the test (shown messages, published diagnostics, refresh requests).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, DidOpenTextDocumentNotification, ExitNotification, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, ShutdownRequest, ShowMessageNotification, StreamMessageReader, StreamMessageWriter,
  type ClientCapabilities, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams, type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { CLI } from './recordings';

/** What an editor with every refreshable view announces (tests narrow it to play a simpler client). */
export const FULL_CLIENT: ClientCapabilities = {
  workspace: {
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    inlineValue: { refreshSupport: true },
    diagnostics: { refreshSupport: true },
    configuration: false,
  },
  textDocument: {
    codeLens: {}, inlayHint: {}, inlineValue: {}, hover: { contentFormat: ['markdown', 'plaintext'] },
    diagnostic: {}, publishDiagnostics: { tagSupport: { valueSet: [1, 2] }, relatedInformation: true },
  },
  window: { showMessage: {} },
};

/** The requests a server may send this client: each is counted and answered with null. */
const SERVER_REQUESTS = ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/inlineValue/refresh',
  'workspace/diagnostic/refresh', 'workspace/configuration', 'window/showMessageRequest', 'window/workDoneProgress/create',
  'client/registerCapability', 'window/showDocument'];

export interface Lsp {
  connection: ProtocolConnection;
  initialized: InitializeResult;
  messages: ShowMessageParams[];
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Server→client requests by method (e.g. workspace/codeLens/refresh), counted. */
  requests: Map<string, number>;
  /** What the server wrote on stderr so far (also passed on to the test's stderr). */
  stderr(): string;
  /** Opens a file as the editor would (languageId from its extension unless given); resolves to its URI. */
  open(file: string, text?: string, languageId?: string): Promise<string>;
  /** Resolves once `check` holds for the recorded messages (polled on each incoming message). */
  until(check: () => boolean, what: string): Promise<void>;
  stop(): Promise<void>;
}

export interface LspOptions {
  /** Workspace folder (its .hindsight/ is searched for traces). */
  root: string;
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
}

export async function startLsp(options: LspOptions): Promise<Lsp> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: options.root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    process.stderr.write(text);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (!child.stdout || !child.stdin) throw new Error('no pipes to the language server');
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const messages: ShowMessageParams[] = [];
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const requests = new Map<string, number>();
  const waiters = new Set<() => void>();
  const wake = () => { for (const waiter of waiters) waiter(); };
  connection.onNotification(ShowMessageNotification.type, (params) => { messages.push(params); wake(); });
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => { diagnostics.set(params.uri, params); wake(); });
  for (const method of SERVER_REQUESTS) {
    connection.onRequest(method, () => {
      requests.set(method, (requests.get(method) ?? 0) + 1);
      wake();
      return null;
    });
  }
  connection.listen();
  const initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(options.root).href,
    workspaceFolders: [{ uri: pathToFileURL(options.root).href, name: 'workspace' }],
    capabilities: options.capabilities ?? FULL_CLIENT,
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  let version = 0;
  return {
    connection, initialized, messages, diagnostics, requests,
    stderr: () => stderr,
    async open(file, text, languageId) {
      const uri = pathToFileURL(file).href;
      const language = languageId ?? (file.endsWith('.py') ? 'python' : 'plaintext');
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: language, version: ++version, text: text ?? fs.readFileSync(file, 'utf8') },
      });
      return uri;
    },
    until(check, what) {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`timed out waiting for ${what}`)); }, 20_000);
        const waiter = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      if (code !== 0) throw new Error(`hindsight lsp exited with code ${code}`);
    },
  };
}
