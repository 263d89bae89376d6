"""The debuggee side of recording: turns tracer callbacks into events, invocations and value changes.

Tracers (tracers/) call the on_* methods; nothing here knows which mechanism runs. Events are
batched in memory and shipped to the writer process by flush(); no SQL runs in the debuggee.
"""
import __future__
import itertools
import linecache
import os
import re
import sys
import threading
import traceback
from _thread import get_ident
from time import perf_counter_ns
from weakref import ref

from . import pinned, pybehavior
from .filters import is_ours, origin_of
from .observe import Observer, code_facts
from .recursion import RecursionLimit
from .sites import changing_lines
from .values import IDENTITY_TYPES, class_attribute, instance_dict, to_json, type_name

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)
_threads_by_ident = threading._active  # bound now: the program may patch the threading module
_exc_info = sys.exc_info

LINE, CALL, RETURN, EXCEPTION, UNWIND, YIELD, RESUME = range(7)
RECURSION_LIMIT = ("the program's recursion came within a few levels of a limit of CPython's, where the "
                   "recorder cannot run: Python frames past sys.getrecursionlimit() (%d) in code that is "
                   "not recorded, or C calls nested to CPython's own limit for them: recording stopped there")
# Names never recorded: interpreter plumbing in module globals and class namespaces, not program state.
MODULE_PLUMBING = frozenset(("__builtins__", "__loader__", "__spec__", "__cached__", "__annotations__"))
CLASS_PLUMBING = frozenset(("__module__", "__qualname__", "__firstlineno__", "__static_attributes__",
                            "__classcell__", "__classdictcell__"))
CO_NEWLOCALS = 0x02
_KINDS = ((0x200, "async_generator"), (0x80, "coroutine"), (0x100, "coroutine"), (0x20, "generator"))


class CodeInfo:
    """What the recorder knows of one code object; id 0 means "not recorded"."""
    __slots__ = ("id", "is_module", "vars", "public", "stored", "changing", "touches", "globals", "free",
                 "skip", "death", "loops")

    def __init__(self, code, code_id, is_module, skip, changing=None):
        self.id = code_id
        self.is_module = is_module
        self.vars = {}  # name -> variable id
        self.public = set()  # names known not to be secrets
        self.stored, self.changing, self.touches, self.globals = code_facts(code, changing) if code_id else ({}, (), (), ())
        self.free = frozenset(code.co_freevars)  # cells of frames below, which a rebinding here changes
        self.skip = skip
        self.death = None  # the weakref whose callback forgets this entry when the code object dies
        self.loops = None  # pybehavior.same_line_loops, found at the first backward jump (sys.monitoring)


class FrameState:
    """One live recorded frame: its invocation and what was last observed of its variables."""
    __slots__ = ("inv", "info", "depth", "stack", "snap", "lazy", "line", "seq", "kind", "exc", "module")

    def __init__(self, inv, info, depth, stack, module):
        self.inv = inv
        self.info = info
        self.depth = depth  # among recorded frames
        self.stack = stack  # CPython's recursion depth here, or a bound within the limit (recursion.py)
        self.snap = {}  # name -> last observation (observe.Observer)
        self.lazy = False  # whether it holds what changes when read (a defaultdict): read at each event
        self.line = None  # line of the frame's previous event; None: observe everything
        self.seq = -1  # seq of that event: another seq than the next one means recorded code ran since
        self.kind = CALL  # kind of the frame's previous event
        self.exc = None
        self.module = module  # the FrameState holding this frame's module globals, if recorded


