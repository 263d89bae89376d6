// docs/headless.md stays true: its code blocks are the example files, and the examples, run against
// the real `hindsight dap` over stdio and TCP, print exactly the output the doc shows.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, freshDir, REPO } from './support/recordings';

const DOC = fs.readFileSync(path.join(REPO, 'docs', 'headless.md'), 'utf8');
const EXAMPLES = path.join(REPO, 'examples', 'headless');

describe('docs/headless.md', function () {
  this.timeout(120_000);

  it('shows each example file whole, under its name', () => {
    for (const file of fs.readdirSync(EXAMPLES)) {
      const block = new RegExp(`\`examples/headless/${file.replace('.', '\\.')}\`\\n[\\s\\S]*?\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(DOC)?.[1];
      assert.equal(block, fs.readFileSync(path.join(EXAMPLES, file), 'utf8'), file);
    }
  });

  for (const script of ['drive-stdio.mjs', 'drive-tcp.mjs']) {
    it(`runs ${script} on examples/invoices.py and prints what the doc shows`, () => {
      const dir = freshDir('headless');
      fs.copyFileSync(path.join(REPO, 'examples', 'invoices.py'), path.join(dir, 'invoices.py'));
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'hindsight'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
      const run = spawnSync(process.execPath, [path.join(EXAMPLES, script), 'invoices.py', '20', 'invoice'],
        { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 90_000 });
      assert.equal(run.status, 0, run.stderr);
      const shown = /```sh\ncd examples && node headless\/drive-stdio\.mjs invoices\.py 20 invoice\n```\n\n```\n([\s\S]*?)```/.exec(DOC)?.[1];
      assert.equal(run.stdout, shown);
    });
  }
});
