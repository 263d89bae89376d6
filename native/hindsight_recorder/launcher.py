"""`record`: runs the program in a child Python exactly as `python prog.py args` would, writes what
it streams into the trace, and exits as the program did (same code, or the same signal)."""
import argparse
import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

from .channel import receive
from .secrets import DEFAULT_REDACT, Secrets
from .writer import WRITE_ERRORS, TraceWriter

BOOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_boot")
CAPS = {"max_depth": 3, "max_items": 100, "max_string": 4096, "max_nodes": 1000}
USAGE_ERROR = 2
ORPHAN_GRACE = 3  # seconds a program left without its tool has to end of SIGTERM


def parse(argv):
    p = argparse.ArgumentParser(prog="hindsight record", description="Record a Python program.")
    p.add_argument("--trace", required=True, help="the trace file to write")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="also record code whose path or qualified name matches")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="never record code whose path or qualified name matches")
    p.add_argument("--all-code", action="store_true", help="record libraries too (justMyCode off)")
    p.add_argument("--max-events", type=int, default=0, metavar="N", help="stop recording after N events")
    p.add_argument("--redact", action="append", default=[], metavar="GLOB",
                   help="also redact names matching (case-insensitive)")
    p.add_argument("--no-redact", action="store_true", help="record secrets too")
    p.add_argument("--progress-fd", type=int, metavar="FD",
                   help="write 'events N' lines to this open file descriptor while recording")
    p.add_argument("--parent-fd", type=int, metavar="FD",
                   help="a pipe never written that ends with the tool which started the recorder: then the program ends too")
    p.add_argument("--ignored-signals", type=lambda text: int(text, 16), default=0, metavar="MASK",
                   help="ignore these signals, as the caller did (hex, as Linux's SigIgn)")
    p.add_argument("--tracer", choices=("auto", "monitoring", "settrace"),
                   default=os.environ.get("HINDSIGHT_TRACER", "auto"))
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- prog.py args | -- -m module args")
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or command == ["-m"]:
        p.error("nothing to record: give prog.py or -m module")
    args.command = command
    return args


def main(argv):
    signals = Supervision()
    args = parse(argv)
    if args.parent_fd is not None:
        watch_parent(args.parent_fd, signals)
    in_child = ignore_signals(args.ignored_signals)
    if args.command[0] != "-m":
        program = args.command[0]
        if not os.path.exists(program):
            return _fail("can't open file '%s': No such file or directory" % program)
    trace_dir = os.path.dirname(os.path.abspath(args.trace))
    if not os.access(trace_dir, os.W_OK):
        return _fail("can't write the trace to '%s': its folder is not writable or missing" % args.trace)
    if os.path.lexists(args.trace) and not _is_trace(args.trace):
        return _fail("won't replace '%s': it is not a Hindsight trace; choose another trace path" % args.trace)
    redact = [] if args.no_redact else list(DEFAULT_REDACT) + args.redact
    try:
        writer = TraceWriter(args.trace, {
            "python_version": "%d.%d.%d" % sys.version_info[:3], "python_executable": sys.executable,
            "program": " ".join(args.command[:2]) if args.command[0] == "-m" else args.command[0],
            "argv": _recorded_argv(redact, args.command), "cwd": os.getcwd(), "started_at": int(time.time() * 1000),
            "max_events": args.max_events, "redact": redact, "include": args.include, "exclude": args.exclude,
            **{"value_" + k: v for k, v in CAPS.items()}})
    except WRITE_ERRORS as error:
        _remove(args.trace)
        full = getattr(error, "errno", None) == errno.ENOSPC or "full" in str(error)
        return _fail("can't create the trace '%s': %s; free some space or choose another trace path"
                     % (args.trace, "the disk is full" if full else error))
    read_fd, write_fd = os.pipe()
    env = dict(os.environ, HINDSIGHT_RECORDER=json.dumps({
        "fd": write_fd, "include": args.include, "exclude": args.exclude, "all_code": args.all_code,
        "redact": redact, "max_events": args.max_events, "tracer": args.tracer, "caps": CAPS,
        "pythonpath": os.environ.get("PYTHONPATH")}))
    env["PYTHONPATH"] = BOOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if signals.cancelled:  # interrupted before the program started: it never runs
        writer.close()
        _remove(args.trace)
        return _exit_like(-signals.cancelled)
    child = subprocess.Popen([sys.executable] + args.command, env=env, pass_fds=(write_fd,), preexec_fn=in_child)
    signals.started(child)
    os.close(write_fd)
    progress = [Progress(writer)] if sys.stderr.isatty() else []
    if args.progress_fd is not None:
        progress.append(ProgressLines(writer, args.progress_fd))
    said = False
    for batch in receive(read_fd):  # read to the end even once writing failed: the program never blocks
        writer.apply(batch)
        if writer.failure is not None and not said:
            said = _say_stopped(writer)
        for shown in progress:
            shown.show()
    code = child.wait()
    if signals.orphaned:
        sys.stderr.write("hindsight: the tool that started the recording has ended, so the program was ended too\n")
    for shown in progress:
        shown.end()
    if writer.events == 0 and code != 0 and writer.failure is None:
        writer.close()
        _remove(args.trace)
        if not writer.ended:  # otherwise it never ran (syntax error, no such module): Python said why
            sys.stderr.write("hindsight: no trace: the program %s before anything it did was recorded\n"
                             % _exited(code))
        return _exit_like(code)
    # Asked again after a failed finish: the reason then says so (writer.failed_finishing).
    if not writer.finish(_ending(writer, code, args.max_events, signals.orphaned)):
        writer.keep_ending(_ending(writer, code, args.max_events, signals.orphaned))
    writer.close()
    if writer.failure is not None and not said:
        _say_stopped(writer)
    return _exit_like(code)


