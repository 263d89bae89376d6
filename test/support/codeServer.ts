// A real VS Code for the extension's end-to-end test: code-server (../shared/tools/install-code-server.sh)
// on a free loopback port with the unpacked extension, opened in Debian's headless Chromium by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from './recordings';

export const CODE_SERVER = '/opt/code-server/bin/code-server';
export const CHROMIUM = '/usr/bin/chromium';

/** Why the end-to-end test cannot run here, or undefined when it can. */
export function missingTools(): string | undefined {
  const missing = [CODE_SERVER, CHROMIUM].filter((tool) => !fs.existsSync(tool));
  return missing.length ? `${missing.join(' and ')} missing (install-code-server.sh, apt-get install chromium)` : undefined;
}

export interface VsCode {
  page: Page;
  /** The workspace folder VS Code opened. */
  workspace: string;
  stop(): Promise<void>;
}

/** VS Code over `workspace` with editors/vscode installed unpacked; `dir` holds its profile and logs. */
export async function startVsCode(dir: string, workspace: string): Promise<VsCode> {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'editors', 'vscode', 'package.json'), 'utf8'));
  const extensions = path.join(dir, 'extensions');
  fs.mkdirSync(extensions, { recursive: true });
  fs.symlinkSync(path.join(REPO, 'editors', 'vscode'), path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  const user = path.join(dir, 'data', 'User');
  fs.mkdirSync(user, { recursive: true });
  fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true, 'workbench.tips.enabled': false, 'extensions.ignoreRecommendations': true,
    'window.commandCenter': false, 'update.mode': 'none',
  }));
  const port = await freePort();
  const xdg = (name: string) => path.join(dir, 'xdg', name);
  const server = spawn(CODE_SERVER, ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-workspace-trust',
    '--disable-telemetry', '--extensions-dir', extensions, '--user-data-dir', path.join(dir, 'data'), workspace], {
    detached: true, // its own process group, so stop() ends everything it started
    stdio: ['ignore', fs.openSync(path.join(dir, 'server.log'), 'w'), fs.openSync(path.join(dir, 'server.log'), 'a')],
    env: { ...process.env, XDG_CONFIG_HOME: xdg('config'), XDG_CACHE_HOME: xdg('cache'), XDG_DATA_HOME: xdg('data'), XDG_STATE_HOME: xdg('state') },
  });
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    killGroup(server);
  };
  try {
    await healthy(port, server);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    return { page, workspace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function healthy(port: number, server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('code-server did not answer /healthz within 60 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    }).on('error', reject);
  });
}
