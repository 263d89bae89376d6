"""Records through sys.settrace / threading.settrace: CPython 3.9-3.11, and on request later."""
import sys
import threading

from .. import pinned, pybehavior
from ..filters import is_ours
from ..recorder import CALL, EXCEPTION, RECURSION_LIMIT, RESUME, RETURN, YIELD

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

_ITERATION_END = (StopIteration, StopAsyncIteration)
_THREADING = vars(threading)  # read, not patched: the program may replace threading's functions
_BOOTSTRAP_INNER = threading.Thread._bootstrap_inner.__code__  # where a new thread calls sys.settrace


class SettraceTracer:
    name = "settrace"

    def __init__(self, recorder):
        self.rec = recorder
        self._ours = False  # the recorder itself is calling sys.settrace
        self.audit = False

    def start(self):
        if not self.audit:  # an audit hook cannot be removed: it does nothing once recording stopped
            sys.addaudithook(self._audit)
            self.audit = True
        threading.settrace(self._global)
        self._settrace(self._global)

    def stop(self):
        if sys.gettrace() in (self._global, self._local):
            try:
                self._settrace(None)
            except RuntimeError:  # inside the program's own sys.settrace, which replaces ours anyway
                pass
        if _THREADING.get("_trace_hook") == self._global:  # not a hook the program set meanwhile
            threading.settrace(None)  # frames of other threads stop at their next event: rec.active

    def _settrace(self, function):
        self._ours = True  # for _audit: the caller's frame does not tell (a profile function has none)
        try:
            sys.settrace(function)
        finally:
            self._ours = False

    def _audit(self, event, args):
        """A string compiled (its text, for exec and eval), or a trace function replaced in this
        thread: by the program (coverage.py, a profiler), which ends recording under settrace; or by
        CPython, which turns ours off where it cannot call it (at the recursion limit). The trace
        says which, and where."""
        if event == "compile":
            self._compiled(args)
            return
        if event != "sys.settrace" or not self.rec.active:
            return
        if self._ours:
            self._ours = False
            return
        caller = sys._getframe(1)
        if caller.f_code is _BOOTSTRAP_INNER and _THREADING.get("_trace_hook") == self._global:
            return  # a new thread taking our trace function from threading.settrace
        if "settrace" not in caller.f_code.co_names:  # the frame's code never names it: CPython did it
            self.rec.stop(RECURSION_LIMIT % self.rec.recursion.limit)
            return
        reason = ("the program set a trace function of its own (sys.settrace, %s line %d), which "
                  "replaces the recorder's under Python %d.%d (3.12 and later record beside it with "
                  "sys.monitoring): recording stopped there"
                  % (caller.f_code.co_filename, caller.f_lineno, *sys.version_info[:2]))
        if sys.getprofile() is None:  # the event has no argument: whether it is ours shows once set
            self._judge(caller, reason)
        else:  # a profiler's own function is never replaced
            self.rec.stop(reason)

    def _judge(self, caller, reason):
        """Once the program's sys.settrace has set its function, recording stops unless that is the
        recorder's own (doctest and pdb put back the one they found). The caller's next local event
        or the thread's next call or return (a one-shot profile function) decides, whichever is first."""
        traced = caller.f_trace == self._local

        def decide():
            try:
                sys.setprofile(None)
                if traced:
                    caller.f_trace = self._local
                if self.rec.active and sys.gettrace() != self._global:
                    self.rec.stop(reason)
            except BaseException as e:  # a recorder bug must stop recording, not the program
                self.rec.caught(e)

        def profiled(frame, event, arg):
            decide()

        def local(frame, event, arg):
            decide()
            return self._local(frame, event, arg)

        if traced:
            caller.f_trace = local
        sys.setprofile(profiled)

    def _compiled(self, args):
        """The 'compile' audit event of exec, eval and compile on a string: the text a string's code
        will have if it starts from that very call (Recorder.exec_call). Frames need no sys._getframe
        on this mechanism's events, so the hook costs only the program's own audited calls."""
        rec = self.rec
        if not rec.active:
            return
        try:
            source = args[0]
            caller = sys._getframe(1).f_back  # past _audit; None when C code compiles (at start-up)
            if (caller is not None and (type(source) is str or type(source) is bytes)
                    and not is_ours(caller.f_code.co_filename)):  # the recorder compiles too (_audited_text)
                rec.exec_call(caller.f_code, caller.f_lasti, source, audited=type(source) is bytes)
        except Exception as e:  # never into the program's compile
            rec.fail(e)

    def _global(self, frame, event, arg):
        """The 'call' event of every frame; answers the local tracer only for recorded code."""
        rec = self.rec
        if not rec.active:
            return None
        refused = None
        try:
            info = rec.code_info(frame.f_code)
            if not info.id:
                return None
            resumes = not pybehavior.starts(frame)
            refused = rec.on_call(frame, info, RESUME if resumes else CALL)
            if rec.deferred and resumes and not pybehavior.delegates(frame.f_code.co_code, frame.f_lasti):
                # Plain Python runs a due handler as the generator resumes, inside its try blocks
                # (they are not active in this event): the frame's first opcode event runs it.
                frame.f_trace_opcodes = True
                if pybehavior.OPCODE_EVENTS_AT_SETTRACE:  # PYVERSIONS: 3.12
                    self._settrace(self._global)
        except BaseException as e:  # a recorder bug must stop recording, not the program
            rec.caught(e)
        if refused is not None:
            return self._refuse(frame, refused)
        return self._local if rec.active else None

    def _refuse(self, frame, exc):
        """frame starts past the program's recursion limit: it must fail with exc, as CPython fails
        it. A trace function that raises is turned off, so before 3.12 a one-shot profile function,
        called for the same 'call' event right after, raises exc (its error turns off only itself).
        From 3.12 the profile's turn came first: this raises, and _retrace traces again."""
        if sys.getprofile() is None and pybehavior.PROFILE_CALL_FOLLOWS_TRACE:  # PYVERSIONS: 3.11
            def refuse(*_):
                raise exc
            sys.setprofile(refuse)
            return None
        if sys.getprofile() is None:
            sys.setprofile(self._retrace(frame, exc))
        else:  # the program's own profile function: tracing stays off once CPython turns it off
            self.rec.stop("the program's recursion reached its limit while a profile function of its "
                          "own ran (sys.setprofile), which keeps the recorder from going on there under "
                          "sys.settrace: recording stopped there")
        self._ours = True  # CPython turns this trace function off for raising: _audit sees it
        raise exc

    def _local(self, frame, event, arg):
        rec = self.rec
        if not rec.active:
            return None
        try:
            if event == "opcode":  # asked for by _global, once
                frame.f_trace_opcodes = False
            else:
                self._event(rec, frame, event, arg)
        except BaseException as e:  # a recorder bug must stop recording, not the program
            rec.caught(e)
        if rec.deferred:  # a signal handler was due inside the recorder ('call' events wait for the
            self._deliver(frame)  # frame's first line: its try blocks are not active before)
        return self._local if rec.active else None

    def _deliver(self, frame):
        """Runs the due signal handlers for frame. An exception they raise must leave this trace
        function, and CPython then ends tracing of the thread (and of frame): it is recorded here,
        and a one-shot profile function traces again at the thread's next call or return. The
        frame's lines between the two are not recorded (a gap sys.monitoring does not have)."""
        try:
            self.rec.deliver_signals(frame)
        except BaseException as e:
            self.rec.on_exception(frame, e, None)
            if sys.getprofile() is None:  # a profiler's own function is never replaced
                sys.setprofile(self._retrace(frame, e))
            self._ours = True  # CPython turns this trace function off for raising: _audit sees it
            raise

    def _retrace(self, raised, exc):
        def retrace(frame, event, arg):
            sys.setprofile(None)
            if not self.rec.active:
                return
            self._settrace(self._global)
            raised.f_trace = self._local
            tb = exc.__traceback__  # caught by now in a frame of the program's, or not yet up to date
            if tb is not None and not is_ours(tb.tb_frame.f_code.co_filename):
                self.rec.cut(exc, tb)  # else the exception event of the frame it reaches cuts it
            if event == "call":  # this frame started untraced
                frame.f_trace = self._global(frame, "call", None)
            elif event == "return" and frame is raised:
                self._local(frame, "return", arg)
        return retrace

    @staticmethod
    def _event(rec, frame, event, arg):
        if event == "line":
            fs = rec.live.get(id(frame))
            if fs is not None:  # a jump back within one line too (a one-line loop): pdb stops there
                rec.line(fs, frame, frame.f_lineno)
        elif event == "return":
            # One event for return, yield and unwind: the last opcode run tells which, unless the
            # frame's last event was an exception: a generator closed (GeneratorExit) or thrown
            # into at its yield leaves with f_lasti still on the yield.
            code, last = frame.f_code.co_code, frame.f_lasti
            fs = rec.live.get(id(frame))
            if fs is None:
                return
            if code[last] in pybehavior.RETURN_OPCODES:
                rec.on_return(frame, arg, RETURN)
            elif fs.kind != EXCEPTION and pybehavior.suspends(code, last):
                rec.on_return(frame, arg, YIELD)
            else:
                rec.on_unwind(frame)
        elif event == "exception" and not issubclass(arg[0], _ITERATION_END):
            rec.on_exception(frame, arg[1], arg[2])
