// The extension's commands: debug this file, open a trace (and pick one for a launch.json), reverse
// step in / out on the focused thread. Going to a position is the views' (views/index.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordFile } from './configuration';
import { focusedThread, hindsightSession } from './session';

export function registerCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('hindsight.debugFile', debugFile),
    vscode.commands.registerCommand('hindsight.pickTrace', pickTrace),
    vscode.commands.registerCommand('hindsight.openTrace', openTrace),
    vscode.commands.registerCommand('hindsight.reverseStepIn', () => reverseStep('reverseStepIn')),
    vscode.commands.registerCommand('hindsight.reverseStepOut', () => reverseStep('reverseStepOut')),
  );
}

async function debugFile(resource?: vscode.Uri): Promise<void> {
  const uri = resource ?? vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme !== 'file') return void vscode.window.showInformationMessage('Hindsight: open a Python file to record and debug it.');
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  await vscode.debug.startDebugging(folder, recordFile(uri.fsPath, folder?.uri.fsPath));
}

/** A trace file: one of the workspace's .hindsight/ traces, newest first, or any file chosen in a dialog. */
async function pickTrace(): Promise<string | undefined> {
  const traces = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => tracesIn(path.join(folder.uri.fsPath, '.hindsight')));
  traces.sort((a, b) => b.modified - a.modified);
  const other = 'Another file…';
  const picked = traces.length === 0 ? other : await vscode.window.showQuickPick(
    [...traces.map((trace) => ({ label: path.basename(trace.path), description: new Date(trace.modified).toLocaleString(), detail: trace.path })), { label: other, detail: '' }],
    { placeHolder: 'The trace to replay' },
  ).then((item) => item && (item.label === other ? other : item.detail));
  if (picked !== other) return picked;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Hindsight traces': ['db'] }, openLabel: 'Replay' });
  return chosen?.[0]?.fsPath;
}

async function openTrace(): Promise<void> {
  const trace = await pickTrace();
  if (trace) await vscode.debug.startDebugging(undefined, { type: 'hindsight', request: 'attach', name: `Hindsight: ${path.basename(trace)}`, trace });
}

async function reverseStep(command: 'reverseStepIn' | 'reverseStepOut'): Promise<void> {
  const session = hindsightSession();
  const threadId = session && focusedThread(session);
  if (!session || threadId === undefined) return void vscode.window.showInformationMessage('Hindsight: stop in a Hindsight debug session first.');
  await session.customRequest(command, { threadId }).then(undefined, (error: Error) => vscode.window.showErrorMessage(`Hindsight: ${error.message}`));
}

function tracesIn(dir: string): { path: string; modified: number }[] {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.trace.db')) : [];
  return names.map((name) => ({ path: path.join(dir, name), modified: fs.statSync(path.join(dir, name)).mtimeMs }));
}
