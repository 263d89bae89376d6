"""Encodes Python values for the trace (protocol/values.md) without ever running user code.

Common scalars become SQLite values; everything else a JSON value node in a bytes BLOB.
"""
from _collections import OrderedDict, deque
from _json import encode_basestring_ascii, make_encoder
from itertools import islice
from math import copysign
import sys
import types

from . import pinned
from .filters import is_ours
from .secrets import MIN_KNOWN

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

SAFE_INT = 2 ** 53

REDACTED = b'["redacted"]'
UNBOUND = b'["unbound"]'

# Values compared by identity between observations: immutable, or shown by identity only.
IDENTITY_TYPES = frozenset((int, float, str, bytes, bool, type(None), complex, range,
                            types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type))
# Of those, the ones that reach other objects (a function its globals, a class its methods): the
# recorder holds them by weak reference only, so that it keeps nothing of the program alive.
WEAKLY_HELD = frozenset((types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type))

_TYPE_DICT = type.__dict__["__dict__"].__get__
_MODULE_DICT = types.ModuleType.__dict__["__dict__"].__get__
_TYPE_NAME = type.__dict__["__name__"].__get__
_FUNCTION_QUALNAME = types.FunctionType.__dict__["__qualname__"].__get__
_METHOD_FUNC = types.MethodType.__dict__["__func__"].__get__
_C_METHOD_TYPES = (types.WrapperDescriptorType, types.MethodDescriptorType, types.BuiltinFunctionType)
_BASE_EXCEPTION_REPR = BaseException.__dict__["__repr__"]
_WHOLE = slice(None)
_to_json = make_encoder(None, None, encode_basestring_ascii, None, ":", ",", False, False, True)


def to_json(node):
    """Compact ASCII JSON of a node made of lists, str, int, bool and None (C code only)."""
    return "".join(_to_json(node, 0))

_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
              types.BuiltinMethodType, types.MethodWrapperType, types.WrapperDescriptorType,
              types.MethodDescriptorType, types.ClassMethodDescriptorType)
_SEQUENCES = (list, tuple, set, frozenset)
# Builtin leaf types whose repr is C code that reads no user object. Exact types only.
_SAFE_REPR = {complex, range, type(Ellipsis), type(NotImplemented)}
# Same, for classes of stdlib modules the program may have imported (never imported here).
_SAFE_REPR_BY_NAME = {("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"),
                      ("datetime", "timedelta"), ("datetime", "timezone"), ("decimal", "Decimal"),
                      ("uuid", "UUID"), ("fractions", "Fraction"), ("pathlib", "PosixPath"),
                      ("pathlib", "PurePosixPath"), ("pathlib", "WindowsPath"),
                      ("pathlib", "PureWindowsPath"), ("pathlib._local", "PosixPath"),
                      ("pathlib._local", "PurePosixPath"), ("re", "Pattern")}


def class_attribute(t, name):
    """What t's MRO defines as name, read from the class dicts (no metaclass __getattribute__ runs)."""
    for cls in _mro(t):
        d = _TYPE_DICT(cls)
        if name in d:
            return d[name]
    return None


def type_name(t):
    try:
        module = type.__dict__["__module__"].__get__(t)
        qualname = type.__dict__["__qualname__"].__get__(t)
    except Exception:
        return "?"
    return qualname if module == "builtins" else "%s.%s" % (module, qualname)


