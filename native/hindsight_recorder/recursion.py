"""The program's recursion limit as plain Python has it: CPython's is HEADROOM higher while recording
(the recorder's callbacks run on top of the program's frames), sys.getrecursionlimit shows the
program's, and a recorded frame past it gets CPython's RecursionError (Recorder.on_call)."""
import sys

from . import pinned
from .pybehavior import CALLBACK_LEVELS, DEPTH_COUNTS_C_CALLS, LEVELS_PER_FRAME

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

HEADROOM = 100  # frames above the program's limit: the recorder's callbacks need about ten
MESSAGE = "maximum recursion depth exceeded"

_get = sys.getrecursionlimit
_set = sys.setrecursionlimit
_getframe = sys._getframe


class RecursionLimit:
    def __init__(self):
        self.limit = _get()  # the program's
        self.room = 0
        self.passing = None  # Recorder.passing: an error of ours raised into the program loses our frame

    def install(self, passing):
        self.passing = passing
        self.limit = _get()
        _set(self.limit + HEADROOM)
        self.room = HEADROOM
        sys.getrecursionlimit = self.getrecursionlimit
        sys.setrecursionlimit = self.setrecursionlimit

    def retire(self):
        """Recording has ended: CPython's limit and functions are the program's again (unless the
        program is deeper than its limit right now: then the room stays, and so do ours)."""
        if not self.room:
            return
        try:
            _set(self.limit)
        except RecursionError:
            return
        self.room = 0
        if sys.getrecursionlimit == self.getrecursionlimit:  # not replaced by the program meanwhile
            sys.getrecursionlimit = _get
        if sys.setrecursionlimit == self.setrecursionlimit:
            sys.setrecursionlimit = _set

    def getrecursionlimit(self):
        return self.limit

    def setrecursionlimit(self, new_limit):
        try:
            _set(new_limit)  # the builtin's own checks and errors
        except BaseException as e:
            self.passing(e)
            raise
        self.limit = _get()
        _set(self.limit + self.room)

    def depth(self, frame, below, steps):
        """CPython's recursion depth in frame, or a bound above it that is within the limit. below: the
        depth of the recorded frame steps frames down (0 and the whole stack if none)."""
        depth = below + steps * LEVELS_PER_FRAME
        if depth > self.limit and LEVELS_PER_FRAME > 1:  # a bound: read the depth itself
            depth = self._counted(frame)
        return depth

    def refused(self, depth):
        """The error of a frame at depth past the limit, as CPython words it."""
        if depth > self.limit + 1 and DEPTH_COUNTS_C_CALLS:  # CPython failed a C call before the frame
            return RecursionError(MESSAGE + " while calling a Python object")
        return RecursionError(MESSAGE)

    @staticmethod
    def _counted(frame):
        """The depth CPython counts in frame, C calls included: it shows only in the error of a
        limit set too low, which counts this frame and those between it and frame too."""
        try:
            _set(1)
        except RecursionError as e:
            counted = int(e.args[0].split("depth ")[1].split(":")[0]) - CALLBACK_LEVELS
        f = _getframe()
        while f is not frame:
            counted -= 1
            f = f.f_back
        return counted