def _say_stopped(writer):
    if writer.failed_finishing:
        said = "all %d events are recorded, and the trace is finished when first opened with space free"
    else:
        said = "recording stopped at event %d, the program ran on unrecorded"
    sys.stderr.write("hindsight: %s; %s\n" % (writer.failure, said % writer.events))
    sys.stderr.flush()
    return True


def _ending(writer, code, max_events, orphaned):
    meta = {"ended_at": int(time.time() * 1000), "exit_code": code if code >= 0 else None,
            "exit_signal": -code if code < 0 else None}
    exited = _exited(code)
    if orphaned:
        exited += " when hindsight, which ran the recorder, had ended"

    if writer.failed_finishing:
        meta.update(end_reason="%s at the end: all %d events were recorded, but its indexes and statistics "
                    "were made by its first reader; the program %s" % (writer.failure, writer.events, exited))
    elif writer.failure is not None:
        meta.update(status="incomplete", end_reason="%s: recording stopped at event %d; the program ran "
                    "on unrecorded and %s" % (writer.failure, writer.events, exited))
    elif writer.recorder_error:
        meta.update(status="incomplete", end_reason="recording stopped early because the recorder failed "
                    "(meta recorder_error has the details); the program ran on unrecorded and %s" % exited)
    elif writer.stopped:
        meta.update(status="incomplete", end_reason="%s; the program ran on unrecorded and %s" % (writer.stopped, exited))
    elif writer.truncated:
        meta.update(status="truncated", truncated=1, end_reason="recording stopped at --max-events %d; "
                    "the program ran on unrecorded and %s" % (max_events, exited))
    elif writer.ended:
        meta.update(status="complete", end_reason="the program %s" % exited)
    else:
        meta.update(status="incomplete", end_reason="the program %s before recording finished; events "
                    "after its last flush (at most about a second) are missing" % exited)
    return meta


def _recorded_argv(redact, command):
    secrets = Secrets(redact)
    secrets.learn_environment(os.environ)
    return secrets.argv(command)


def _exited(code):
    return "exited with code %d" % code if code >= 0 else "was killed by %s" % signal.Signals(-code).name


def _exit_like(code):
    if code < 0:  # die of the same signal, so the caller sees what the program did
        if -code not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _is_trace(path):
    """Whether the file is a Hindsight trace (meta.format), read as an immutable file: never changed."""
    uri = "file:%s?mode=ro&immutable=1" % urllib.parse.quote(os.path.abspath(path))
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "hindsight-trace"