class Recorder:
    def __init__(self, code_filter, encoder, secrets, send, max_events=0, batch=65536):
        self.filter = code_filter
        self.encoder = encoder
        self.secrets = secrets
        self.send = send
        self.max_events = max_events
        self.high = min(batch, max_events + 1) if max_events else batch
        self.active = True
        self.unsaid = None  # (meta key, text): why recording stopped, until the trace says it
        self.on_limit = None  # set by the session: stops the tracer
        self.codes = {}  # id(code) -> CodeInfo
        self.files = {}  # path, or (name, text) of a string's code -> file id
        self.origins = {}  # co_filename -> 'file' | 'archive' | 'string' (filters.origin_of)
        self.sources = {}  # file id -> (path, None) or (None, text) until its changing lines are read
        self.changing = {}  # file id -> sites.changing_lines of its source, None if it has none that parses
        self.string_owners = {}  # id(code) -> (weakref to code, file id): code nested in a recorded string's code
        self.string_names = {}  # co_filename of string code -> how many file rows have that name
        self.exec_calls = {}  # thread ident -> (code, offset, source) of its latest exec/eval of a string
        self.threads = {}
        self.live = {}  # id(frame) -> FrameState
        self.modules = {}  # id(module globals) -> FrameState of the module's invocation
        self.thread_exc = {}  # thread ident -> (exception, id): the one propagating or handled now
        self._passing = None  # an exception leaving a recorder frame for the program's
        self._refused = None  # id() of the frame it was raised in, if not ours (RecursionLimit.refused)
        self.recursion = RecursionLimit()
        self.deferred = False  # a signal handler waits for the end of the current event (signals.py)
        self.deliver_signals = None  # runs it, given the program's frame
        self.events = []
        self.changes = []
        self.records = []
        self.lock = threading.Lock()  # one flush at a time
        self._define = threading.Lock()  # one definition of each code, variable and thread
        self.observer = Observer(encoder, secrets.name_is_secret, self.changes, self.var_id, self.live)
        self._seq = itertools.count(1)
        self._ids = {kind: itertools.count(1) for kind in ("inv", "code", "file", "thread", "var", "exc")}
        self.t0 = perf_counter_ns()

    # -- code objects ---------------------------------------------------------------------------

    def code_info(self, code):
        info = self.codes.get(id(code))
        if info is None:
            with self._define:
                info = self.codes.get(id(code))
                if info is None:
                    info = self._remember(code, self._new_code(code))
        return info

    def _remember(self, code, info):
        """Keeps info for code until the code object dies, so that its id() can serve another one:
        the recorder keeps no code object alive."""
        self.codes[id(code)] = info
        info.death = ref(code, lambda _, key=id(code), codes=self.codes: codes.pop(key, None))
        return info

    def _new_code(self, code):
        qualname = code.co_qualname if pybehavior.HAS_CO_QUALNAME else code.co_name  # PYVERSIONS: 3.10
        filename = code.co_filename
        origin = self.origins.get(filename)
        if origin is None:
            origin = self.origins[filename] = origin_of(filename) if filename else "file"
        file_id = self._string_file(code, qualname) if origin == "string" else self._file(code, qualname, origin)
        if not file_id:
            info = self.codes[id(code)] = CodeInfo(code, 0, False, ())
            return info
        module = code.co_name == "<module>"
        kind = "module" if module else "class" if not code.co_flags & CO_NEWLOCALS else next(
            (name for flag, name in _KINDS if code.co_flags & flag), "function")
        code_id = next(self._ids["code"])
        first_line = 1 if module else code.co_firstlineno  # 3.9 gives a module its first statement's
        self.records.append(("code", code_id, file_id, code.co_name, qualname, first_line, kind))
        skip = MODULE_PLUMBING if module else CLASS_PLUMBING if kind == "class" else frozenset()
        info = self.codes[id(code)] = CodeInfo(code, code_id, module, skip, self._changing_lines(file_id))
        return info

    def _changing_lines(self, file_id):
        """The changing lines of a recorded file, read at its first code object (as it is imported)."""
        if file_id in self.changing:
            return self.changing[file_id]
        path, source = self.sources.pop(file_id, (None, None))
        if path is not None:
            try:
                with open(path, "rb") as f:
                    source = f.read()
            except OSError:  # a zip archive's member, a file gone
                pass
        found = self.changing[file_id] = changing_lines(source) if source is not None else None
        return found

    def _file(self, code, qualname, origin):
        """The file id of code from a file or a zip archive; 0 if not recorded."""
        if not self.filter.recorded(code.co_filename, qualname):
            return 0
        path = pinned.path.abspath(code.co_filename)
        file_id = self.files.get(path)
        if file_id is None:
            file_id = self.files[path] = next(self._ids["file"])
            self.sources[file_id] = (path, None)
            self.records.append(("file", file_id, path, origin, None))
        return file_id

    def _string_file(self, code, qualname):
        """The file id of code compiled from a string; 0 if not recorded. Its top-level code decides
        for the functions nested in it, which run later (once per new code object: no event pays)."""
        owner = self.string_owners.pop(id(code), None)
        if owner is not None and owner[0]() is code:
            return owner[1]
        filename = code.co_filename
        if filename.startswith("<"):
            caller = _caller_of(code)
            known = self.codes.get(id(caller.f_code)) if caller is not None else None
            recorded = self.filter.recorded_string(filename, qualname, known is not None and known.id != 0)
            file_id = self._string_row(filename, self._exec_text(caller, code)) if recorded else 0
        else:
            file_id = self._string_row(filename, None) if self.filter.recorded(filename, qualname) else 0
        for nested in _nested_codes(code):
            if file_id:  # held weakly: a function never called must not keep its code alive
                owners = self.string_owners
                owners[id(nested)] = (ref(nested, lambda _, key=id(nested): owners.pop(key, None)), file_id)
            elif id(nested) not in self.codes:
                self._remember(nested, CodeInfo(nested, 0, False, ()))
        return file_id

    def exec_call(self, code, offset, source, audited=False):
        """A tracer saw the instruction at offset in code call exec or eval (or compile) on a string
        (str or bytes): if the next new string code starts from that very call, this is its text.
        audited: source is the bytes of the 'compile' audit event, which does not say which it was."""
        self.exec_calls[get_ident()] = (code, offset, source, audited)

    def _exec_text(self, caller, code):
        """The text of the string code starting now, if its caller's current call is an exec_call."""
        pending = self.exec_calls.pop(get_ident(), None)
        if pending is None or caller is None or pending[0] is not caller.f_code or pending[1] != caller.f_lasti:
            return None
        return _audited_text(pending[2], code) if pending[3] else pending[2]

    def _string_row(self, filename, text):
        """A new file row for one string's code, or the row of an identical text of that name."""
        if text is None:
            text = _registered_text(filename)
        file_id = self.files.get((filename, text)) if text is not None else None
        if file_id is None:
            file_id = next(self._ids["file"])
            if text is not None:
                self.files[(filename, text)] = file_id
            n = self.string_names[filename] = self.string_names.get(filename, 0) + 1
            self.sources[file_id] = (None, text)
            self.records.append(("file", file_id, "%s#%d" % (filename, n), "string", text))
        return file_id

    def var_id(self, info, name):
        var = info.vars.get(name)
        if var is None:
            with self._define:  # two threads in one code object must not both define a name
                var = info.vars.get(name)
                if var is None:
                    var = info.vars[name] = next(self._ids["var"])
                    self.records.append(("var", var, info.id, name))
        return var

    # -- events -----------------------------------------------------------------------------------

    def on_call(self, frame, info, kind=CALL):
        """A recorded frame starts (kind CALL), or a known generator frame resumes (RESUME). Returns
        the RecursionError for the tracer to raise in frame, unrecorded, if it starts past the
        program's recursion limit."""
        parent, steps, below = self._caller(frame)
        stack = self.recursion.depth(frame, parent.stack if parent else 0, steps)
        if kind == RESUME:
            fs = self.live.get(id(frame))
            if fs is not None:
                fs.stack = stack  # a resumed generator is not refused: its frame push is not a call
                seq = self._event(fs, frame, RESUME, None)
                self.records.append(("resume", seq, parent.inv if parent else None))
                self._observe_caller(parent, below, seq)
                return None
        if stack > self.recursion.limit:
            exc = self.recursion.refused(stack)
            self.passing(exc, frame)
            return exc
        thread = self._thread_id()
        inv = next(self._ids["inv"])
        module = self.modules.get(id(frame.f_globals)) if info.globals else None
        fs = FrameState(inv, info, parent.depth + 1 if parent else 0, stack, module)
        self.live[id(frame)] = fs
        if info.is_module:  # its frame owns its globals
            self.modules[id(frame.f_globals)] = fs
        seq = next(self._seq)
        if info.is_module and frame.f_globals.get("__name__") == "__main__":
            # The program's sys.argv as its __main__ starts (for -m, runpy sets argv[0] just before).
            self.records.append(("meta", "argv", to_json(self.secrets.argv(list(sys.argv)))))
        self.records.append(("inv", inv, parent.inv if parent else None, thread, info.id, fs.depth, seq))
        line = 1 if info.is_module else frame.f_lineno  # modules start on line 0 (3.11) or 3 (3.9)
        self.events.append((seq, inv, line, CALL, None, perf_counter_ns() - self.t0))
        self.observer.observe(fs, frame, seq)
        fs.line = line
        fs.seq = seq
        self._observe_caller(parent, below, seq)
        if len(self.events) >= self.high:
            self.flush()
        return None

    def _caller(self, frame):
        """The nearest recorded frame below frame: its FrameState (or None), how many frames down
        it is (from frame to the bottom of the stack, if None), and its frame."""
        f = frame.f_back
        steps = 1
        while f is not None:
            fs = self.live.get(id(f))
            if fs is not None:
                return fs, steps, f
            f = f.f_back
            steps += 1
        return None, steps, None

    def _observe_caller(self, fs, frame, seq):
        """The caller as the call finds it: its line has run up to the call (a loop variable stored,
        a list emptied by the sort calling a key function), which its own next event is too late to show."""
        if fs is not None:
            self.observer.observe(fs, frame, seq)  # which reads only what the line may have changed

    def line(self, fs, frame, line):
        """A LINE event in the live frame fs (the hot path)."""
        seq = next(self._seq)
        self.events.append((seq, fs.inv, line, LINE, None, None))
        if self.thread_exc:
            self._settle()
        if (fs.line in fs.info.touches or seq != fs.seq + 1 or fs.lazy
                or (fs.module is not None and fs.module.lazy)):
            self.observer.observe(fs, frame, seq)
        fs.line = line
        fs.seq = seq
        fs.kind = LINE
        if len(self.events) >= self.high:
            self.flush()

    def on_return(self, frame, value, kind=RETURN):
        """A frame returns (RETURN) or a generator suspends (YIELD) with value."""
        fs = self.live.get(id(frame))
        if fs is None:
            return
        seq = self._event(fs, frame, kind, None)
        name = "<return>" if kind == RETURN else "<yield>"
        self.changes.append((seq, self.var_id(fs.info, name), fs.inv, self._encode(name, value), None))
        if kind == RETURN:
            del self.live[id(frame)]

    def on_exception(self, frame, exc, tb):
        """exc reached frame; tb is its traceback as of now (settrace gets it apart from exc)."""
        if self._passing is exc and tb is not None and not is_ours(frame.f_code.co_filename):
            self.cut(exc, tb)
        fs = self.live.get(id(frame))
        if fs is None:
            return
        tid = get_ident()
        last = self.thread_exc.get(tid)
        if last is not None and last[0] is exc:
            eid = last[1]
            self._event(fs, frame, EXCEPTION, eid)
        else:
            eid = next(self._ids["exc"])
            self.thread_exc[tid] = (exc, eid)
            seq = self._event(fs, frame, EXCEPTION, eid)
            self.records.append(("exc", eid, type_name(type(exc)), self.secrets.scrub(_message(exc)), seq))
        fs.exc = eid
        fs.line = None  # handler clean-up code has no line of its own: observe all at the next event

    def on_unwind(self, frame):
        fs = self.live.pop(id(frame), None)
        if fs is not None:
            self._event(fs, frame, UNWIND, fs.exc)

    def _settle(self):
        """At a line event: the thread's last exception is over unless its handler is running (a bare
        `raise` there continues it). Then it is let go: the recorder keeps no exception alive."""
        tid = get_ident()
        last = self.thread_exc.get(tid)
        if last is not None and _exc_info()[1] is not last[0]:
            del self.thread_exc[tid]

    def cut(self, exc, tb):
        """tb, exc's traceback from a frame of the program's on, loses the recorder's frames."""
        if self._passing is exc and id(tb.tb_frame) != self._refused:
            _cut_our_frames(tb, self._refused)
            self._passing = None
            self._refused = None

    def passing(self, exc, refused=None):
        """exc leaves a recorder frame for the program's (a signal handler's exception, a stream's
        error): the recorder's frames are cut from its traceback where the program's frame gets it,
        and so is the frame refused, that exc was raised in instead of in its caller."""
        self._passing = exc  # builtin exceptions take no weak reference: held only until it is cut
        self._refused = id(refused) if refused is not None else None  # the traceback holds it meanwhile

    def _event(self, fs, frame, kind, arg):
        seq = next(self._seq)
        line = frame.f_lineno
        self.events.append((seq, fs.inv, line, kind, arg, perf_counter_ns() - self.t0))
        self.observer.observe(fs, frame, seq)
        fs.line = line
        fs.seq = seq
        fs.kind = kind
        return seq

    def _thread_id(self):
        """Our id for the running thread. The OS reuses idents once a thread ends, so the cache
        remembers which threading.Thread (never created here: current_thread() would) it saw."""
        ident = get_ident()
        t = _threads_by_ident.get(ident)
        known = self.threads.get(ident)
        if known is not None and known[0]() is t:
            return known[1]
        thread = next(self._ids["thread"])
        self.threads[ident] = (ref(t) if t is not None else _NO_THREAD, thread)
        self.records.append(("thread", thread, ident, _thread_name(t, ident)))
        return thread

    def _encode(self, name, value):
        secret = self.secrets.name_is_secret(name)
        return self.encoder.encode_held(name, value) if secret else self.encoder.encode(value)

    # -- shipping -------------------------------------------------------------------------------

    def last_seq(self):
        return int(repr(self._seq)[6:-1]) - 1  # itertools.count has no peek; its repr is "count(N)"

    def record(self, *rec):
        self.records.append(rec)

    def flush(self):
        """Ships everything recorded so far to the writer; stops recording at max_events."""
        with self.lock:
            if self.send is None:  # closed
                return
            events = _take(self.events)
            changes = _take(self.changes)
            records = _take(self.records)  # after events: every record an event needs is taken
            limit = self.max_events
            if limit and events and max(e[0] for e in events) > limit:
                events = [e for e in events if e[0] <= limit]
                changes = [c for c in changes if c[0] <= limit]
                records = [r for r in records if not _after(r, limit)]
                records.append(("truncated", limit))
                self.active = False
            if events or changes or records:
                self.send((records, events, changes))
        if not self.active and self.on_limit is not None:
            self.on_limit()

    def fail(self, error):
        """A recorder bug: stop recording, and let the trace say so instead of the program failing."""
        if not self.active:
            return
        self.active = False  # first: formatting runs library code, none of which may be recorded
        self.unsaid = ("recorder_error", "".join(traceback.format_exception(type(error), error, error.__traceback__)))
        self._say_stopped()

    def stop(self, reason):
        """Recording cannot go on (reason, a sentence): stop, and let the trace say why."""
        if not self.active:
            return
        self.active = False
        self.unsaid = ("stopped", reason)  # no call before this: at the recursion limit one may fail
        self._say_stopped()

    def _say_stopped(self):
        """The trace says why recording stopped (unsaid); close() says it if this fails halfway."""
        self.record("meta", *self.unsaid)
        self.unsaid = None
        if self.on_limit is not None:
            self.on_limit()

    def caught(self, exc):
        """What a callback caught: a recorder bug (Exception), else a signal handler's exception,
        which belongs to the program: it gets it in its own code (session.py defers Ctrl-C)."""
        if type(exc) is RecursionError:  # the program is within a few frames of the limit: no room for us
            self.stop(RECURSION_LIMIT % self.recursion.limit)
        elif isinstance(exc, Exception):
            self.fail(exc)
        else:
            raise exc

    def close(self):
        """Ships the rest and the end marker; nothing is sent after this."""
        if self.unsaid is not None:
            self.record("meta", *self.unsaid)
        self.record("end")
        self.flush()
        with self.lock:
            self.send = None


