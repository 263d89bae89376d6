"""Starts recording inside the debuggee: Python imports this at start-up because the launcher put
this folder on PYTHONPATH. It then gets out of the way: the program runs exactly as `python prog.py`."""
import _signal  # not signal: its enum import would widen the window a Ctrl-C can land in
import os
import sys


def _start():
    boot = os.path.dirname(os.path.abspath(__file__))
    native = os.path.dirname(os.path.dirname(boot))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != boot]
    me = sys.modules.pop("sitecustomize", None)
    sys.path.insert(0, native)
    try:
        try:
            from hindsight_recorder import session
        finally:
            sys.path.remove(native)
        session.start()
    except KeyboardInterrupt:
        # Ctrl-C before the program's first line: it ends as plain Python then does, killed by
        # SIGINT, and no recorder frame is shown.
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
        os.kill(os.getpid(), _signal.SIGINT)
    try:  # the user's own sitecustomize, which this file shadowed
        import sitecustomize  # noqa: F401
    except ImportError:
        sys.modules.setdefault("sitecustomize", me)  # the import system expects to find us


if "HINDSIGHT_RECORDER" in os.environ:
    _start()