def _remove(path):
    for name in (path, path + "-journal"):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def _fail(message):
    sys.stderr.write("hindsight: %s\n" % message)
    return USAGE_ERROR


def ignore_signals(mask):
    """Ignores the signals in mask (bit n-1 for signal n): the ones hindsight's caller ignored (nohup,
    trap '' HUP), which Node reset. The program inherits them from here, as from a shell under plain
    Python. SIGPIPE and SIGXFSZ are left alone: Python ignores both at start-up anyway. SIGCHLD is
    ignored in the child only (returns the function that does it, else None): ignored here, the
    program's exit status would be lost."""
    for signum in range(1, mask.bit_length() + 1):
        if mask >> (signum - 1) & 1 and signum not in (signal.SIGKILL, signal.SIGSTOP, signal.SIGPIPE,
                                                       signal.SIGXFSZ, signal.SIGCHLD):
            try:
                signal.signal(signum, signal.SIG_IGN)
            except (OSError, ValueError):  # glibc keeps 32 and 33 for itself
                pass
    if mask >> (signal.SIGCHLD - 1) & 1:
        return lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    return None


class Supervision:
    """The launcher's SIGINT and SIGTERM, and the end of the tool that started it (watch_parent).
    Before the program starts they cancel the recording; then
    Ctrl-C is the program's own (the terminal sends it to the program too) and SIGTERM is forwarded.
    Handlers, not SIG_IGN: the program starts with the default dispositions, as under plain Python,
    unless the caller ignored them (ignore_signals then replaces the handlers)."""

    def __init__(self):
        self.child = None
        self.cancelled = None
        self.orphaned = False
        self.lock = threading.Lock()  # between parent_ended's thread and the start of the program
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._received)

    def _received(self, signum, frame):
        if self.child is None:
            self.cancelled = self.cancelled or signum
        elif signum == signal.SIGTERM:
            self.child.send_signal(signum)

    def started(self, child):
        with self.lock:
            self.child = child
            if self.orphaned:  # the parent ended while the program was starting
                self._stop_orphan()

    def parent_ended(self):
        """The tool that started us is gone (killed, even by SIGKILL): nobody would see the program
        now, so it is stopped as `docker stop` does: SIGTERM, which lets the recorder write its last
        events, then SIGKILL if it still runs ORPHAN_GRACE seconds later. The trace is finished."""
        with self.lock:
            self.orphaned = True
            if self.child is None:
                self.cancelled = self.cancelled or signal.SIGTERM
            else:
                self._stop_orphan()

    def _stop_orphan(self):
        self.child.terminate()
        timer = threading.Timer(ORPHAN_GRACE, self.child.kill)
        timer.daemon = True
        timer.start()


def watch_parent(fd, signals):
    """Waits, on a thread of its own, for the end of fd: a pipe the parent never writes to."""
    def wait():
        while os.read(fd, 4096):
            pass
        signals.parent_ended()
    threading.Thread(target=wait, name="hindsight-parent", daemon=True).start()


class Progress:
    """A one-line counter on a terminal's stderr, shown after the first two seconds."""

    def __init__(self, writer):
        self.writer = writer
        self.start = self.last = time.monotonic()
        self.shown = False

    def show(self):
        now = time.monotonic()
        if now - self.start < 2 or now - self.last < 0.5:
            return
        self.last = now
        self.shown = True
        sys.stderr.write("\r[hindsight] %d events, %.0f s\x1b[K" % (self.writer.events, now - self.start))
        sys.stderr.flush()

    def end(self):
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


class ProgressLines:
    """For the tool that started the recording (the DAP launch): a line 'events N' on a pipe, N the
    events written so far; at most twice a second, and once more when the program has ended."""

    def __init__(self, writer, fd):
        self.writer = writer
        self.fd = fd
        self.last = time.monotonic()

    def show(self):
        now = time.monotonic()
        if now - self.last >= 0.5:
            self.last = now
            self._write()

    def end(self):
        self._write()
        os.close(self.fd)

    def _write(self):
        try:
            os.write(self.fd, b"events %d\n" % self.writer.events)
        except OSError:  # the reader is gone: recording goes on without it
            pass