class Encoder:
    """Turns one value into its trace form, within the caps recorded in the trace's meta.

    Secrets (secrets.py) are str and bytes only: those held under a secret name, directly or in
    containers (not in objects, whose attributes have names of their own), and those that look
    like or are known secrets. Each becomes a `redacted` node.
    """

    def __init__(self, secrets, max_depth=3, max_items=100, max_string=4096, max_nodes=1000):
        self.secrets = secrets
        self._secret = False  # encoding what a secret name holds
        self._verdicts = secrets.verdicts
        self.max_depth = max_depth
        self.max_items = max_items
        self.max_string = max_string
        self.max_nodes = max_nodes
        self._budget = 0
        self.lazy = False  # whether the last value encoded holds a dict that changes when read

    def encode(self, v):
        """The SQLite value for v: int, float, str, None or bytes (a JSON node)."""
        t = type(v)
        if t is int and -SAFE_INT < v < SAFE_INT:
            return v
        if t is float and v == v and (v != 0.0 or copysign(1.0, v) > 0):
            return v  # NaN and -0.0 become nodes: SQLite stores NaN as NULL and -0.0 as 0
        if t is str and len(v) <= self.max_string and _utf8_ok(v):
            return REDACTED if self._hides(v) else v
        if v is None:
            return None
        self.lazy = False
        self._budget = self.max_nodes - 1  # the root
        try:
            node = self._node(v, 0, ())
        except RecursionError:
            node = ["error", type_name(t), "nested too deeply to record"]
        return to_json(node).encode("ascii")

    def encode_held(self, name, v):
        """encode() for the value of a secret name."""
        self.secrets.learn(v)
        if self.secrets.hides_all(name):
            return REDACTED
        self._secret = True
        try:
            return self.encode(v)
        finally:
            self._secret = False

    def _hides(self, v):
        """Whether str or bytes v is redacted: under a secret name it is."""
        if self._secret:
            return True
        if len(v) < MIN_KNOWN:
            return False
        verdict = self._verdicts.get(v) if type(v) is str else None  # inlined: the hot path
        return self.secrets.value_is_secret(v, self.max_string) if verdict is None else verdict

    def _node(self, v, depth, ancestors):
        t = type(v)
        if v is None or t is bool:
            return v
        if t is int:
            if -SAFE_INT < v < SAFE_INT:
                return v
            try:
                return ["int", str(v)]
            except ValueError:  # over sys.get_int_max_str_digits()
                return ["error", "int", "an integer of %d bits, too long to write out" % v.bit_length()]
        if t is float:
            return ["float", repr(v)]
        if t is str:
            if self._hides(v):
                return ["redacted"]
            if len(v) <= self.max_string:
                return v
            return ["str", v[:self.max_string], len(v)]
        if t is bytes or t is bytearray:
            if self._hides(v):
                return ["redacted"]
            return ["bytes", type_name(t), bytes(v[:self.max_string]).decode("latin-1"), len(v)]
        if t in _SAFE_REPR or issubclass(t, _FUNCTIONS) or issubclass(t, (type, types.ModuleType)):
            return ["repr", type_name(t), _describe(v)]
        if _is_stdlib_class(t):
            return ["repr", type_name(t), _safe_repr(v)]
        enum = _stdlib_class("enum", "Enum")
        if enum is not None and issubclass(t, enum):
            d = instance_dict(v)
            return ["repr", type_name(t), "%s.%s" % (_TYPE_NAME(t), d.get("_name_") if d is not None else "?")]
        if t is _stdlib_class("os", "_Environ"):  # its own items hold bytes keys: show it as os.environ reads
            return self._container("map", v, t, depth, ancestors, _environ_items)
        oid = id(v)
        if oid in ancestors:
            return ["cycle", type_name(t), oid]
        base = _scalar_base(t)
        if base is not None:
            return self._subclass(v, t, _plain(v, base), depth, ancestors)
        if issubclass(t, dict):
            return self._container("map", v, t, depth, ancestors, _dict_items)
        if issubclass(t, _SEQUENCES) or issubclass(t, deque):
            return self._container("seq", v, t, depth, ancestors, _sequence_items)
        return self._object(v, t, depth, ancestors)

    def _container(self, tag, v, t, depth, ancestors, items_of):
        if tag == "map" and t is not dict and class_attribute(t, "__missing__") is not None:
            self.lazy = True  # reading a missing key adds it (defaultdict), which no line stores
        length, items = items_of(v, self.max_items)
        # A subclass's own attributes (class Env(dict) with self.outer) follow its items.
        attrs = (_attributes(v, t) or []) if t not in _BUILTIN_CONTAINERS else []
        shown = attrs[:self.max_items]
        if not self._afford(depth, len(items) * (2 if tag == "map" else 1) + len(shown)):
            return ["deep", type_name(t), id(v), length]
        inner = ancestors + (id(v),)
        if tag == "map":
            key = self._key if self._secret else self._node
            nodes = [[key(k, depth + 1, inner), self._entry(k, val, depth, inner)] for k, val in items]
        else:
            nodes = [self._node(item, depth + 1, inner) for item in items]
        if not attrs:
            return [tag, type_name(t), id(v), length, nodes]
        return [tag, type_name(t), id(v), length, nodes, len(attrs), self._attribute_nodes(shown, depth, inner)]

    def _subclass(self, v, t, plain, depth, ancestors):
        """An instance of a subclass of str, int, float, complex, bytes or bytearray: its value as
        the base type holds it, then its own attributes (those that fit the caps)."""
        value = self._node(plain, depth, ancestors)
        attrs = _attributes(v, t) or []
        shown = attrs[:self.max_items]
        if not self._afford(depth, len(shown)):
            shown = []
        return ["sub", type_name(t), id(v), value, len(attrs), self._attribute_nodes(shown, depth, ancestors + (id(v),))]

    def _afford(self, depth, children):
        """Whether a container's children can be expanded: each is a node, paid for up front so
        that the whole value stays within max_nodes (what does not fit is a 'deep' node)."""
        if depth >= self.max_depth or self._budget < children:
            return False
        self._budget -= children
        return True

    def _entry(self, key, value, depth, ancestors):
        t = type(key)
        name = key if t is str else key.decode("latin-1") if t is bytes else None
        if name is not None and self.secrets.name_is_secret(name):
            return self._held_secret(name, value, depth, ancestors)
        return self._node(value, depth + 1, ancestors)

    def _held_secret(self, name, value, depth, ancestors):
        self.secrets.learn(value)
        if self.secrets.hides_all(name):
            return ["redacted"]
        outer = self._secret
        self._secret = True
        try:
            return self._node(value, depth + 1, ancestors)
        finally:
            self._secret = outer

    def _key(self, key, depth, ancestors):
        """A dict key under a secret name: a name, not one of the secret's leaves."""
        self._secret = False
        try:
            return self._node(key, depth, ancestors)
        finally:
            self._secret = True

    def _object(self, v, t, depth, ancestors):
        attrs = _attributes(v, t)
        if attrs is None:
            if _has_c_repr(t):
                return ["repr", type_name(t), _safe_repr(v)]
            return ["error", type_name(t), "no attributes to show, and its __repr__ is not run"]
        shown = attrs[:self.max_items]
        if not self._afford(depth, len(shown)):
            return ["deep", type_name(t), id(v), len(attrs)]
        # An exception whose repr is BaseException's C one: the reader shows it as that repr does.
        tag = "exc" if issubclass(t, BaseException) and class_attribute(t, "__repr__") is _BASE_EXCEPTION_REPR else "obj"
        return [tag, type_name(t), id(v), len(attrs), self._attribute_nodes(shown, depth, ancestors + (id(v),))]

    def _attribute_nodes(self, attrs, depth, inner):
        """[[name, node]] of an object's attributes: judged by their own names, not by the name holding the object."""
        outer = self._secret
        self._secret = False
        try:
            return [[name, self._entry(name, val, depth, inner)] for name, val in attrs]
        finally:
            self._secret = outer


