// The VS Code extension's entry: the `hindsight` debug type (its adapter run from the extension's own
// bundle), the language client, the commands and the views.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { resolveConfiguration, type Configuration } from './configuration';
import { startLanguageClient } from './languageClient';
import { registerViews } from './views';

export function activate(context: vscode.ExtensionContext): void {
  const cli = context.asAbsolutePath('dist/cli.js');
  const client = startLanguageClient(cli);
  context.subscriptions.push(
    { dispose: () => void client.stop() },
    vscode.debug.registerDebugAdapterDescriptorFactory('hindsight', {
      // The extension host's own Node (Electron's, run as plain Node) runs the adapter: no global install.
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterExecutable(process.execPath, [cli, 'dap'], { env: { ELECTRON_RUN_AS_NODE: '1' } }),
    }),
    vscode.debug.registerDebugConfigurationProvider('hindsight', {
      resolveDebugConfiguration: (folder, config) => {
        const document = vscode.window.activeTextEditor?.document;
        const pythonFile = document?.languageId === 'python' && document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
        const resolved = resolveConfiguration(config as Configuration, { pythonFile, folder: folder?.uri.fsPath });
        if (typeof resolved === 'string') return void vscode.window.showInformationMessage(resolved);
        return resolved as vscode.DebugConfiguration;
      },
    }),
  );
  registerCommands(context);
  registerViews(context);
}
