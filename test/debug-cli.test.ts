// `hindsight debug`, the terminal debugger: the real command driven by piped commands on a real
// recorded program (exact transcripts: stops, values, stack, listing, time travel, breakpoints,
// errors), the server's death, and one interactive session in a real terminal (tmux).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, FIXTURES, freshDir, markedLine, runCli } from './support/recordings';

const ORDERS = path.join(FIXTURES, 'debug', 'orders.py');
const SOURCE = fs.readFileSync(ORDERS, 'utf8').split('\n');
const PROGRAM_OUTPUT = ['checking out 3 orders', 'total 29'];

const line = (mark: string) => markedLine('debug/orders', mark);
const prompt = (command: string) => `(hindsight) ${command}`;

/** A stop as pdb shows it: `> file(line)func()` (with `->value` at a frame's exit) and `-> source`. */
function stop(mark: string, func: string, returned?: string): string[] {
  return [`> ${ORDERS}(${line(mark)})${func}()${returned === undefined ? '' : `->${returned}`}`, `-> ${SOURCE[line(mark) - 1]?.trim()}`];
}

/** A frame in `w` that is not the current one. */
function frame(mark: string, func: string): string[] {
  return [`  ${ORDERS}(${line(mark)})${func}()`, `-> ${SOURCE[line(mark) - 1]?.trim()}`];
}

/** pdb's `l` line: number, `B` for a breakpoint, `->` for the current line, a tab, the source. */
function listed(mark: number, flags: { current?: boolean; breakpoint?: boolean } = {}): string {
  const number = `${String(mark).padStart(3)} `;
  return `${number}${flags.breakpoint ? 'B' : ' '}${flags.current ? '->' : ''}\t${SOURCE[mark - 1]?.trimEnd()}`;
}

