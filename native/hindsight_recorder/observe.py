"""Values as changes: decides at each event which variables of a frame to read, and records those
that are new or differ from their previous observation (rebinding or in-place mutation)."""
from weakref import ref

from . import pinned, pybehavior
from .values import IDENTITY_TYPES, SAFE_INT, UNBOUND, WEAKLY_HELD

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)
_MISSING = object()
_NAME_STORES = frozenset(("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF", "DELETE_FAST", "DELETE_NAME",
                          "DELETE_GLOBAL", "DELETE_DEREF"))
_INTO = ("STORE_ATTR", "STORE_SUBSCR", "DELETE_ATTR", "DELETE_SUBSCR")


class _Everything:
    """The lines of a code object any of which may rebind (cells) or change (no source) anything."""

    def __contains__(self, line):
        return True


EVERY_LINE = _Everything()


def code_facts(code, changing):
    """(stored, changing, touches, global_names) of a code object, from its bytecode and the lines of
    its source that may change a value in place (sites.changing_lines; None without a source).

    Between two events of a frame only the earlier event's line runs, unless recorded code ran
    meanwhile (a callee, another thread: events came between). So a variable is rebound only after a
    line that stores it (stored: line -> names) and changed in place only after a line of changing,
    or recorded code. touches: the lines after which anything is read, None (before the first line,
    when the arguments are new) included; every line for a code object with cells, which other
    frames may rebind at any time. global_names: module globals a function reads or writes by name.
    """
    stored = {None: EVERY_LINE}
    into = set()  # lines storing into an attribute or subscript, which the source must know of
    for opname, argval, line in pybehavior.instructions(code):
        if opname in _NAME_STORES and line is not None:  # None (no line) stores everything already
            stored[line] = stored.get(line, frozenset()) | {argval}
        elif opname in _INTO:
            into.add(line)
    if changing is None or not into <= changing:  # no source, or not the one that ran (edited since)
        changing = EVERY_LINE
    touches = EVERY_LINE if changing is EVERY_LINE or code.co_cellvars or code.co_freevars else changing | stored.keys()
    names = ()
    if code.co_flags & 0x02:  # CO_NEWLOCALS: a function, whose globals are another frame's
        names = tuple(sorted({argval for opname, argval, line in pybehavior.instructions(code)
                              if opname in pybehavior.GLOBAL_OPNAMES}))
    return stored, changing, touches, names


