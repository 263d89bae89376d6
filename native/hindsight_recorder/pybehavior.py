"""Every CPython difference the recorder depends on, named once (grep PYVERSIONS: for the uses)."""
import sys

from . import pinned

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)
dis = pinned.private_copy("dis")  # dis is Python code: the program's builtins must not run in it

# sys.monitoring (PEP 669) exists from 3.12; older versions are recorded with sys.settrace.
HAS_MONITORING = sys.version_info >= (3, 12)

# From 3.12 os.fork warns when the process has more than one OS thread (gh-100228); forking.py
# keeps the recorder's flush thread out of that count.
FORK_WARNS_OF_THREADS = sys.version_info >= (3, 12)

# CPython's recursion depth, checked against sys.getrecursionlimit, counts C calls as well as
# Python frames up to 3.11; from 3.12 Python frames alone (C recursion has a limit of its own).
DEPTH_COUNTS_C_CALLS = sys.version_info < (3, 12)
# How many levels of that depth one Python frame takes at most, as seen from the frame below it:
# before 3.12 a class's __init__ takes two, a sort key three; from 3.13 a class call runs __init__
# from a shim frame of its own, counted but not in f_back (CALL_ALLOC_AND_ENTER_INIT).
LEVELS_PER_FRAME = 4 if DEPTH_COUNTS_C_CALLS else 1 if sys.version_info < (3, 13) else 2
# Where that is not 1 the depth is read exactly near the limit, from inside a tracer callback:
# CPython's call of a trace function (before 3.12) is a level of its own.
CALLBACK_LEVELS = 1 if DEPTH_COUNTS_C_CALLS else 0

# Before 3.12 sys.setprofile's 'call' event of a frame comes right after sys.settrace's; from 3.12
# both run on sys.monitoring, the profile's tool first.
PROFILE_CALL_FOLLOWS_TRACE = sys.version_info < (3, 12)

# code.co_qualname exists from 3.11 (bpo-44530); before, only co_name.
HAS_CO_QUALNAME = sys.version_info >= (3, 11)

# Under sys.settrace a 'return' event serves a return, a yield and an unwind alike; the opcode at
# f_lasti tells them apart. 3.12 added RETURN_CONST (gone again in 3.14).
RETURN_OPCODES = frozenset(dis.opmap[n] for n in ("RETURN_VALUE", "RETURN_CONST") if n in dis.opmap)
YIELD_OPCODE = dis.opmap["YIELD_VALUE"]
# From 3.13 a yield's 'return' event has f_lasti on the RESUME after YIELD_VALUE (one code unit on).
RESUME_OPCODE = dis.opmap.get("RESUME")
# Before 3.11 'await' and 'yield from' suspend on YIELD_FROM with f_lasti on the instruction before
# it (YIELD_FROM runs again on resume); f_lasti on YIELD_FROM itself is an exception leaving.
YIELD_FROM_OPCODE = dis.opmap.get("YIELD_FROM")


def suspends(code, lasti):
    """Whether a settrace 'return' event at lasti of code (bytes) is a yield or an await."""
    op = code[lasti]
    if op == YIELD_OPCODE:
        return True
    if op == RESUME_OPCODE:  # PYVERSIONS: 3.13
        return code[lasti - 2] == YIELD_OPCODE
    return YIELD_FROM_OPCODE is not None and lasti + 2 < len(code) and code[lasti + 2] == YIELD_FROM_OPCODE


def delegates(code, lasti):
    """Whether a frame resumed at lasti of code (bytes) goes straight on into the generator or
    awaitable it waits on (`yield from`, `await`): plain Python runs no signal handler there, only
    in the innermost frame of the chain (bpo-30039). From 3.11 the RESUME's oparg says so (2, 3);
    before, f_lasti stands before the YIELD_FROM that runs again."""
    if code[lasti] == RESUME_OPCODE:
        return code[lasti + 1] & 3 >= 2  # 3.13 keeps a flag above the two bits
    return YIELD_FROM_OPCODE is not None and lasti + 2 < len(code) and code[lasti + 2] == YIELD_FROM_OPCODE  # PYVERSIONS: 3.10


def starts(frame):
    """Whether a settrace 'call' event begins frame rather than resuming it (a generator, a
    coroutine): a new frame has run nothing (f_lasti -1), or from 3.11 stands on RESUME 0."""
    lasti = frame.f_lasti
    if lasti < 0:
        return True
    if RESUME_OPCODE is None:
        return False
    code = frame.f_code.co_code
    return code[lasti] == RESUME_OPCODE and code[lasti + 1] == 0

# 3.12 turns on a frame's f_trace_opcodes only at the next sys.settrace (3.13: at once).
OPCODE_EVENTS_AT_SETTRACE = sys.version_info[:2] == (3, 12)

# Opcodes that name a module global in a function (globals changed by functions are recorded).
GLOBAL_OPNAMES = frozenset(("LOAD_GLOBAL", "STORE_GLOBAL", "DELETE_GLOBAL"))


def instructions(code):
    """(opname, argval, line) for each instruction; line is None where the compiler gave none."""
    for ins, line in _lined(code):
        yield ins.opname, ins.argval, line


def _lined(code):
    """(instruction, line) pairs. The line of an instruction is `line_number` from 3.13,
    `positions.lineno` in 3.11-3.12, and before that the last `starts_line` seen."""
    line = None
    for ins in dis.get_instructions(code):
        if hasattr(ins, "line_number"):  # PYVERSIONS: 3.12
            line = ins.line_number
        elif hasattr(ins, "positions"):  # PYVERSIONS: 3.10
            line = ins.positions.lineno
        elif ins.starts_line is not None:
            line = ins.starts_line
        yield ins, line


def same_line_loops(code):
    """Offsets of code's backward jumps that land on their own line: the loop of a one-line `for` or
    `while`. sys.settrace reports each of their iterations as a line event (pdb stops there);
    sys.monitoring reports no LINE for them, only a JUMP."""
    lines = {}
    jumps = []
    for ins, line in _lined(code):
        lines[ins.offset] = line
        if ins.opname == "JUMP_BACKWARD":
            jumps.append((ins.offset, ins.argval, line))
    return frozenset(offset for offset, target, line in jumps if line is not None and lines.get(target) == line)

# 3.13 made frame.f_locals a write-through proxy (PEP 667); before, reading it from a trace
# function snapshots fast locals into a dict, which is what the recorder observes either way.
FRAME_LOCALS_PROXY = type((lambda: sys._getframe().f_locals)()) if sys.version_info >= (3, 13) else None
