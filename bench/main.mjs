// `npm run bench [-- recording|dap|lsp] [options]`: the recording (run.mjs), replay (dap.mjs) and
// language-server (lsp.mjs) benchmarks, or one alone with its own options. Without a word first, the
// options go to the recording benchmark, and --quick to all.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDapBench } from './dap.mjs';
import { runLspBench } from './lsp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [word, ...rest] = process.argv.slice(2);

if (word === 'dap') {
  process.exitCode = await runDapBench(rest);
} else if (word === 'lsp') {
  process.exitCode = await runLspBench(rest);
} else {
  const recordingArgs = word === 'recording' ? rest : process.argv.slice(2);
  const recording = spawnSync(process.execPath, [path.join(HERE, 'run.mjs'), ...recordingArgs], { stdio: 'inherit' });
  let code = recording.status ?? 1;
  const quick = recordingArgs.includes('--quick') ? ['--quick'] : [];
  if (word !== 'recording') code = Math.max(code, await runDapBench(quick), await runLspBench(quick));
  process.exitCode = code;
}