class Observer:
    """Writes (seq, variable, invocation, value, object) changes; keeps each frame's last observation.

    A frame's snapshot maps a name to the value itself for IDENTITY_TYPES (compared by identity,
    then equality; a weak reference to it for WEAKLY_HELD), or to (encoding, id) for containers and
    objects, encoded again after what may have changed them (code_facts).
    """

    def __init__(self, encoder, redacted, changes, var_id, live):
        self.encoder = encoder  # its `lazy` tells of a dict that changes when read
        self.encode = encoder.encode
        self.encode_held = encoder.encode_held
        self.redacted = redacted
        self.changes = changes
        self.var_id = var_id
        self.live = live  # id(frame) -> FrameState of the recorded frames
        self.rebound = []  # free variables the frame observed now has rebound (nonlocal)

    def observe(self, fs, frame, seq):
        """Reads what fs's previous line (or recorded code since) may have changed, at seq."""
        info = fs.info
        line = fs.line
        stored = info.stored.get(line, ())
        changed = line in info.changing or fs.lazy or seq != fs.seq + 1  # events between: recorded code ran
        if stored or changed or info.touches is EVERY_LINE:
            # A module's variables are its globals. (From 3.13, while a module runs an inlined
            # comprehension, its f_locals is a proxy showing the comprehension's names only.)
            self._locals(fs, frame.f_globals if info.is_module else frame.f_locals, seq, stored, changed)
            if self.rebound:
                self._share(frame, seq)
        # The frame that stores a global observes it; containers and objects as its other variables.
        module = fs.module
        if module is not None and (stored or changed or module.lazy):
            self._globals(module, frame.f_globals, info.globals, seq, stored, changed or module.lazy)

    def _locals(self, fs, local, seq, stored, changed):
        snap = fs.snap
        skip = fs.info.skip
        if issubclass(type(local), dict):  # module globals, a class namespace, a frame's f_locals snapshot
            items = list(dict.items(local))  # one C call: another thread cannot change it meanwhile
        elif type(local) is pybehavior.FRAME_LOCALS_PROXY:
            items = local.items()
        else:
            return  # a class namespace from a metaclass __prepare__: reading it would run its code
        for name, v in items:
            held = snap.get(name, _MISSING)
            if held is v or name in skip or (type(held) is ref and held() is v):
                continue
            if not changed and type(held) is tuple and held[1] == id(v) and name not in stored:
                continue  # the same object, which nothing since can have changed
            self._note(fs, snap, name, v, seq)
        if type(local) is not dict and skip:
            return  # a class body's proxy during a comprehension: absent names are not deleted
        present = len(items) - sum(1 for name, v in items if name in skip) if skip else len(items)
        if len(snap) > present:
            for name in [n for n in snap if n not in local]:
                self._forget(fs, snap, name, seq)

    def _share(self, frame, seq):
        """A nonlocal rebinding changes the cell's variable in every frame below that holds the cell
        (down to the one that defines it): each recorded one is observed again, at this seq."""
        names = self.rebound
        self.rebound = []
        f = frame.f_back
        while f is not None and names:
            code = f.f_code
            fs = self.live.get(id(f))
            if fs is not None and any(name in code.co_cellvars or name in code.co_freevars for name in names):
                self._locals(fs, f.f_locals, seq, names, False)
            names = [name for name in names if name not in code.co_cellvars]  # below its owner: other cells
            f = f.f_back
        self.rebound = []

    def _globals(self, module, globs, names, seq, stored, changed):
        snap = module.snap
        for name in names:
            v = globs.get(name, _MISSING)
            held = snap.get(name, _MISSING)
            if held is v or (type(held) is ref and held() is v):
                continue
            if not changed and type(held) is tuple and held[1] == id(v) and name not in stored:
                continue
            if v is _MISSING:
                self._forget(module, snap, name, seq)
            else:
                self._note(module, snap, name, v, seq)

    def _note(self, fs, snap, name, v, seq):
        info = fs.info
        old = snap.get(name, _MISSING)
        secret = name not in info.public and self._secret(info, name)  # values.py redacts what it holds
        t = type(v)
        obj = None  # the object a container or object value is (schema.sql, value_change.object)
        if t in IDENTITY_TYPES:
            snap[name] = ref(v) if t in WEAKLY_HELD else v
            if type(old) is t and old == v and (t is not float or v != 0.0 or str(old) == str(v)):
                return  # an equal value in another object: no change (0.0 and -0.0 differ)
            enc = (self.encode_held(name, v) if secret else v if (t is int and -SAFE_INT < v < SAFE_INT)
                   else self.encode(v))
        else:
            if secret:
                enc = self.encode_held(name, v)
            else:
                enc = self.encode(v)
                obj = id(v)
            snap[name] = (enc, id(v))
            if self.encoder.lazy:
                fs.lazy = True
            if type(old) is tuple and old[0] == enc:
                return
        self.changes.append((seq, info.vars.get(name) or self.var_id(info, name), fs.inv, enc, obj))
        if old is not _MISSING and name in info.free:  # a rebinding, not the cell first seen at the call
            self.rebound.append(name)

    def _secret(self, info, name):
        if self.redacted(name):
            return True
        info.public.add(name)
        return False

    def _forget(self, fs, snap, name, seq):
        snap.pop(name)
        var = fs.info.vars.get(name) or self.var_id(fs.info, name)
        self.changes.append((seq, var, fs.inv, UNBOUND, None))