interface Transcript {
  status: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs `hindsight debug ARGS` in `cwd` with the commands piped in, one per line. */
function debug(args: readonly string[], commands: readonly string[], cwd = freshDir('debug')): Transcript {
  const run = runCli(['debug', ...args], { cwd, input: commands.map((command) => `${command}\n`).join('') });
  assert.equal(run.error, undefined, `hindsight debug did not finish: ${run.error?.message}`);
  return { status: run.status, stdout: run.stdout.split('\n'), stderr: run.stderr };
}

/** A session on the orders program that ends with `q`: the program's output, the first stop, then each command and its answer. */
function checkSession(steps: [command: string, answer: string[]][]): void {
  const run = debug([ORDERS], [...steps.map(([command]) => command), 'q']);
  assert.equal(run.stderr, '');
  assert.deepEqual(run.stdout, [
    ...PROGRAM_OUTPUT,
    ...stop('def-price', '<module>'),
    ...steps.flatMap(([command, answer]) => [prompt(command), ...answer]),
    `${prompt('q')}`,
    '',
  ]);
  assert.equal(run.status, 0);
}

describe('hindsight debug (piped commands)', function () {
  this.timeout(120_000);

  it('records the program, shows its output, then steps as pdb does: n, s, r, w, u, d, l and an empty line repeating', () => {
    checkSession([
      ['n', stop('def-checkout', '<module>')],
      ['', stop('orders', '<module>')],
      ['', stop('print', '<module>')],
      ['n', stop('call', '<module>')],
      ['s', stop('total-init', 'checkout')],
      ['n', stop('for', 'checkout')],
      ['n', stop('add', 'checkout')],
      ['s', stop('cost', 'price')],
      ['w', [...frame('call', '<module>'), ...frame('add', 'checkout'), ...stop('cost', 'price')]],
      ['u', stop('add', 'checkout')],
      ['w', [...frame('call', '<module>'), ...stop('add', 'checkout'), ...frame('cost', 'price')]],
      ['u', stop('call', '<module>')],
      ['u', ['*** Oldest frame']],
      ['d', stop('add', 'checkout')],
      ['l', [6, 7, 8, 9, 10].map((n) => listed(n)).concat(listed(11, { current: true }), [12, 13, 14, 15, 16].map((n) => listed(n)))],
      ['l', [17, 18].map((n) => listed(n))],
      ['l', ['[EOF]']],
      ['d', stop('cost', 'price')],
      ['d', ['*** Newest frame']],
      ['n', stop('price-return', 'price')],
      ['n', ['--Return--', ...stop('price-return', 'price', '10')]],
      ['r', stop('for', 'checkout')],
      ['l .', [5, 6, 7, 8, 9].map((n) => listed(n)).concat(listed(10, { current: true }), [11, 12, 13, 14, 15].map((n) => listed(n)))],
      ['l 3, 4', [listed(3), listed(4)]],
    ]);
  });

  it('travels back: back, rs, rr, rc to the beginning, and c to a breakpoint; history lists every change of a variable', () => {
    const breakAt = `b ${line('checkout-return')}`;
    const run = debug([ORDERS], [breakAt, 'c', 'history total', 'back', 'back', 'rs', 'rs', 'rr', 'rc', 'rc', 'c', 'c', 'n', 'back', 'q']);
    assert.equal(run.stderr, '');
    const history = run.stdout.slice(run.stdout.indexOf(prompt('history total')) + 1, run.stdout.indexOf(prompt('back')));
    assert.equal(history.length, 5);
    assert.equal(history[0], 'total in checkout: 4 changes');
    // Each change: its line, the event it holds from (checked below with goto), the value.
    const changes = history.slice(1).map((text) => /^ {2}(\d)\. line (\d+), event (\d+): (\d+)$/.exec(text)?.slice(1));
    assert.deepEqual(changes.map((change) => change && [change[0], Number(change[1]), change[3]]), [
      ['1', line('total-init'), '0'], ['2', line('add'), '10'], ['3', line('add'), '17'], ['4', line('add'), '29'],
    ]);
    assert.deepEqual(run.stdout, [
      ...PROGRAM_OUTPUT,
      ...stop('def-price', '<module>'),
      prompt(breakAt), `Breakpoint 1 at ${ORDERS}:${line('checkout-return')}`,
      prompt('c'), ...stop('checkout-return', 'checkout'),
      prompt('history total'), ...history,
      prompt('back'), ...stop('for', 'checkout'),
      prompt('back'), ...stop('add', 'checkout'),
      // Reverse step in: the previous stop of the thread, in any frame: the loop's next item, then
      // the second call's return (1 * 7); reverse step out: back to the line that made that call.
      prompt('rs'), ...stop('for', 'checkout'),
      prompt('rs'), '--Return--', ...stop('price-return', 'price', '7'),
      prompt('rr'), ...stop('add', 'checkout'),
      prompt('rc'), '--Beginning of recording--', ...stop('def-price', '<module>'),
      prompt('rc'), '--Beginning of recording--', ...stop('def-price', '<module>'),
      prompt('c'), ...stop('checkout-return', 'checkout'),
      prompt('c'), '--End of recording--', '--Return--', ...stop('print-total', '<module>', 'None'),
      prompt('n'), '--End of recording--', '--Return--', ...stop('print-total', '<module>', 'None'),
      prompt('back'), ...stop('print-total', '<module>'),
      prompt('q'),
      '',
    ]);
    assert.equal(run.status, 0);
  });

  it('goes to a recorded position with goto: each change history lists, where p shows its value', () => {
    const cwd = freshDir('debug-goto');
    const trace = path.join(cwd, 'orders.trace.db');
    const first = debug(['--trace', trace, ORDERS], [`b ${line('checkout-return')}`, 'c', 'history total', 'when', 'q'], cwd);
    const changes = first.stdout.flatMap((text) => {
      const match = /^ {2}\d\. line \d+, event (\d+): (\d+)$/.exec(text);
      return match ? [{ seq: Number(match[1]), value: match[2] }] : [];
    });
    assert.equal(changes.length, 4);
    const total = Number(/^event \d+ of (\d+)$/.exec(first.stdout.at(-3) ?? '')?.[1]);
    assert.ok(total > 0, first.stdout.join('\n'));
    const second = debug(['--trace', trace], [...changes.flatMap((change) => [`goto ${change.seq}`, 'p total', 'when']), `goto ${total + 1}`, 'goto 0', 'q'], cwd);
    assert.equal(second.stderr, '');
    assert.deepEqual(second.stdout, [
      ...stop('def-price', '<module>'),
      // A value holds from its event on: goto stops at the next line, where the frame shows it.
      prompt(`goto ${changes[0]?.seq}`), ...stop('for', 'checkout'), prompt('p total'), '0', prompt('when'), `event ${changes[0]?.seq} of ${total}`,
      prompt(`goto ${changes[1]?.seq}`), ...stop('for', 'checkout'), prompt('p total'), '10', prompt('when'), `event ${changes[1]?.seq} of ${total}`,
      prompt(`goto ${changes[2]?.seq}`), ...stop('for', 'checkout'), prompt('p total'), '17', prompt('when'), `event ${changes[2]?.seq} of ${total}`,
      prompt(`goto ${changes[3]?.seq}`), ...stop('for', 'checkout'), prompt('p total'), '29', prompt('when'), `event ${changes[3]?.seq} of ${total}`,
      prompt(`goto ${total + 1}`), `*** 'seq' must be an event from 1 to ${total}`,
      prompt('goto 0'), '*** usage: goto N, with N an event number (see when)',
      prompt('q'),
      '',
    ]);
  });

  it('sets, lists, hits and clears breakpoints: lines with conditions, functions, FILE:LINE, both directions', () => {
    const where = (mark: string) => `${ORDERS}:${line(mark)}`;
    checkSession([
      ['b price', [`Breakpoint 1 at ${where('def-price')}`]],
      [`b ${line('add')}, total > 10`, [`Breakpoint 2 at ${where('add')}`]],
      ['b', ['Num Type         Where', `1   function     price at ${where('def-price')}`, `2   breakpoint   ${where('add')}`, '\tstop only if total > 10']],
      ['c', stop('cost', 'price')],
      ['p quantity, unit', ['(2, 5)']],
      ['c', stop('cost', 'price')],
      ['p quantity, unit', ['(1, 7)']],
      // total is 10 on the second pass (10 > 10 is false): the conditional breakpoint first holds on the third.
      ['c', stop('add', 'checkout')],
      ['p total', ['17']],
      ['c', stop('cost', 'price')],
      ['c', ['--End of recording--', '--Return--', ...stop('print-total', '<module>', 'None')]],
      ['rc', stop('cost', 'price')],
      ['p quantity', ['3']],
      ['cl 1', [`Deleted breakpoint 1 at ${where('def-price')}`]],
      ['rc', stop('add', 'checkout')],
      ['rc', ['--Beginning of recording--', ...stop('def-price', '<module>')]],
      [`b orders.py:${line('cost')}`, [`Breakpoint 3 at ${where('cost')}`]],
      ['l 3, 5', [listed(3, { current: true }), listed(4, { breakpoint: true }), listed(5)]],
      [`cl orders.py:${line('cost')}`, [`Deleted breakpoint 3 at ${where('cost')}`]],
      ['cl', [`Deleted breakpoint 2 at ${where('add')}`]],
      ['b', ['No breakpoints.']],
      ['b 999', ['*** no breakpoint set: line 999 never ran in this recording']],
      ['b nosuch', ["*** no breakpoint set: no function named 'nosuch' ran in this recording"]],
      ['b other.py:3', ["*** 'other.py' is not a file of this recording"]],
      ['cl 7', ['*** there is no breakpoint 7']],
      ['c', ['--End of recording--', '--Return--', ...stop('print-total', '<module>', 'None')]],
    ]);
  });

  it('answers a bad command with one *** line and goes on', () => {
    checkSession([
      ['frob', ["*** unknown command 'frob'; 'h' lists the commands"]],
      ['n 3', ["*** 'n' takes no arguments"]],
      ['p', ['*** usage: p EXPRESSION']],
      ['p nothing', ["*** name 'nothing' is not recorded in this frame"]],
      ['p 1 +', ["*** SyntaxError: '1 +' ends too early"]],
      ['history', ['*** usage: history NAME [N]']],
      ['history nothing', ["*** 'nothing' has no recorded value in <module> (this invocation) or its module's globals"]],
      ['l x', ['*** usage: l [. | LINE | FIRST, LAST]']],
      ['b 3,', ['*** usage: b LOCATION, CONDITION (the condition is missing after the comma)']],
      ['n', stop('def-checkout', '<module>')],
    ]);
  });

  it('h describes every command', () => {
    const run = debug([ORDERS], ['h', 'q']);
    const help = run.stdout.slice(run.stdout.indexOf(prompt('h')) + 1, run.stdout.indexOf(prompt('q')));
    for (const command of ['n(ext)', 's(tep)', 'r(eturn)', 'c(ont(inue))', 'back', 'rs', 'rr', 'rc', 'goto N', 'b(reak)', 'cl(ear)', 'p EXPR', 'history NAME', 'w(here)', 'u(p)', 'l(ist)', 'when', 'q(uit)']) {
      assert.ok(help.some((text) => text.trimStart().startsWith(command)), `help lacks ${command}:\n${help.join('\n')}`);
    }
  });

  it('opens a trace recorded before: --trace TRACE, and --last (the newest in .hindsight/); end of input ends the session', () => {
    const cwd = freshDir('debug-attach');
    const recorded = debug([ORDERS], ['q'], cwd);
    assert.equal(recorded.status, 0);
    const traces = fs.readdirSync(path.join(cwd, '.hindsight')).filter((name) => name.endsWith('.trace.db'));
    assert.equal(traces.length, 1);
    const expected = [...stop('def-price', '<module>'), prompt('n'), ...stop('def-checkout', '<module>'), prompt(''), ''];
    for (const args of [['--last'], ['--trace', path.join('.hindsight', traces[0] ?? '')]]) {
      const run = debug(args, ['n'], cwd);
      assert.equal(run.stderr, '');
      assert.deepEqual(run.stdout, expected, args.join(' '));
      assert.equal(run.status, 0);
    }
  });
});

describe('hindsight debug: failures are one line', function () {
  this.timeout(60_000);

  const checkFailure = (args: string[], status: number, stderr: string | RegExp, cwd?: string) => {
    const run = debug(args, ['q'], cwd);
    if (typeof stderr === 'string') assert.equal(run.stderr, `${stderr}\n`);
    else assert.match(run.stderr, stderr);
    assert.deepEqual(run.stdout, ['']);
    assert.equal(run.status, status);
  };

  it('a missing program', () => {
    checkFailure(['missing.py'], 2, "hindsight debug: can't open file 'missing.py': No such file or directory");
  });

  it('a syntax error in the program: Python says where, then one line', () => {
    const dir = freshDir('debug-syntax');
    fs.writeFileSync(path.join(dir, 'broken.py'), 'total = (1 +\n');
    checkFailure(['broken.py'], 1, /^ {2}File ".*broken\.py", line 1\n(.*\n)*SyntaxError: '\(' was never closed\nhindsight: the program was not recorded \(its error is above\)\n$/, dir);
  });

  it('a file that is not a trace, and no trace for --last', () => {
    const dir = freshDir('debug-bad-trace');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a trace\n');
    checkFailure(['--trace', 'notes.txt'], 1, `hindsight: Cannot open trace ${path.join(dir, 'notes.txt')}: it is not an SQLite file; expected a Hindsight trace (an SQLite file).`, dir);
    checkFailure(['--last'], 1, "hindsight: no traces in .hindsight (record one with 'hindsight record prog.py')", dir);
  });

  it('bad command lines', () => {
    checkFailure([], 2, "hindsight debug: give prog.py, -m module, --trace TRACE or --last (see 'hindsight debug --help')");
    checkFailure(['--last', '--python', 'python3'], 2, 'hindsight debug: --python is for recording a program: give prog.py or -m module');
    checkFailure(['--trace', 'x.db', '--last'], 2, 'hindsight debug: give --trace TRACE or --last, not both');
    checkFailure(['--last', ORDERS], 2, 'hindsight debug: --last opens a trace; it does not go with a program');
  });

  it('the debug server dying: one line, exit code 1', async () => {
    const cwd = freshDir('debug-dies');
    const child = spawn(process.execPath, [CLI, 'debug', ORDERS], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve) => child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        if (stdout.includes(prompt(''))) resolve();
      }));
      const server = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/).map(Number);
      assert.equal(server.length, 1, `one child (the server), not ${server.join(', ')}`);
      process.kill(server[0] ?? 0, 'SIGKILL');
      assert.equal(await exited, 1);
      assert.equal(stderr, 'hindsight: the debug server (hindsight dap) exited unexpectedly (signal SIGKILL)\n');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

const TMUX = '/usr/bin/tmux';
const HAS_TMUX = fs.existsSync(TMUX);

describe(`hindsight debug in a terminal (tmux)${HAS_TMUX ? '' : ': skipped, tmux is not installed (.ci/run installs it)'}`, function () {
  this.timeout(120_000);
  const socket = `hindsight-test-${process.pid}`;
  const tmux = (...args: string[]): string => {
    const run = spawnSync(TMUX, ['-L', socket, ...args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  const screen = () => tmux('capture-pane', '-p', '-t', 'debug').split('\n').map((text) => text.trimEnd()).filter(Boolean);
  /** Waits until the screen ends with `tail` (a condition, not a time); fails showing the screen. */
  const waitFor = async (tail: string[]) => {
    const endsWithTail = () => JSON.stringify(screen().slice(-tail.length)) === JSON.stringify(tail);
    for (let tries = 0; tries < 1200 && !endsWithTail(); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(endsWithTail(), `the screen never ended with ${JSON.stringify(tail)}:\n${screen().join('\n')}`);
  };
  /** Types keys (`key:NAME` for a special key, else literal text) and waits for the answer. */
  const type = async (keys: string[], answer: string[]) => {
    for (const key of keys) tmux('send-keys', '-t', 'debug', ...(key.startsWith('key:') ? [key.slice(4)] : ['-l', key]));
    await waitFor(answer);
  };

  after(() => {
    if (HAS_TMUX) spawnSync(TMUX, ['-L', socket, 'kill-server']);
  });

  (HAS_TMUX ? it : it.skip)('records and debugs interactively with readline: editing, history (Up), Ctrl-C drops a line, Enter repeats, q exits', async () => {
    const cwd = freshDir('debug-tmux');
    const command = `'${process.execPath}' '${CLI}' debug '${ORDERS}'; echo "exit code $?"; exec sleep 600`;
    tmux('new-session', '-d', '-s', 'debug', '-x', '200', '-y', '50', '-c', cwd, command);
    await waitFor([...stop('def-price', '<module>'), '(hindsight)']);
    await type(['n', 'key:Enter'], [prompt('n'), ...stop('def-checkout', '<module>'), '(hindsight)']);
    await type(['p 40 + 2x', 'key:BSpace', 'key:Enter'], [prompt('p 40 + 2'), '42', '(hindsight)']);
    await type(['key:Up', 'key:Enter'], [prompt('p 40 + 2'), '42', prompt('p 40 + 2'), '42', '(hindsight)']);
    await type(['frob', 'key:C-c'], [`${prompt('frob')}^C`, '(hindsight)']);
    await type(['key:Enter'], [`${prompt('frob')}^C`, '(hindsight)', '42', '(hindsight)']);
    await type(['q', 'key:Enter'], [prompt('q'), 'exit code 0']);
    assert.deepEqual(screen(), [
      ...PROGRAM_OUTPUT,
      ...stop('def-price', '<module>'),
      prompt('n'), ...stop('def-checkout', '<module>'),
      prompt('p 40 + 2'), '42',
      prompt('p 40 + 2'), '42',
      `${prompt('frob')}^C`,
      '(hindsight)', '42',
      prompt('q'),
      'exit code 0',
    ]);
  });
});
