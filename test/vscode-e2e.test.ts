// The VS Code extension end to end in a real VS Code (code-server in headless Chromium): a launch
// configuration records and stops, steps move, step back returns, a CodeLens and the timeline show.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { missingTools, startVsCode, type VsCode } from './support/codeServer';
import { fixture, freshDir, markedLine, REPO, runCli } from './support/recordings';

const ARTIFACTS = path.join(REPO, 'test-artifacts', 'vscode-e2e');
const line = (mark: string) => markedLine('vscode/walk', mark);
const missing = missingTools();
// CI installs code-server and Chromium: there a missing tool is a failure, not a skip.
const skip = missing !== undefined && process.env.CI !== 'true';

(skip ? describe.skip : describe)(`VS Code extension end to end${skip ? ` — skipped: ${missing}` : ''}`, function () {
  this.timeout(300_000);
  let vscode: VsCode;
  let page: Page;

  before(async () => {
    if (missing) throw new Error(`cannot run VS Code here: ${missing}`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const dir = freshDir('vscode-e2e');
    const workspace = path.join(dir, 'ws');
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.copyFileSync(fixture('vscode/walk'), path.join(workspace, 'walk.py'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'launch.json'), JSON.stringify({
      version: '0.2.0',
      configurations: [{ type: 'hindsight', request: 'launch', name: 'Record walk.py', program: '${workspaceFolder}/walk.py', cwd: '${workspaceFolder}', stopOnEntry: true }],
    }));
    vscode = await startVsCode(dir, workspace);
    page = vscode.page;
  });

  after(async () => {
    await vscode?.stop();
  });

  it('records on F5, stops on entry, steps, steps back, and shows a CodeLens and the timeline', async () => {
    await page.keyboard.press('Control+Shift+D'); // Run and Debug, where the launch configuration is
    await page.locator('.debug-view-content .codicon-debug-start, .start-debug-action-item .codicon-debug-start').first().click({ timeout: 60_000 });
    await until(page, async () => (await stoppedLine(page)) === line('def'), 'the stop on entry at the def line', 120_000);
    await shot(page, '1-entry');

    for (const [button, mark] of [['step-over', 'call'], ['step-into', 'result'], ['step-over', 'for']] as const) {
      await toolbar(page, button).click();
      await until(page, async () => (await stoppedLine(page)) === line(mark), `the stop at '${mark}' after ${button}`);
    }
    await shot(page, '2-stepped');
    await toolbar(page, 'step-back').click();
    await until(page, async () => (await stoppedLine(page)) === line('result'), 'the stop back at the first line of total()');
    // The view shows the new stop once total()'s argument is there and result (assigned later) is not.
    await until(page, async () => {
      const rows = await variables(page);
      return rows.includes('prices=[3,4]') && !rows.some((row) => row.startsWith('result'));
    }, "total()'s argument, and no result yet, in the Variables view");
    await shot(page, '3-stepped-back');

    const lens = page.locator('.codelens-decoration a', { hasText: /call/ }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.match((await lens.textContent()) ?? '', /^1 call · 0 raised · avg [\d.]+ [nµm]?s \/ max [\d.]+ [nµm]?s$/);

    const trace = fs.readdirSync(path.join(vscode.workspace, '.hindsight')).find((name) => name.endsWith('.trace.db'));
    assert.ok(trace, 'the launch recorded a trace into the workspace');
    const info = runCli(['info', '--json', path.join(vscode.workspace, '.hindsight', trace)]);
    assert.equal(info.status, 0, info.stderr);
    const events = JSON.parse(info.stdout).events as number;

    const timeline = await timelineFrame(page);
    assert.equal(await timeline.textContent('#timeline-caption'), `${events} events`);
    assert.match((await timeline.textContent('#timeline-position')) ?? '', new RegExp(`^position \\d+ / ${events}$`));
    assert.ok((await timeline.$$('.timeline-bar')).length > 0, 'the timeline draws bars');
    await shot(page, '4-timeline');
  });
});

/** The line of the top frame in the Call Stack view, or undefined when no thread is stopped. */
async function stoppedLine(page: Page): Promise<number | undefined> {
  const text = await page.locator('.debug-call-stack .stack-frame .line-number').first().textContent({ timeout: 1000 }).catch(() => null);
  const match = /^(\d+):\d+$/.exec(text?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The rows of the Variables view, without white space ('name=value'). */
async function variables(page: Page): Promise<string[]> {
  const rows = await page.locator('.debug-variables .monaco-list-row').allTextContents();
  return rows.map((row) => row.replace(/\s+/g, ''));
}

function toolbar(page: Page, action: 'step-over' | 'step-into' | 'step-back') {
  return page.locator(`.debug-toolbar .codicon-debug-${action}`).first();
}

/** The timeline webview's frame (webviews are nested iframes), once its bars are drawn; expands the view if needed. */
async function timelineFrame(page: Page): Promise<Frame> {
  const header = page.locator('.pane-header', { hasText: 'Hindsight Timeline' });
  await header.waitFor({ timeout: 60_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  let found: Frame | undefined;
  await until(page, async () => {
    for (const frame of page.frames()) {
      if (await frame.$('#hindsight-timeline .timeline-bar').catch(() => null)) found = frame;
    }
    return found !== undefined;
  }, 'the timeline drawn');
  return found as Frame;
}

async function until(page: Page, ready: () => Promise<boolean>, what: string, timeout = 60_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await ready())) {
    if (Date.now() > deadline) {
      await shot(page, 'timeout');
      throw new Error(`VS Code did not show ${what} (screenshot: ${path.join(ARTIFACTS, 'timeout.png')})`);
    }
    await page.waitForTimeout(250);
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
