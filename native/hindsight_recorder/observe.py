"""Values as changes: decides at each event which variables of a frame to read, and records those
that are new or differ from their previous observation (rebinding or in-place mutation)."""
from weakref import ref

from . import pinned, pybehavior
from .values import IDENTITY_TYPES, SAFE_INT, UNBOUND, WEAKLY_HELD

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)
_MISSING = object()


class _Everything:
    """The writes of a code object whose variables may change on any line (cells, exec)."""

    def __contains__(self, line):
        return True


EVERY_LINE = _Everything()


def code_facts(code):
    """(writes, global_names) of a code object, from its bytecode.

    writes: the lines whose instructions store or delete a variable, plus None (before the first
    line, when the arguments are new). Between two events of a frame only the earlier event's line
    runs, so a variable can be rebound only after a line in writes, or mutated in place when it
    holds a container or object. Cell variables can be rebound by other frames at any time.
    global_names: module globals a function reads or writes by name.
    """
    if code.co_cellvars or code.co_freevars:
        writes = EVERY_LINE
    else:
        writes = {None}
        for opname, argval, line in pybehavior.instructions(code):
            if opname.startswith(("STORE_", "DELETE_")):
                writes.add(line)
        writes = frozenset(writes)
    names = ()
    if code.co_flags & 0x02:  # CO_NEWLOCALS: a function, whose globals are another frame's
        names = tuple(sorted({argval for opname, argval, line in pybehavior.instructions(code)
                              if opname in pybehavior.GLOBAL_OPNAMES}))
    return writes, names


class Observer:
    """Writes (seq, variable, invocation, value, object) changes; keeps each frame's last observation.

    A frame's snapshot maps a name to the value itself for IDENTITY_TYPES (compared by identity,
    then equality; a weak reference to it for WEAKLY_HELD), or to a 1-tuple of its encoding for
    containers and objects (re-encoded at every event of the frame, which is how in-place mutation
    is seen).
    """

    def __init__(self, encoder, redacted, changes, var_id, live):
        self.encode = encoder.encode
        self.encode_held = encoder.encode_held
        self.redacted = redacted
        self.changes = changes
        self.var_id = var_id
        self.live = live  # id(frame) -> FrameState of the recorded frames
        self.rebound = []  # free variables the frame observed now has rebound (nonlocal)

    def observe(self, fs, frame, seq):
        info = fs.info
        written = fs.line in info.writes
        if written or fs.mutable:
            # A module's variables are its globals. (From 3.13, while a module runs an inlined
            # comprehension, its f_locals is a proxy showing the comprehension's names only.)
            self._locals(fs, frame.f_globals if info.is_module else frame.f_locals, seq)
            if self.rebound:
                self._share(frame, seq)
        # A global holding a scalar, function or class changes only by a store, which the frame
        # that runs it observes; one holding a container or object may be mutated by any line.
        module = fs.module
        if module is not None and (written or module.mutable):
            self._globals(module, frame.f_globals, info.globals, seq)

    def _locals(self, fs, local, seq):
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
                self._locals(fs, f.f_locals, seq)
            names = [name for name in names if name not in code.co_cellvars]  # below its owner: other cells
            f = f.f_back
        self.rebound = []

    def _globals(self, module, globs, names, seq):
        snap = module.snap
        for name in names:
            v = globs.get(name, _MISSING)
            held = snap.get(name, _MISSING)
            if held is v or (type(held) is ref and held() is v):
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
            if type(old) is tuple:
                self._recount(fs)
            elif type(old) is t and old == v and (t is not float or v != 0.0 or str(old) == str(v)):
                return  # an equal value in another object: no change (0.0 and -0.0 differ)
            enc = (self.encode_held(name, v) if secret else v if (t is int and -SAFE_INT < v < SAFE_INT)
                   else self.encode(v))
        else:
            if secret:
                enc = self.encode_held(name, v)
            else:
                enc = self.encode(v)
                obj = id(v)
            snap[name] = (enc,)
            fs.mutable = True
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
        if type(snap.pop(name)) is tuple:
            self._recount(fs)
        var = fs.info.vars.get(name) or self.var_id(fs.info, name)
        self.changes.append((seq, var, fs.inv, UNBOUND, None))

    @staticmethod
    def _recount(fs):
        fs.mutable = any(type(s) is tuple for s in fs.snap.values())
