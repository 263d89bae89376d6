"""The builtins as they were at start-up, for the recorder's own modules (`__builtins__ = BUILTINS`):
a program that replaces `builtins.len` or `isinstance` must not run its code inside the recorder."""
import builtins
import os

BUILTINS = dict(builtins.__dict__)


def private_copy(name):
    """A stdlib module of the recorder's own, run from the same code but with BUILTINS, for the
    pure-Python modules it calls while recording (dis)."""
    import importlib.util
    import types
    spec = importlib.util.find_spec(name)
    module = types.ModuleType("hindsight_recorder.pinned." + name)
    module.__dict__.update(__builtins__=BUILTINS, __file__=spec.origin)
    exec(spec.loader.get_code(name), module.__dict__)
    return module


path = private_copy(os.path.__name__)  # os.path (posixpath, ntpath) for the recorder's own use