def _utf8_ok(s):
    if s.isascii():
        return True
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:  # lone surrogates: only JSON's \u escapes keep them exact
        return False


# Items are copied in one C call (list of islice): no other thread runs in between, so a container
# another thread changes is read whole, never as "changed size during iteration".
def _dict_items(d, limit):
    return _first_items(dict, dict.items, d, limit)


def _first_items(base, iterate, c, limit):
    """(length, first limit items) of container c, through base's own methods."""
    try:
        return base.__len__(c), list(islice(iterate(c), limit))
    except RuntimeError:  # another thread changed it between two of our steps: read a copy, made in one
        c = base.copy(c)
        return base.__len__(c), list(islice(iterate(c), limit))


def _sequence_items(s, limit):
    t = type(s)
    if issubclass(t, (list, tuple)):
        base = list if issubclass(t, list) else tuple
        return base.__len__(s), list(base.__getitem__(s, slice(0, limit)))
    base = set if issubclass(t, set) else frozenset if issubclass(t, frozenset) else deque
    return _first_items(base, base.__iter__, s, limit)


_BUILTIN_CONTAINERS = frozenset((dict, list, tuple, set, frozenset, deque))
_SCALAR_BASES = (str, bytes, bytearray, int, float, complex)


def _scalar_base(t):
    """The builtin scalar type t subclasses, when t keeps its repr or overrides it in Python; None
    otherwise, also for a C subclass with a repr of its own (numpy.float64), which shows by it."""
    for base in _SCALAR_BASES:
        if issubclass(t, base):
            found = class_attribute(t, "__repr__")
            return base if found is _TYPE_DICT(base)["__repr__"] or type(found) not in _C_METHOD_TYPES else None
    return None


def _plain(v, base):
    """v as a plain base value, copied by the base type's own C slot: no override in v's class runs."""
    if base is str or base is bytes or base is bytearray:
        return base.__getitem__(v, _WHOLE)  # a full slice of a subclass instance is an exact copy
    return base.__pos__(v)  # so is +v


def _environ_items(env, limit):
    """os.environ / os.environb as they read: decoded by the os module's own functions."""
    d = instance_dict(env)
    data, key, value = d["_data"], d["decodekey"], d["decodevalue"]
    length, items = _dict_items(data, limit)
    return length, [(key(k), value(v)) for k, v in items]


def _stdlib_class(module, qualname):
    """The class module.qualname if that module is imported, read from its dict (no module
    __getattr__ runs); None otherwise."""
    m = sys.modules.get(module)
    if type(m) is not types.ModuleType:
        return None
    return _MODULE_DICT(m).get(qualname)


