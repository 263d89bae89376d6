"""The program's signal handlers, run as plain Python runs them but never inside the recorder, and
shown as the program set them: `signal.getsignal` and `signal.signal` see no handler of ours."""
import _signal
from _signal import SIG_DFL, SIG_IGN, SIGINT, SIGTERM, raise_signal
from _thread import get_ident

from . import pinned
from .filters import is_ours

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

_real_signal = _signal.signal
_real_getsignal = _signal.getsignal
_MAIN = get_ident()  # imported at start-up, in the main thread: the only one that may set handlers


class ProgramSignals:
    """Puts a trampoline under each Python-level handler (and under SIGTERM's default action, which
    must finish the trace first). A handler due while the recorder's code runs (a Ctrl-C, a SIGALRM
    timeout) would raise inside it and tear what it is doing: the trampoline only notes it, and the
    recorder runs it when it hands control back to the program (`deliver`, at the end of its event)."""

    def __init__(self, recorder, terminate):
        self.rec = recorder
        self.terminate = terminate  # SIGTERM's default action, while recording: finish, then die of it
        self.visible = {}  # signal number -> the program's handler, where the real one is the trampoline
        self.pending = []  # signals due while the recorder ran, oldest first
        self.retired = False
        recorder.deliver_signals = self.deliver

    def install(self):
        for signum in (SIGINT, SIGTERM):
            handler = _real_getsignal(signum)
            if callable(handler) or (signum == SIGTERM and handler == SIG_DFL):
                _real_signal(signum, self._trampoline)
                self.visible[signum] = handler
        _signal.signal = self.signal
        _signal.getsignal = self.getsignal

    def retire(self):
        """Recording has ended: the program's handlers become the real ones again (from the main
        thread; from another, the trampoline does it at the next signal)."""
        self.retired = True
        if get_ident() != _MAIN:
            return
        _signal.signal = _real_signal
        _signal.getsignal = _real_getsignal
        for signum, handler in self.visible.items():
            _real_signal(signum, handler)
        self.visible.clear()

    def signal(self, signalnum, handler):
        """`_signal.signal` as the program sees it: its own handlers in, its own handlers out."""
        if not issubclass(type(signalnum), int):
            return _real_signal(signalnum, handler)  # the error plain Python gives
        signalnum = int.__index__(signalnum)  # a Signals member as the number it is
        hidden = signalnum == SIGTERM and type(handler) is int and handler == SIG_DFL and not self.retired
        if callable(handler) or hidden:
            previous = _real_signal(signalnum, self._trampoline)
        else:
            previous = _real_signal(signalnum, handler)
        previous = self.visible.pop(signalnum, previous)
        if callable(handler) or hidden:
            self.visible[signalnum] = handler
        return previous

    def getsignal(self, signalnum):
        if issubclass(type(signalnum), int) and int.__index__(signalnum) in self.visible:
            return self.visible[int.__index__(signalnum)]
        return _real_getsignal(signalnum)

    def _trampoline(self, signum, frame):
        if self.retired:  # recording ended in another thread: hand the signal to the program's handler
            self.retire()
            raise_signal(signum)
            return
        f = frame
        while f is not None:  # the recorder, or what it calls, anywhere on the stack
            if is_ours(f.f_code.co_filename):
                if signum not in self.pending:  # pending signals coalesce, as in CPython
                    self.pending.append(signum)
                self.rec.deferred = True
                return
            f = f.f_back
        self._handle(signum, frame)

    def deliver(self, frame):
        """Runs the handlers due while the recorder ran, as if they were due at frame's current
        instruction, which is the program's; their exceptions are the program's."""
        self.rec.deferred = False
        while self.pending:
            self._handle(self.pending.pop(0), frame)

    def _handle(self, signum, frame):
        handler = self.visible.get(signum, SIG_DFL)
        if type(handler) is int:  # SIGTERM's default action
            self.terminate(signum)
            return
        try:
            handler(signum, frame)
        except BaseException as e:  # the program's own exception (KeyboardInterrupt, a timeout)
            self.rec.passing(e)
            raise


def die_of(signum):
    """Ends the process with signum's default action, as an unhandled signal would."""
    _real_signal(signum, SIG_DFL)
    raise_signal(signum)


def keep_off(signum):
    """Ignores further signum while the trace is finished (the launcher and a terminal may both send one)."""
    _real_signal(signum, SIG_IGN)

