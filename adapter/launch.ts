// `launch`: records the program before replay. Its stdout/stderr become `output` events, the recorder's
// `events N` lines `progress` events; pause or terminate end the recording early (the trace keeps what
// was recorded), and a session that ends kills it. A run that leaves no trace is an Error with the reason.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { OutputEvent, ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PROGRESS_FD, spawnRecorder, type RecorderOptions } from '../protocol/recorderProcess';

/** 'progress' when the client said supportsProgressReporting in initialize. */
export type ProgressReporting = 'progress' | 'silent';

/** How the client ended a recording early. */
export type StopRequest = 'pause' | 'terminate';

export interface Recorded {
  /** Absolute path of the trace. */
  trace: string;
  /** Set when pause or terminate ended the recording. */
  stoppedBy?: StopRequest;
}

/** How long the output pipes may stay open once the recorder exited: a process the program left running can hold them. */
const DRAIN_MS = 1000;

/**
 * One recording: the launcher leads a process group holding the program. pause sends the launcher
 * SIGTERM (it has the program write its last events and die where it stands); terminate sends the
 * group SIGINT (Ctrl-C: the program's `finally` blocks run and are recorded). A second stop, or
 * `kill`, sends the group SIGKILL: the trace keeps what was written up to then.
 */
export class LaunchRecording {
  readonly finished: Promise<Recorded>;
  private readonly child: ChildProcess;
  private stoppedBy: StopRequest | undefined;
  private killed = false;
  private stderrTail = '';

  constructor(private readonly options: RecorderOptions, private readonly send: (event: DebugProtocol.Event) => void, progress: ProgressReporting) {
    const previous = fs.statSync(options.trace, { throwIfNoEntry: false });
    this.child = spawnRecorder(options, 'pipe');
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => this.emit(new OutputEvent(text, 'stdout')));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      this.emit(new OutputEvent(text, 'stderr'));
    });
    const counter = this.countEvents(this.child.stdio[PROGRESS_FD] as Readable | null, progress);
    this.finished = this.ended().then((exit) => this.outcome(exit, previous)).then((recorded) => {
      counter.end('recorded');
      return recorded;
    }, (error: unknown) => {
      counter.end('failed');
      throw error;
    });
  }

  /** Ends the recording at the client's request; asked again while it still runs, kills it. */
  stop(request: StopRequest): void {
    if (this.stoppedBy) return this.signalGroup('SIGKILL');
    this.stoppedBy = request;
    if (request === 'pause') this.child.kill('SIGTERM');
    else this.signalGroup('SIGINT');
  }

  /** Kills launcher and program at once, and says nothing more (the session ended). */
  kill(): void {
    this.killed = true;
    this.signalGroup('SIGKILL');
  }

  /** Resolves once the launcher exited and its output was read (or DRAIN_MS passed). */
  private ended(): Promise<Exit> {
    return new Promise((resolve) => {
      this.child.once('error', (error: NodeJS.ErrnoException) => resolve({ error }));
      this.child.once('close', (code) => resolve({ code }));
      this.child.once('exit', (code) => {
        // What the program left behind would otherwise outlive a recording the client stopped.
        if (this.stoppedBy || this.killed) this.signalGroup('SIGKILL');
        setTimeout(() => resolve({ code }), DRAIN_MS).unref();
      });
    });
  }

  /** The trace, or an Error saying why there is none. */
  private outcome(exit: Exit, previous: fs.Stats | undefined): Recorded {
    if (this.killed) throw new Error('the session ended during recording');
    if ('error' in exit) {
      const reason = exit.error.code === 'ENOENT' ? 'Python not found' : `cannot run Python (${exit.error.code})`;
      throw new Error(`${reason}: '${this.options.python}'; set "python" in the launch configuration or HINDSIGHT_PYTHON`);
    }
    const written = fs.statSync(this.options.trace, { throwIfNoEntry: false });
    if (!written || (previous && written.ino === previous.ino && written.mtimeMs === previous.mtimeMs)) {
      const said = this.stderrTail.trim().split('\n').slice(-3).join('\n');
      const reason = said || (this.stoppedBy ? `it was stopped (${this.stoppedBy}) before it started` : `the recorder exited with code ${exit.code}`);
      throw new Error(`the program was not recorded: ${reason}`);
    }
    return { trace: this.options.trace, ...(this.stoppedBy ? { stoppedBy: this.stoppedBy } : {}) };
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is gone: everything in it has ended.
    }
  }

  private emit(event: DebugProtocol.Event): void {
    if (!this.killed) this.send(event);
  }

  /**
   * Reads the `events N` lines, always (unread, the pipe would fill and stall the recording); when
   * reporting: progressStart now, progressUpdate per line, progressEnd once the recording has ended.
   */
  private countEvents(lines: Readable | null, progress: ProgressReporting): { end(outcome: 'recorded' | 'failed'): void } {
    const id = `hindsight-recording-${this.child.pid ?? 0}`;
    const report = (event: DebugProtocol.Event) => {
      if (progress === 'progress') this.emit(event);
    };
    const program = this.options.command[0] === '-m' ? `-m ${this.options.command[1]}` : path.basename(this.options.command[0] ?? '');
    let recorded = 0;
    let pending = '';
    report(new ProgressStartEvent(id, `Recording ${program}`));
    lines?.setEncoding('utf8').on('data', (text: string) => {
      const complete = (pending + text).split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) {
        const match = /^events (\d+)$/.exec(line);
        if (!match) continue;
        recorded = Number(match[1]);
        report(new ProgressUpdateEvent(id, `${recorded} events`));
      }
    });
    return { end: (outcome) => report(new ProgressEndEvent(id, outcome === 'recorded' ? `${recorded} events recorded` : 'not recorded')) };
  }
}

type Exit = { code: number | null } | { error: NodeJS.ErrnoException };
