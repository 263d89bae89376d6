// The VS Code extension's entry: runs `hindsight dap` from the extension's own bundle for the
// `hindsight` debug type.
import * as vscode from 'vscode';
import { registerViews } from './views';

export function activate(context: vscode.ExtensionContext): void {
  const cli = context.asAbsolutePath('dist/cli.js');
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('hindsight', {
      // The extension host's own Node (Electron's, run as plain Node) runs the adapter: no global install.
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterExecutable(process.execPath, [cli, 'dap'], { env: { ELECTRON_RUN_AS_NODE: '1' } }),
    }),
  );
  registerViews(context);
}
