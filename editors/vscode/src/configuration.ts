// Debug configurations of the `hindsight` type, kept free of the vscode module so tests run them:
// F5 without a launch.json records the open Python file; a launch without cwd runs in the workspace folder.
import * as path from 'node:path';

export interface Configuration {
  type?: string;
  request?: string;
  name?: string;
  [argument: string]: unknown;
}

export const RECORD_FILE = 'Hindsight: Record and debug current file';

/** Records `file` and debugs it, stopped on its first line; traces land in the folder's .hindsight/. */
export function recordFile(file: string, folder: string | undefined): Configuration & { type: string; request: string; name: string } {
  return { type: 'hindsight', request: 'launch', name: RECORD_FILE, program: file, cwd: folder ?? path.dirname(file), stopOnEntry: true };
}

/** The configuration to start, or a sentence saying why there is nothing to debug. */
export function resolveConfiguration(config: Configuration, context: { pythonFile?: string; folder?: string }): Configuration | string {
  if (!config.type && !config.request && !config.name) {
    return context.pythonFile ? recordFile(context.pythonFile, context.folder) : 'Open a Python file to record and debug it with Hindsight.';
  }
  if (config.request !== 'launch' || config.cwd !== undefined) return config;
  const program = typeof config.program === 'string' && path.isAbsolute(config.program) ? config.program : undefined;
  const cwd = context.folder ?? (program && path.dirname(program));
  return cwd ? { ...config, cwd } : config;
}
