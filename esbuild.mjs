// Bundles the TypeScript entry points (`npm run build`): the CLI into dist/, and the VS Code extension
// into editors/vscode/ with its own copy of the CLI, the recorder and the SQL it needs (no global install).
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const extension = join(root, 'editors', 'vscode');
const common = { absWorkingDir: root, bundle: true, sourcemap: 'linked', logLevel: 'warning' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const cli = { ...node, entryPoints: { cli: 'cli/main.ts' }, loader: { '.sql': 'text' } };

// sql.js stays external here, so its WebAssembly file is found next to its own module in node_modules.
await build({ ...cli, outdir: 'dist', external: ['sql.js'] });

// The extension's CLI bundles sql.js, whose loader finds sql-wasm.wasm next to the bundle.
await build({ ...cli, outdir: join(extension, 'dist') });
fs.copyFileSync(join(root, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), join(extension, 'dist', 'sql-wasm.wasm'));
// The recorder runs from <extension>/native and reads its schema from <extension>/protocol.
fs.rmSync(join(extension, 'native'), { recursive: true, force: true });
fs.cpSync(join(root, 'native'), join(extension, 'native'), { recursive: true, filter: (path) => !path.includes('__pycache__') });
fs.mkdirSync(join(extension, 'protocol'), { recursive: true });
for (const sql of fs.readdirSync(join(root, 'protocol')).filter((name) => name.endsWith('.sql'))) {
  fs.copyFileSync(join(root, 'protocol', sql), join(extension, 'protocol', sql));
}

// The extension's entry, with the `vscode` module supplied by the editor.
await build({ ...node, entryPoints: { extension: 'editors/vscode/src/extension.ts' }, outdir: join(extension, 'dist'), external: ['vscode'] });

// The views' webview pages: browser scripts, loaded by the pages' Content-Security-Policy nonce.
await build({
  ...common,
  entryPoints: { timeline: 'editors/vscode/src/views/webview/timeline.ts', history: 'editors/vscode/src/views/webview/history.ts' },
  outdir: join(extension, 'dist', 'webview'),
  platform: 'browser',
  format: 'iife',
  target: 'chrome114',
});