def _caller_of(code):
    """The frame that started the running frame of code (exec's or eval's caller), or None."""
    f = sys._getframe(1)
    while f is not None and f.f_code is not code:
        f = f.f_back
    return f.f_back if f is not None else None


def _nested_codes(code):
    """The code objects defined inside code (functions, classes, comprehensions), at any depth."""
    stack = [code]
    while stack:
        for const in stack.pop().co_consts:
            if type(const) is type(code):
                yield const
                stack.append(const)


# A coding cookie (PEP 263) in the first two lines; only comment lines come before it.
_COOKIE = re.compile(rb"^(?:[ \t\f]*(?:#[^\r\n]*)?\r?\n)?[ \t\f]*#[^\r\n]*coding[:=]")
_FUTURE_FLAGS = sum(getattr(__future__, name).compiler_flag for name in __future__.all_feature_names)


def _audited_text(data, code):
    """The text of code, from the bytes the 'compile' audit event gave: either bytes the program
    passed (the compiler decodes them by their coding cookie) or the UTF-8 of a str it passed (the
    compiler ignores a cookie in it). Without a cookie both read alike and the writer decodes them;
    with one, the str reading is taken if it compiles to this very code (rare: no event pays); texts
    alike but in a comment compile alike, and then nothing tells them apart."""
    if _COOKIE.match(data) is None:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # no str's UTF-8
        return data
    flags = code.co_flags & _FUTURE_FLAGS  # the __future__ features the code was compiled with
    for mode in ("exec", "eval"):
        try:
            if compile(text, code.co_filename, mode, flags, True) == code:
                return text
        except (SyntaxError, ValueError):
            pass
    return data


