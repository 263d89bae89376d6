"""Starts recording inside the debuggee: Python imports this at start-up because the launcher put
this folder on PYTHONPATH. It then gets out of the way: the program runs exactly as `python prog.py`."""
import os
import sys


def _start():
    boot = os.path.dirname(os.path.abspath(__file__))
    native = os.path.dirname(os.path.dirname(boot))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != boot]
    me = sys.modules.pop("sitecustomize", None)
    sys.path.insert(0, native)
    try:
        from hindsight_recorder import session
    finally:
        sys.path.remove(native)
    session.start()
    try:  # the user's own sitecustomize, which this file shadowed
        import sitecustomize  # noqa: F401
    except ImportError:
        sys.modules.setdefault("sitecustomize", me)  # the import system expects to find us


if "HINDSIGHT_RECORDER" in os.environ:
    _start()