def _is_stdlib_class(t):
    """Whether t is one of _SAFE_REPR_BY_NAME itself; a class that only claims the name is not."""
    try:
        module = type.__dict__["__module__"].__get__(t)
        qualname = type.__dict__["__qualname__"].__get__(t)
    except Exception:
        return False
    return (type(module) is str and (module, qualname) in _SAFE_REPR_BY_NAME
            and _stdlib_class(module, qualname) is t)


def _attributes(v, t):
    """[(name, value)] from the instance __dict__ and __slots__, or None when it has neither.

    Reads through the type's own descriptors only, so no __getattr__ or property runs.
    """
    attrs = None
    d = instance_dict(v)
    if d is not None:
        attrs = [(k, val) for k, val in list(dict.items(d)) if type(k) is str and not _is_ours(val)]
    for cls in _mro(t):
        cls_dict = _TYPE_DICT(cls)
        slots = cls_dict.get("__slots__")
        if slots is None:
            continue
        for name in (slots,) if isinstance(slots, str) else slots:
            if name in ("__dict__", "__weakref__"):
                continue
            if type(name) is not str:
                continue
            stored = "_%s%s" % (_TYPE_NAME(cls).lstrip("_"), name) if name.startswith("__") else name
            descriptor = cls_dict.get(stored)
            if type(descriptor) is not types.MemberDescriptorType:
                continue
            try:
                value = descriptor.__get__(v, cls)
            except AttributeError:  # declared but never set
                continue
            attrs = attrs or []
            attrs.append((name, value))
    if attrs is None and any("__slots__" in _TYPE_DICT(cls) for cls in _mro(t)[:-1]):
        attrs = []  # slots declared, none set yet
    if issubclass(t, BaseException):
        attrs = [("args", BaseException.args.__get__(v))] + (attrs or [])
    return attrs


def _is_ours(value):
    """The recorder's own functions (session.py's write on sys.stdout) are no part of a program value."""
    return type(value) is types.FunctionType and is_ours(value.__code__.co_filename)


def instance_dict(v):
    """v's instance __dict__ through its type's own descriptor, or None (no __getattr__ runs)."""
    for cls in _mro(type(v)):
        descriptor = _TYPE_DICT(cls).get("__dict__")
        if descriptor is None:
            continue
        if type(descriptor) is not types.GetSetDescriptorType:
            return None  # a class-level __dict__ override: not ours to call
        try:
            d = descriptor.__get__(v, cls)
        except Exception:
            return None
        return d if type(d) is dict else None
    return None


def _mro(t):
    try:
        return type.__dict__["__mro__"].__get__(t)
    except Exception:
        return (t,)


def _has_c_repr(t):
    return type(class_attribute(t, "__repr__")) in _C_METHOD_TYPES and t not in _NESTED_REPR


# C types whose repr is made of the reprs (or attributes) of what they hold, which may be the program's.
_NESTED_REPR = frozenset((types.MappingProxyType, types.SimpleNamespace, slice, staticmethod, classmethod,
                          property, types.GenericAlias, type(int | str) if sys.version_info >= (3, 10) else None,
                          type(iter(range(0))), type(iter([])), type(iter(())), type(reversed([])),
                          type(map(None, ())), type(filter(None, ())), type(zip()), enumerate)
                         + tuple(type(view) for d in ({}, OrderedDict()) for view in (d.keys(), d.values(), d.items())))


def _safe_repr(v):
    try:
        text = repr(v)
    except Exception as e:  # a C repr failing is still no reason to stop recording
        return "<%s: repr failed: %s>" % (type_name(type(v)), type_name(type(e)))
    return text if len(text) <= 4096 else text[:4096] + "…"


def _describe(v):
    """Our own text for functions, classes and modules: never the object's __repr__."""
    t = type(v)
    if issubclass(t, type):
        return "<class '%s'>" % type_name(v)
    if issubclass(t, types.ModuleType):
        return "<module '%s'>" % types.ModuleType.__dict__["__dict__"].__get__(v).get("__name__", "?")
    if t is types.MethodType:
        func = _METHOD_FUNC(v)
        return "<bound method %s>" % (_FUNCTION_QUALNAME(func) if type(func) is types.FunctionType else "?")
    if t is types.FunctionType:
        return "<function %s>" % _FUNCTION_QUALNAME(v)
    if issubclass(t, _FUNCTIONS):  # builtins and descriptors: C objects, their __qualname__ is C too
        return "<function %s>" % getattr(v, "__qualname__", getattr(v, "__name__", "?"))
    return _safe_repr(v)