def _registered_text(filename):
    """The text a tool registered in linecache for a name that is no file (IPython, the 3.13 REPL),
    read from the cache itself: linecache.getlines may be patched, and a lazy entry runs a loader."""
    cache = linecache.cache
    entry = cache.get(filename) if type(cache) is dict else None
    if type(entry) is tuple and len(entry) == 4 and entry[1] is None and type(entry[2]) is list:
        lines = entry[2]
        if all(type(line) is str for line in lines):
            return "".join(lines)
    return None


def _take(items):
    n = len(items)
    batch = items[:n]
    del items[:n]  # appends made meanwhile by other threads stay, after n
    return batch


_C_METHODS = (type(object.__str__), type(BaseException.__str__))


def _after(record, limit):
    kind = record[0]
    return ((kind == "inv" and record[6] > limit) or (kind == "exc" and record[4] > limit)
            or (kind in ("out", "resume") and record[1] > limit))


def _NO_THREAD():
    return None  # the thread of an ident that threading does not know (started with _thread)


def _thread_name(t, ident):
    """The Thread's name as threading stores it, read without running a `name` property of a subclass."""
    d = instance_dict(t) if t is not None else None
    name = d.get("_name") if d is not None else None
    return name if type(name) is str else "Thread-%d" % ident


def _cut_our_frames(tb, refused):
    """Takes the recorder's own frames (signals.py's trampoline, session.py's stream write) and the
    frame refused (id) out of a traceback, so the program sees and prints what plain Python would."""
    while tb is not None:
        following = tb.tb_next
        while following is not None and (is_ours(following.tb_frame.f_code.co_filename)
                                         or id(following.tb_frame) == refused):
            following = following.tb_next
        tb.tb_next = following
        tb = following


def _message(exc):
    """str(exc) when that runs no user code; otherwise the recorded args."""
    t = type(exc)
    try:
        args = BaseException.args.__get__(exc)
        if all(type(a) in IDENTITY_TYPES for a in args) and type(class_attribute(t, "__str__")) in _C_METHODS:
            return str(exc)
        return "args: " + ", ".join(type_name(type(a)) for a in args)
    except Exception:
        return "(message unavailable)"
