// Bundles the TypeScript entry points into dist/ (`npm run build`). SQL files are bundled as text;
// sql.js stays external so its WebAssembly file is found next to its own module in node_modules.
import { build } from 'esbuild';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

await build({
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  loader: { '.sql': 'text' },
  external: ['sql.js'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The VS Code extension: its entry, with the `vscode` module supplied by the editor.
await build({
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  entryPoints: { extension: 'editors/vscode/src/extension.ts' },
  outdir: 'editors/vscode/dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The views' webview pages: browser scripts, loaded by the pages' Content-Security-Policy nonce.
await build({
  absWorkingDir: dirname(fileURLToPath(import.meta.url)),
  entryPoints: { timeline: 'editors/vscode/src/views/webview/timeline.ts', history: 'editors/vscode/src/views/webview/history.ts' },
  outdir: 'editors/vscode/dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome114',
  sourcemap: 'linked',
  logLevel: 'warning',
});
