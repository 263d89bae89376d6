"""The truth for recorder-truth.test.ts: runs a program under a plain sys.settrace and writes, at each
line and return of its own file (a yield marked), its frames' locals and its globals as JSON. Stdlib only.
Usage: python truth_reference.py OUT.json PROGRAM.py [ARG...]"""
# Runs on Python 3.9-3.14 and never runs the program's code to read a value: exact type checks and
# builtin descriptors only (no repr of a user object, no __eq__, no attribute lookup through its type).
import dis
import json
import os
import sys
import types

_QUALNAME = type.__dict__["__qualname__"].__get__
_MODULE = type.__dict__["__module__"].__get__
_MRO = type.__dict__["__mro__"].__get__
_TYPE_DICT = type.__dict__["__dict__"].__get__
_HIDDEN_TYPES = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)
_SCALARS = (int, float, str, bool, type(None), bytes, complex, range)
_SEQUENCES = (list, tuple, set, frozenset)


# A 'return' event serves a return, a yield and an await's suspension alike; the opcode at f_lasti tells
# them apart: YIELD_VALUE, from 3.13 the RESUME just after it, and before 3.11 the instruction before a
# YIELD_FROM (f_lasti stays there, so that a resumption repeats it; on YIELD_FROM itself an exception
# leaves). A generator closed or thrown into at its yield leaves with f_lasti on the yield: the
# caller tells that by the 'exception' event just before.
_YIELD = dis.opmap["YIELD_VALUE"]
_YIELD_FROM = dis.opmap.get("YIELD_FROM")
_RESUME = dis.opmap.get("RESUME")


def suspends(frame):
    code, at = frame.f_code.co_code, frame.f_lasti
    if at < 0 or at >= len(code):
        return False
    if code[at] == _YIELD or (code[at] == _RESUME and at >= 2 and code[at - 2] == _YIELD):
        return True
    return _YIELD_FROM is not None and at + 2 < len(code) and code[at + 2] == _YIELD_FROM


def type_name(t):
    """As the recorder names types: the qualname, prefixed by the module unless it is builtins."""
    module = _MODULE(t)
    return _QUALNAME(t) if module == "builtins" else "%s.%s" % (module, _QUALNAME(t))


def instance_dict(v):
    """The instance __dict__ through the type's own getset descriptor, or None (no user code runs)."""
    for cls in _MRO(type(v)):
        descriptor = _TYPE_DICT(cls).get("__dict__")
        if descriptor is not None:
            return descriptor.__get__(v, cls) if type(descriptor) is types.GetSetDescriptorType else None
    return None


def node(v, ancestors):
    """The structural form, the test's shape too: ["scalar", type, repr] | ["container", type,
    [[name, node], ...]] (list items named "0", "1", ...; set items sorted; dict entries named by the
    key's repr; object attributes by name) | ["cycle", type] | ["opaque", type]."""
    t = type(v)
    name = type_name(t)
    if t in _SCALARS:
        return ["scalar", name, repr(v)]  # repr of these exact builtin types is C code reading no user object
    if id(v) in ancestors:
        return ["cycle", name]
    inner = ancestors | {id(v)}
    if issubclass(t, dict):
        return ["container", name, [[key_text(k), node(item, inner)] for k, item in dict.items(v)]]
    if issubclass(t, _SEQUENCES):
        base = next(b for b in _SEQUENCES if issubclass(t, b))
        items = [node(item, inner) for item in base.__iter__(v)]  # the builtin's own iterator, not an override
        if issubclass(t, (set, frozenset)):
            items.sort(key=lambda item: json.dumps(item))
        return ["container", name, [[str(i), item] for i, item in enumerate(items)]]
    d = instance_dict(v)
    if d is not None and not issubclass(t, _HIDDEN_TYPES):
        return ["container", name, [[k, node(item, inner)] for k, item in dict.items(d) if type(k) is str]]
    return ["opaque", name]


def key_text(k):
    """A dict key as DAP names the entry: its repr, for the builtin scalars the fixtures use."""
    return repr(k) if type(k) in _SCALARS else "<%s>" % type_name(type(k))


def shown_globals(namespace):
    """A module namespace without what the test does not compare: dunders, modules, functions, classes."""
    return {k: v for k, v in dict.items(namespace)
            if not (k.startswith("__") and k.endswith("__")) and not isinstance(v, _HIDDEN_TYPES)}


def scope(variables):
    """Without dunder names: a class body's __module__, __qualname__ (and more from 3.13) are the compiler's."""
    return [[k, node(v, frozenset())] for k, v in variables.items() if not (k.startswith("__") and k.endswith("__"))]


def main():
    out, program = sys.argv[1], os.path.abspath(sys.argv[2])
    with open(program, encoding="utf-8") as f:
        code = compile(f.read(), program, "exec")
    module = types.ModuleType("__main__")
    module.__file__ = program
    module.__builtins__ = __builtins__
    stops = []

    def record(frame, event):
        frames = []
        at = frame
        while at is not None:
            if at.f_code.co_filename == program:
                is_module = at.f_code.co_name == "<module>"
                variables = shown_globals(at.f_globals) if is_module else dict(at.f_locals)
                frames.append({"function": at.f_code.co_name, "line": at.f_lineno, "locals": scope(variables)})
            at = at.f_back
        stops.append({"event": event, "frames": frames, "globals": scope(shown_globals(module.__dict__))})

    raising = set()  # id() of the frames whose last event was an exception

    def local(frame, event, arg):
        if event == "line":
            record(frame, event)
        elif event == "return":
            record(frame, "yield" if id(frame) not in raising and suspends(frame) else "return")
        if event == "exception":
            raising.add(id(frame))
        else:
            raising.discard(id(frame))
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename == program else None

    sys.argv = [program] + sys.argv[3:]
    sys.path[0] = os.path.dirname(program)
    main_module = sys.modules["__main__"]
    sys.modules["__main__"] = module
    sys.settrace(calls)
    try:
        exec(code, module.__dict__)
    finally:
        sys.settrace(None)
        sys.modules["__main__"] = main_module
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"python": "%d.%d" % sys.version_info[:2], "stops": stops}, f)


main()
