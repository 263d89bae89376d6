"""Records through sys.settrace / threading.settrace: CPython 3.9-3.11, and on request later."""
import sys
import threading

from .. import pybehavior
from ..recorder import LINE, RESUME, RETURN, YIELD

_ITERATION_END = (StopIteration, StopAsyncIteration)


class SettraceTracer:
    name = "settrace"

    def __init__(self, recorder):
        self.rec = recorder
        self.audit = False

    def start(self):
        if not self.audit:  # an audit hook cannot be removed: it does nothing once recording stopped
            sys.addaudithook(self._audited)
            self.audit = True
        threading.settrace(self._global)
        sys.settrace(self._global)

    def stop(self):
        sys.settrace(None)
        threading.settrace(None)  # frames of other threads stop at their next event: rec.active

    def _audited(self, event, args):
        """The 'compile' audit event of exec, eval and compile on a string: the text a string's code
        will have if it starts from that very call (Recorder.exec_call). Frames need no sys._getframe
        on this mechanism's events, so the hook costs only the program's own audited calls."""
        rec = self.rec
        if event != "compile" or not rec.active:
            return
        try:
            source = args[0]
            caller = sys._getframe().f_back  # None when C code compiles (the interpreter starting)
            if caller is not None and (type(source) is str or type(source) is bytes):
                rec.exec_call(caller.f_code, caller.f_lasti, source)
        except Exception as e:  # never into the program's compile
            rec.fail(e)

    def _global(self, frame, event, arg):
        """The 'call' event of every frame; answers the local tracer only for recorded code."""
        rec = self.rec
        if not rec.active:
            return None
        try:
            info = rec.code_info(frame.f_code)
            if not info.id:
                return None
            rec.on_call(frame, info, RESUME)  # RESUME when the frame is a known generator, else CALL
        except BaseException as e:  # a recorder bug must stop recording, not the program
            rec.caught(e)
        return self._local if rec.active else None

    def _local(self, frame, event, arg):
        rec = self.rec
        if not rec.active:
            return None
        try:
            self._event(rec, frame, event, arg)
        except BaseException as e:  # a recorder bug must stop recording, not the program
            rec.caught(e)
        return self._local if rec.active else None

    @staticmethod
    def _event(rec, frame, event, arg):
        if event == "line":
            fs = rec.live.get(id(frame))
            line = frame.f_lineno
            # settrace also reports a jump back within the line it is on (a one-line loop, a
            # resume mid-line); sys.monitoring reports a line once until another one runs.
            if fs is not None and not (line == fs.line and fs.kind in (LINE, RESUME)):
                rec.line(fs, frame, line)
        elif event == "return":
            # One event for return, yield and unwind: the last opcode run tells which.
            code, last = frame.f_code.co_code, frame.f_lasti
            op = code[last]
            if op in pybehavior.RETURN_OPCODES:
                rec.on_return(frame, arg, RETURN)
            elif op in pybehavior.YIELD_OPCODES or (
                    op == pybehavior.RESUME_OPCODE and code[last - 2] in pybehavior.YIELD_OPCODES):
                rec.on_return(frame, arg, YIELD)
            else:
                rec.on_unwind(frame)
        elif event == "exception" and not issubclass(arg[0], _ITERATION_END):
            rec.on_exception(frame, arg[1], arg[2])
