"""Decides which code objects are recorded (user code by default, plus --include, minus --exclude) and
where a code's file comes from: a file, a zip archive, or a string the program compiled."""
import os
import sys
import sysconfig
from fnmatch import fnmatchcase

from . import pinned

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

_HERE = pinned.path.dirname(pinned.path.abspath(__file__))


def is_ours(path):
    """Whether a code file is the recorder's own (never recorded)."""
    return path.startswith(_HERE + os.sep)


def _library_roots():
    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            roots.add(pinned.path.realpath(sysconfig.get_path(key)))
        except (KeyError, TypeError):
            pass
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        roots.add(pinned.path.realpath(pinned.path.join(prefix, "lib")))
    return tuple(sorted(r + os.sep for r in roots))


def _module_name(path):
    """The dotted module name of a .py file under a sys.path folder (json/decoder.py: json.decoder)."""
    best = None
    for folder in sys.path:
        folder = pinned.path.abspath(folder or ".") + os.sep
        if path.startswith(folder) and path.endswith(".py") and (best is None or len(folder) > len(best)):
            best = folder
    if best is None:
        return None
    parts = path[len(best):-3].split(os.sep)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def origin_of(filename):
    """'file', 'archive' (a member of a zip archive, as zipimport names it) or 'string' (no file: code
    compiled from a string under a name such as '<string>' or 'generated.py'). Stats only; the
    writer reads an archive, so the debuggee never imports zipfile."""
    if filename.startswith("<"):
        return "string"
    path = pinned.path.abspath(filename)
    if pinned.path.isfile(path):
        return "file"
    return "archive" if archive_of(path) else "string"


def archive_of(path):
    """The zip archive an absolute path names a member of (zipimport's archive/member/path.py): its
    nearest ancestor that is a file; None if a folder comes first."""
    head = pinned.path.dirname(path)
    while head != pinned.path.dirname(head):
        if pinned.path.isfile(head):
            return head
        if pinned.path.isdir(head):
            return None
        head = pinned.path.dirname(head)
    return None


class CodeFilter:
    """`recorded(path, qualname)`: not ours, not excluded, and user code or included.

    A pattern is a glob matched against the absolute path, the path relative to the cwd, the
    file's base name, the function's qualified name, the module's name and module.qualname, so
    `--exclude 'tests/*'`, `--include 'json*'` and `--include 'json.decoder.*'` all read naturally.
    """

    def __init__(self, include=(), exclude=(), all_code=False, cwd=None):
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.all_code = all_code
        self.cwd = cwd or os.getcwd()
        self._libraries = _library_roots()

    def recorded(self, path, qualname):
        if not path or path.startswith("<") or is_ours(pinned.path.abspath(path)):
            return False
        names = self._names(path, qualname) if self.include or self.exclude else ()
        if self._matches(self.exclude, names):
            return False
        if self.all_code or self._matches(self.include, names):
            return True
        return not self.is_library(path)

    def recorded_string(self, filename, qualname, caller_recorded):
        """For top-level code compiled from a string named like '<string>': the program's when the
        code that ran it is recorded (namedtuple's and dataclasses' strings are library code)."""
        if filename.startswith("<frozen "):  # importlib and the other frozen stdlib modules
            return False
        names = (filename, qualname)
        if self._matches(self.exclude, names):
            return False
        return self.all_code or self._matches(self.include, names) or caller_recorded

    def is_library(self, path):
        real = pinned.path.realpath(path)
        return (real.startswith(self._libraries) or os.sep + "site-packages" + os.sep in real
                or os.sep + "dist-packages" + os.sep in real)

    def _names(self, path, qualname):
        absolute = pinned.path.abspath(path)
        names = (absolute, pinned.path.relpath(absolute, self.cwd), pinned.path.basename(absolute), qualname)
        module = _module_name(absolute)
        return names + (module, "%s.%s" % (module, qualname)) if module else names

    @staticmethod
    def _matches(patterns, names):
        return any(fnmatchcase(name, p) for p in patterns for name in names)
