// HindsightLanguageServer: wires the connection, the open documents and the trace workspace to the
// features (lsp/features/*), each of which declares its capabilities and registers its handlers.
// When the trace or the cursor changes, every view the client caches is asked to refresh.
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest, MessageType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeParams,
  type Hover, type InitializeResult, type InlayHint, type Position, type Range, type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../package.json';
import { callStats } from './features/callStats';
import { diagnostics } from './features/diagnostics';
import { valuesFeature } from './features/values';
import { readSettings, type Settings } from './settings';
import { TraceWorkspace, type DocumentView } from './traceWorkspace';

/** What a feature gets to work with. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspace: TraceWorkspace;
  /** The client's capabilities (set at initialize). */
  client(): ClientCapabilities;
  settings(): Settings;
}

/**
 * A feature: the capabilities it adds and the handlers it registers. Hover and inlay hints are shared
 * by several features, so the server owns those two handlers and asks every feature's provider.
 */
export interface Feature {
  /** What it adds to the server's capabilities, or a function of what the client can do. */
  capabilities: ServerCapabilities | ((client: ClientCapabilities) => ServerCapabilities);
  register?(context: ServerContext): void;
  /** Hints for the document's lines in `range` (document coordinates), mapped through view.lines. */
  inlayHints?(context: ServerContext, document: TextDocument, view: DocumentView, range: Range): InlayHint[];
  /** A hover at the position, or undefined to let the next feature answer. */
  hover?(context: ServerContext, document: TextDocument, view: DocumentView, position: Position): Hover | undefined;
}

const FEATURES: Feature[] = [callStats, valuesFeature, diagnostics];

export class HindsightLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace: TraceWorkspace;
  private clientCapabilities: ClientCapabilities = {};
  private currentSettings: Settings = readSettings(undefined);
  private roots: string[] = [];

  constructor(private readonly connection: Connection) {
    this.workspace = new TraceWorkspace({
      info: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }),
      warning: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
      error: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message }),
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.workspace.watch());
    connection.onDidChangeConfiguration((change) => {
      this.currentSettings = readSettings(change.settings);
      void this.workspace.configure(this.roots, this.currentSettings.trace).then(() => this.refreshClient());
    });
    this.documents.onDidClose((event) => this.workspace.forget(event.document.uri));
    this.workspace.onChange(() => this.refreshClient());
    const context: ServerContext = {
      connection, documents: this.documents, workspace: this.workspace,
      client: () => this.clientCapabilities, settings: () => this.currentSettings,
    };
    for (const feature of FEATURES) feature.register?.(context);
    connection.languages.inlayHint.on((params) => this.withView(params.textDocument.uri, [], (document, view) =>
      FEATURES.flatMap((feature) => feature.inlayHints?.(context, document, view, params.range) ?? [])));
    connection.onHover((params) => this.withView(params.textDocument.uri, null, (document, view) => {
      for (const feature of FEATURES) {
        const hover = feature.hover?.(context, document, view, params.position);
        if (hover) return hover;
      }
      return null;
    }));
    this.documents.listen(connection);
  }

  /** Runs `answer` on an open document the trace recorded, else returns `none`. */
  private withView<T>(uri: string, none: T, answer: (document: TextDocument, view: DocumentView) => T): T {
    const document = this.documents.get(uri);
    const view = document && this.workspace.view(document);
    return document && view ? answer(document, view) : none;
  }

  dispose(): void {
    this.workspace.dispose();
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.clientCapabilities = params.capabilities;
    this.currentSettings = readSettings(params.initializationOptions);
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    await this.workspace.configure(this.roots, this.currentSettings.trace);
    const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental, hoverProvider: true, inlayHintProvider: true };
    for (const feature of FEATURES) {
      Object.assign(capabilities, typeof feature.capabilities === 'function' ? feature.capabilities(params.capabilities) : feature.capabilities);
    }
    return { capabilities, serverInfo: { name: 'hindsight', version: packageJson.version } };
  }

  /** Asks the client to pull again whatever it caches, for each kind it can refresh. */
  private refreshClient(): void {
    const workspace = this.clientCapabilities.workspace;
    const { languages } = this.connection;
    if (workspace?.codeLens?.refreshSupport) void this.connection.sendRequest(CodeLensRefreshRequest.type);
    if (workspace?.inlayHint?.refreshSupport) void languages.inlayHint.refresh();
    if (workspace?.inlineValue?.refreshSupport) void languages.inlineValue.refresh();
    if (workspace?.diagnostics?.refreshSupport) void languages.diagnostics.refresh();
  }
}
