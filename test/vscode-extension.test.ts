// The VS Code extension without VS Code: its manifest against its sources and the adapter's launch
// arguments, its configuration defaults, and the packaged .vsix really recording and replaying.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordFile, resolveConfiguration, RECORD_FILE } from '../editors/vscode/src/configuration';
import { move, stack, startDap } from './support/dap';
import { fixture, freshDir, markedLine, REPO } from './support/recordings';

const EXTENSION = path.join(REPO, 'editors', 'vscode');
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const sources = fs.readdirSync(path.join(EXTENSION, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts')).map((file) => fs.readFileSync(path.join(EXTENSION, 'src', file), 'utf8')).join('\n');

describe('VS Code extension manifest', () => {
  const commands = new Set<string>(contributes.commands.map((command: { command: string }) => command.command));

  it('registers every command it contributes, each with a title', () => {
    for (const command of contributes.commands) {
      assert.ok(command.title, `${command.command} has a title`);
      assert.ok(sources.includes(`'${command.command}'`), `${command.command} is registered in editors/vscode/src`);
    }
  });

  it('binds keys and menus only to commands that exist', () => {
    for (const binding of contributes.keybindings) {
      assert.ok(commands.has(binding.command) || binding.command.startsWith('workbench.action.debug.'), binding.command);
    }
    for (const [menu, items] of Object.entries(contributes.menus) as [string, { command: string }[]][]) {
      for (const item of items) assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
    }
  });

  it('describes every launch argument the adapter takes, and nothing else', () => {
    const code = fs.readFileSync(path.join(REPO, 'adapter', 'launchArguments.ts'), 'utf8');
    const body = /export interface LaunchArguments [^{]*\{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
    const accepted = [...body.matchAll(/^ {2}(\w+)\?:/gm)].map((match) => match[1]).sort();
    assert.ok(accepted.length > 10, 'the adapter\'s launch arguments were found');
    assert.deepEqual(Object.keys(contributes.debuggers[0].configurationAttributes.launch.properties).sort(), accepted);
  });

  it('offers the language server\'s settings', () => {
    const code = fs.readFileSync(path.join(REPO, 'lsp', 'settings.ts'), 'utf8');
    const body = /export interface Settings \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
    const settings = [...body.matchAll(/^ {2}(\w+):/gm)].map((match) => `hindsight.${match[1]}`).sort();
    assert.deepEqual(Object.keys(contributes.configuration.properties).sort(), settings);
  });
});

describe('VS Code debug configurations', () => {
  it('records the open Python file on F5 without a launch.json, in its workspace folder', () => {
    assert.deepEqual(resolveConfiguration({}, { pythonFile: '/ws/app/main.py', folder: '/ws' }),
      { type: 'hindsight', request: 'launch', name: RECORD_FILE, program: '/ws/app/main.py', cwd: '/ws', stopOnEntry: true });
    assert.deepEqual(recordFile('/tmp/x/prog.py', undefined).cwd, '/tmp/x');
    assert.equal(resolveConfiguration({}, { folder: '/ws' }), 'Open a Python file to record and debug it with Hindsight.');
  });

  it('runs a launch without cwd in the workspace folder (so its trace lands in .hindsight/ there), and leaves the rest alone', () => {
    const launch = { type: 'hindsight', request: 'launch', name: 'x', program: 'main.py' };
    assert.deepEqual(resolveConfiguration(launch, { folder: '/ws' }), { ...launch, cwd: '/ws' });
    assert.deepEqual(resolveConfiguration({ ...launch, cwd: '/elsewhere' }, { folder: '/ws' }), { ...launch, cwd: '/elsewhere' });
    const attach = { type: 'hindsight', request: 'attach', name: 'y', trace: '/t.trace.db' };
    assert.deepEqual(resolveConfiguration(attach, { folder: '/ws' }), attach);
  });
});

describe('VS Code extension package', function () {
  this.timeout(180_000);

  it('packs a .vsix whose own CLI records and replays with no node_modules around it', async () => {
    const dir = freshDir('vsix');
    const vsix = path.join(dir, 'hindsight.vsix');
    const packed = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies',
      '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: EXTENSION, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr + packed.stdout);
    const unpacked = path.join(dir, 'unpacked');
    const unzip = spawnSync('python3', ['-m', 'zipfile', '-e', vsix, unpacked], { encoding: 'utf8' });
    assert.equal(unzip.status, 0, unzip.stderr);
    const files = fs.readdirSync(path.join(unpacked, 'extension'), { recursive: true, encoding: 'utf8' });
    assert.ok(!files.some((file) => file.startsWith('src') || file.endsWith('.map')), 'no sources or source maps');

    const cli = path.join(unpacked, 'extension', 'dist', 'cli.js');
    const work = path.join(dir, 'ws');
    fs.mkdirSync(work);
    fs.copyFileSync(fixture('vscode/walk'), path.join(work, 'walk.py'));
    // sql.js, the reader every Node has: proves the packed WebAssembly file is found.
    const env = { ...process.env, HINDSIGHT_SQLITE: 'sqljs' };
    const recorded = spawnSync(process.execPath, [cli, 'record', 'walk.py'], { cwd: work, encoding: 'utf8', env });
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.equal(recorded.stdout, '7\n');
    const trace = path.join(work, '.hindsight', fs.readdirSync(path.join(work, '.hindsight'))[0] ?? '');

    const dap = await startDap('stdio', undefined, { cli });
    try {
      await dap.client.initializeRequest();
      const stopped = dap.client.waitForEvent('stopped');
      await Promise.all([
        dap.client.waitForEvent('initialized').then(() => dap.client.configurationDoneRequest()),
        dap.client.attachRequest({ trace } as never),
      ]);
      const thread = (await stopped).body.threadId as number;
      const line = (mark: string) => markedLine('vscode/walk', mark);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${line('def')}`]);
      await move(dap.client, 'next', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${line('call')}`]);
      await move(dap.client, 'stepBack', thread);
      assert.deepEqual(await stack(dap.client, thread), [`<module>:${line('def')}`]);
    } finally {
      await dap.stop();
    }
  });
});
