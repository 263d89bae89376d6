"""Records through sys.monitoring (PEP 669, CPython 3.12+): code that is not recorded is disabled
per location after its first event, so it runs at full speed."""
import builtins
import sys

from .. import pinned
from ..pybehavior import delegates, same_line_loops
from ..recorder import CALL, RESUME, RETURN, YIELD

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

# Iteration protocol signals, not errors (settrace reports some of them, sys.monitoring not all).
_ITERATION_END = (StopIteration, StopAsyncIteration)


class MonitoringTracer:
    name = "monitoring"

    def __init__(self, recorder):
        self.rec = recorder
        self.tool = None

    def start(self):
        mon = sys.monitoring
        # Tool ids 3 and 4 first: no kind of tool is assigned to them, while the program may want
        # DEBUGGER_ID (pdb), COVERAGE_ID (coverage.py) or PROFILER_ID for itself.
        free = [t for t in (3, 4, mon.DEBUGGER_ID, mon.PROFILER_ID) if mon.get_tool(t) is None]
        if not free:
            raise RuntimeError("no free sys.monitoring tool id (another debugger is active)")
        self.tool = free[0]
        mon.use_tool_id(self.tool, "hindsight")
        callbacks = self._callbacks()
        for event, callback in callbacks.items():
            mon.register_callback(self.tool, event, callback)
        mon.set_events(self.tool, sum(callbacks))

    def stop(self):
        if self.tool is None:
            return
        mon = sys.monitoring
        mon.set_events(self.tool, 0)
        mon.free_tool_id(self.tool)
        self.tool = None

    def _callbacks(self):
        rec = self.rec
        live = rec.live
        codes = rec.codes
        code_info = rec.code_info
        getframe = sys._getframe
        DISABLE = sys.monitoring.DISABLE
        ev = sys.monitoring.events
        EXEC, EVAL = builtins.exec, builtins.eval  # the originals: the program may rebind the names

        def info_of(code):
            info = codes.get(id(code))
            return info if info is not None else code_info(code)

        def deliver():
            """A signal handler was due inside the recorder: the program's frame runs it now. Called
            only `if rec.deferred`, tested in each callback: no call per event."""
            rec.deliver_signals(getframe(2))

        # Each callback catches everything: a recorder bug must stop recording, not the program.
        # What a signal handler raises is the program's: deliver() runs it outside that net.
        def starting(kind):
            def start(code, offset, *exc):  # PY_START, PY_RESUME; PY_THROW (exc) cannot be disabled
                refused = None
                try:
                    info = info_of(code)
                    if info.id:
                        refused = rec.on_call(getframe(1), info, kind)
                    elif not exc:
                        return DISABLE
                except BaseException as e:
                    rec.caught(e)
                if rec.deferred and (kind == CALL or exc or not delegates(code.co_code, offset)):
                    deliver()  # a frame going on into the one it awaits leaves it to the innermost
                if refused is not None:  # past the program's recursion limit: it fails to start
                    raise refused
            return start

        def ending(kind):
            def end(code, offset, value):  # PY_RETURN, PY_YIELD
                try:
                    if not info_of(code).id:
                        return DISABLE
                    rec.on_return(getframe(1), value, kind)
                except BaseException as e:
                    rec.caught(e)
                if rec.deferred:
                    deliver()
            return end

        def line(code, line_no):
            try:
                frame = getframe(1)
                fs = live.get(id(frame))
                if fs is not None:
                    rec.line(fs, frame, line_no)
                else:
                    info = info_of(code)
                    if not info.id:
                        return DISABLE
                    rec.on_call(frame, info, CALL)  # a frame that started before recording did
            except BaseException as e:
                rec.caught(e)
            if rec.deferred:
                deliver()

        def jumped(code, offset, destination):
            """A backward jump within one line (a one-line loop) is a line event, as under settrace;
            every other jump is disabled after its first event."""
            try:
                if destination > offset:
                    return DISABLE
                info = info_of(code)
                loops = info.loops
                if loops is None:
                    loops = info.loops = same_line_loops(code) if info.id else frozenset()
                if offset not in loops:
                    return DISABLE
                frame = getframe(1)
                fs = live.get(id(frame))
                if fs is not None:
                    rec.line(fs, frame, frame.f_lineno)
            except BaseException as e:
                rec.caught(e)
            if rec.deferred:
                deliver()

        def raised(code, offset, exc):
            try:
                if not issubclass(type(exc), _ITERATION_END):
                    rec.on_exception(getframe(1), exc, exc.__traceback__)
            except BaseException as e:
                rec.caught(e)
            if rec.deferred:
                deliver()

        def unwound(code, offset, exc):
            try:
                rec.on_unwind(getframe(1))
            except BaseException as e:
                rec.caught(e)
            if rec.deferred:
                deliver()

        def called(code, offset, callee, arg0):
            """Keeps watching only the calls of exec and eval: the text they run (Recorder.exec_call)."""
            try:
                if callee is not EXEC and callee is not EVAL:
                    return DISABLE
                if type(arg0) is str or type(arg0) is bytes:
                    rec.exec_call(code, offset, arg0)
            except BaseException as e:
                rec.caught(e)

        return {ev.CALL: called, ev.PY_START: starting(CALL), ev.PY_RESUME: starting(RESUME), ev.PY_THROW: starting(RESUME),
                ev.LINE: line, ev.JUMP: jumped, ev.PY_RETURN: ending(RETURN), ev.PY_YIELD: ending(YIELD),
                ev.RAISE: raised, ev.PY_UNWIND: unwound}
