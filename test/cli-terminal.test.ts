// Text from a trace never drives the terminal: a real program whose file name, function, thread,
// argv, output and exception carry escape sequences, read back with every human-format CLI command
// and `hindsight debug`; each shows the sequences escaped (exactly) and prints no raw control byte.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terminalBlock, terminalText } from '../cli/terminalText';
import { fixture, freshDir, markedLine, runCli } from './support/recordings';

const FILE = 'evil\x1b[2J.py';
const ARG = 'arg\x1b]0;x\x07';
const SHOWN_FILE = 'evil\\x1b[2J.py';
const TITLE = '\\x1b]0;pwned\\x07';
/** What would reach a terminal raw: C0 (but newline), DEL, C1, bidi overrides. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const line = (mark: string) => markedLine('cli/hostile', mark);
const literal = (text: string) => text.replace(/[\\[\]().*+?^$|{}]/g, '\\$&');

function recordedHostile(): { root: string; trace: string } {
  const root = freshDir('hostile');
  fs.copyFileSync(fixture('cli/hostile'), path.join(root, FILE));
  const run = runCli(['record', FILE, ARG], { cwd: root });
  assert.equal(run.status, 1, run.stderr);
  const [name] = fs.readdirSync(path.join(root, '.hindsight')).filter((file) => file.endsWith('.trace.db'));
  assert.ok(name, 'a trace was written');
  return { root, trace: path.join(root, '.hindsight', name) };
}

/** The command's stdout, checked to be exit 0 with nothing raw on either stream. */
function shown(root: string, args: string[]): string[] {
  const run = runCli(args, { cwd: root });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stdout, RAW, `hindsight ${args.join(' ')} printed a raw control character`);
  assert.doesNotMatch(run.stderr, RAW);
  return run.stdout.split('\n');
}

describe('hindsight (CLI) on hostile text', () => {
  it('escapes control characters and bidi overrides, keeping a block\'s newlines and tabs', () => {
    assert.equal(terminalText('a\x1b[2J\r\n\t\x00\x7f\x9b\u202e\u2066ok'), 'a\\x1b[2J\\r\\n\\t\\x00\\x7f\\u009b\\u202e\\u2066ok');
    assert.equal(terminalBlock('one\x1b]0;t\x07\n\ttwo\r\n'), 'one\\x1b]0;t\\x07\n\ttwo\\r\n');
    assert.equal(terminalText('naïve — 日本 ✓'), 'naïve — 日本 ✓');
  });

  it('shows what a trace holds without passing its escape sequences to the terminal', () => {
    const { root, trace } = recordedHostile();
    const relative = path.relative(root, trace);
    const info = shown(root, ['info', trace]);
    assert.deepEqual(info.slice(1, 4), [`program      ${SHOWN_FILE}`, 'arguments    ["arg\\u001b]0;x\\u0007"]', `cwd          ${root}`]);
    const list = shown(root, ['list']);
    assert.match(list[1] ?? '', new RegExp(`^\\S+ \\S+  ${literal(SHOWN_FILE)}  complete  \\d+ +\\S+ KB  ${relative}$`));

    const exceptions = shown(root, ['query', trace, 'exceptions']);
    assert.match(exceptions[0] ?? '', /^seq \d+  ValueError: boom\\x1b\[2J\\u202e  evil\\x1b\[2J\.py:\d+ in <module>  uncaught \(escaped at seq \d+\)$/);
    assert.ok(exceptions[0]?.includes(`${SHOWN_FILE}:${line('raise')} in <module>`));

    const output = shown(root, ['query', trace, 'output']);
    assert.equal(output[0], `out${TITLE}\\x1b[2J`);
    assert.equal(output.at(-2), 'ValueError: boom\\x1b[2J\\u202e');
    assert.equal(output[2], `  File "${path.join(root, SHOWN_FILE)}", line ${line('raise')}, in <module>`);

    const calls = shown(root, ['query', trace, 'calls', '\x1b]0;pwned\x07work']);
    assert.equal(calls[0], `${TITLE}work (${SHOWN_FILE}:${line('work') - 1}): 1 call`);
    assert.match(calls[1] ?? '', new RegExp(`^seq \\d+  #2  ${literal(`${TITLE}(text='arg\\x1b]0;x\\x07') → 'arg\\x1b]0;x\\x07\\x1b[2J'`)}  \\S+ \\S+$`));

    const call = Number(/^seq (\d+)/.exec(calls[1] ?? '')?.[1]);
    const events = shown(root, ['query', trace, 'events', '--at', String(call), '--around', '0']);
    assert.match(events[1] ?? '', new RegExp(`^> +${call} +call +${literal(TITLE)} +${literal(`${TITLE}work`)} +${literal(`${SHOWN_FILE}:${line('work') - 1}`)} +def work\\(text\\):$`));
    const stack = shown(root, ['query', trace, 'stack', '--at', String(call + 1)]);
    assert.deepEqual(stack.slice(0, 2), [`#0  ${TITLE}work  ${SHOWN_FILE}:${line('work')}  (invocation 2, seq ${call + 1})`, "      text = 'arg\\x1b]0;x\\x07'"]);
    const history = shown(root, ['query', trace, 'history', 'text']);
    assert.equal(history[0], `text in ${TITLE}work (${SHOWN_FILE}): 1 change`);
  });

  it('hindsight debug shows the program\'s output, frames and exception escaped', () => {
    const root = freshDir('hostile-debug');
    fs.copyFileSync(fixture('cli/hostile'), path.join(root, FILE));
    const run = runCli(['debug', FILE, ARG], { cwd: root, input: 'c\nq\n' });
    assert.doesNotMatch(run.stdout, RAW);
    assert.doesNotMatch(run.stderr, RAW);
    const at = `${path.join(root, SHOWN_FILE)}(${line('raise')})<module>()`;
    assert.deepEqual(run.stdout.split('\n'), [
      `out${TITLE}\\x1b[2J`,
      `> ${path.join(root, SHOWN_FILE)}(3)<module>()`, '-> import sys',
      '(hindsight) c', '--End of recording--', '--Exception--',
      `> ${at}->ValueError: boom\\x1b[2J\\u202e`, '-> raise ValueError("boom" + CLEAR + "\\u202e")  # mark: raise',
      '(hindsight) q', '',
    ]);
    assert.equal(run.stderr.split('\n').at(-2), 'ValueError: boom\\x1b[2J\\u202e');
    assert.equal(run.status, 0);
  });
});
