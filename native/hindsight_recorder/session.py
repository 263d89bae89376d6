"""Recording inside the debuggee from start-up to exit: wires recorder, tracer, output capture,
the periodic flush and every way out (normal exit, sys.exit, os._exit, SIGTERM, fork)."""
import atexit
import json
import os
import sys
import threading
from time import sleep  # bound now: a program may patch time.sleep (mock.patch) and must not see our calls

from . import channel, forking, pinned, tracers
from .filters import CodeFilter
from .recorder import Recorder
from .secrets import Secrets
from .signals import ProgramSignals, die_of, keep_off
from .values import Encoder

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

FLUSH_INTERVAL = 0.5  # seconds: the most a kill -9 of the debuggee can lose


def start():
    config = json.loads(os.environ.pop("HINDSIGHT_RECORDER"))
    if config["pythonpath"] is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = config["pythonpath"]
    fd = config["fd"]
    os.set_inheritable(fd, False)
    secrets = Secrets(config["redact"])
    secrets.learn_environment(os.environ)
    recorder = Recorder(CodeFilter(config["include"], config["exclude"], config["all_code"]),
                        Encoder(secrets, **config["caps"]), secrets, channel.sender(fd),
                        config["max_events"])
    tracer, reason = tracers.choose(recorder, config["tracer"])
    recorder.record("meta", "tracer", tracer.name)
    recorder.record("meta", "tracer_reason", reason)
    _Session(recorder, tracer, fd).begin()


class _Session:
    def __init__(self, recorder, tracer, fd):
        self.rec = recorder
        self.tracer = tracer
        self.fd = fd
        self.done = False
        self.signals = ProgramSignals(recorder, self._terminated)
        self.streams = []  # (stream, our write) of the program's sys.stdout / sys.stderr
        recorder.on_limit = self.stop_tracing

    def begin(self):
        atexit.register(self.finish)  # registered first, so it runs last: after threads and handlers
        real_exit = os._exit

        def _exit(status):
            self.finish()
            real_exit(status)
        os._exit = _exit
        os.register_at_fork(after_in_child=self.forget)
        self.signals.install()
        self.rec.recursion.install(self.rec.passing)
        for name, number in (("stdout", 1), ("stderr", 2)):
            stream = getattr(sys, name)
            write = _capture(stream, number, self.rec) if stream is not None else None
            if write is not None:
                self.streams.append((stream, write))
        forking.start_flush_thread(self._tick)  # hidden from the program and from fork's thread count
        self.tracer.start()

    def stop_tracing(self):
        """Recording stops (a limit, the writer gone); the program runs on exactly as without us."""
        self._stop()
        self.signals.retire()

    def _stop(self):
        self.rec.active = False
        self.tracer.stop()
        for stream, write in self.streams:
            _release(stream, write)
        del self.streams[:]
        self.rec.recursion.retire()

    def finish(self):
        if self.done:
            return
        self.done = True
        self._stop()
        try:
            self.rec.close()
        except OSError:  # the writer is gone: nothing more can be saved
            pass
        os.close(self.fd)
        self.signals.retire()

    def forget(self):
        """In a forked child: stop recording, and never write to the parent's pipe."""
        if self.done:  # a child of a child, or a fork after the end: forgotten already, fd closed
            return
        self.done = True
        self.rec.lock = threading.Lock()  # another thread may have held it at the fork
        self.rec.send = None
        self.stop_tracing()
        for items in (self.rec.events, self.rec.changes, self.rec.records):
            del items[:]
        os.close(self.fd)

    def _terminated(self, signum):
        """SIGTERM with no handler of the program's: finish the trace, then die of it as Python would.
        Runs in the program's code, never the recorder's (signals.py), so no lock of ours is held."""
        keep_off(signum)
        self.finish()
        die_of(signum)

    def _tick(self):
        while not self.done:
            sleep(FLUSH_INTERVAL)
            if self.done:
                return
            try:
                self.rec.flush()
            except OSError:
                self.stop_tracing()
                return


def _capture(stream, number, recorder):
    """Records each write to the program's own stream object, so `sys.stdout is sys.__stdout__` and its
    type stay as they are: an instance attribute `write` shadows the type's method. None if the
    stream takes no attributes (then its output is not recorded)."""
    real_write = stream.write

    def write(text):
        if recorder.active and type(text) is str and text:
            try:
                recorder.record("out", recorder.last_seq(), number, recorder.secrets.scrub(text))
            except Exception as e:
                recorder.fail(e)
        try:
            return real_write(text)
        except BaseException as e:  # the stream's own error (a closed pipe): the program's
            recorder.passing(e)
            raise
    try:
        stream.write = write
    except (AttributeError, TypeError):
        return None
    return write


def _release(stream, write):
    """Takes our write off the stream, unless the program has put its own there meanwhile."""
    try:
        if vars(stream).get("write") is write:
            del stream.write
    except (AttributeError, TypeError):
        pass
