"""Recording inside the debuggee from start-up to exit: wires recorder, tracer, output capture,
the periodic flush and every way out (normal exit, sys.exit, os._exit, SIGTERM, fork)."""
import atexit
import json
import os
import signal
import sys
import threading
import time
import _thread

from . import channel, forking, tracers
from .filters import CodeFilter, is_ours
from .recorder import Recorder
from .secrets import Secrets
from .values import TRANSPARENT, Encoder

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
        recorder.on_limit = self.stop_tracing

    def begin(self):
        atexit.register(self.finish)  # registered first, so it runs last: after threads and handlers
        real_exit = os._exit

        def _exit(status):
            self.finish()
            real_exit(status)
        os._exit = _exit
        os.register_at_fork(after_in_child=self.forget)
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, self._terminated)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _interrupt)
        for name, number in (("stdout", 1), ("stderr", 2)):
            stream = getattr(sys, name)
            if stream is not None:
                setattr(sys, name, RecordedStream(stream, number, self.rec))
        forking.start_flush_thread(self._tick)  # hidden from the program and from fork's thread count
        self.tracer.start()

    def stop_tracing(self):
        self.rec.active = False
        self.tracer.stop()

    def finish(self):
        if self.done:
            return
        self.done = True
        self.stop_tracing()
        try:
            self.rec.close()
        except OSError:  # the writer is gone: nothing more can be saved
            pass
        os.close(self.fd)

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

    def _terminated(self, signum, frame):
        # The signal may have interrupted this very thread inside a flush, holding the lock: waiting
        # for it would never end. Then the trace ends at the last flush and the launcher says so.
        if self.rec.lock.acquire(timeout=1):
            self.rec.lock.release()
            self.finish()
        else:
            self.stop_tracing()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    def _tick(self):
        while not self.done:
            time.sleep(FLUSH_INTERVAL)
            if self.done:
                return
            try:
                self.rec.flush()
            except OSError:
                self.stop_tracing()
                return


def _interrupt(signum, frame):
    """Ctrl-C as Python's default handler does it, but never inside the recorder: there it would
    stop recording or tear a batch. Deferred, it is raised again at the program's next check."""
    f = frame
    while f is not None:  # the recorder, or what it calls (json), anywhere on the stack
        if is_ours(f.f_code.co_filename):
            _thread.start_new_thread(_thread.interrupt_main, ())
            return
        f = f.f_back
    raise KeyboardInterrupt  # recorder.py cuts this frame off the traceback


class RecordedStream:
    """Stands in for sys.stdout / sys.stderr: records each write, then passes it on unchanged."""

    def __init__(self, stream, number, recorder):
        self.wrapped = stream
        self._number = number
        self._rec = recorder

    def write(self, text):
        if self._rec.active and type(text) is str and text:
            try:
                self._rec.record("out", self._rec.last_seq(), self._number, self._rec.secrets.scrub(text))
            except Exception as e:
                self._rec.fail(e)
        return self.wrapped.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self.wrapped, name)


TRANSPARENT.add(RecordedStream)
