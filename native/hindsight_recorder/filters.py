"""Decides which code objects are recorded: user code by default, plus --include, minus --exclude."""
import os
import sys
import sysconfig
from fnmatch import fnmatchcase

_HERE = os.path.dirname(os.path.abspath(__file__))


def _library_roots():
    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            roots.add(os.path.realpath(sysconfig.get_path(key)))
        except (KeyError, TypeError):
            pass
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix):
        roots.add(os.path.realpath(os.path.join(prefix, "lib")))
    return tuple(sorted(r + os.sep for r in roots))


class CodeFilter:
    """`recorded(path, qualname)`: not ours, not excluded, and user code or included.

    A pattern is a glob matched against the absolute path, the path relative to the cwd, the
    file's base name and the function's qualified name, so `--exclude 'tests/*'` and
    `--include 'json.*'` both read naturally.
    """

    def __init__(self, include=(), exclude=(), all_code=False, cwd=None):
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.all_code = all_code
        self.cwd = cwd or os.getcwd()
        self._libraries = _library_roots()

    def recorded(self, path, qualname):
        if not path or path.startswith("<") or os.path.abspath(path).startswith(_HERE + os.sep):
            return False
        names = self._names(path, qualname)
        if self._matches(self.exclude, names):
            return False
        if self.all_code or self._matches(self.include, names):
            return True
        return not self.is_library(path)

    def is_library(self, path):
        real = os.path.realpath(path)
        return (real.startswith(self._libraries) or os.sep + "site-packages" + os.sep in real
                or os.sep + "dist-packages" + os.sep in real)

    def _names(self, path, qualname):
        absolute = os.path.abspath(path)
        return (absolute, os.path.relpath(absolute, self.cwd), os.path.basename(absolute), qualname)

    @staticmethod
    def _matches(patterns, names):
        return any(fnmatchcase(name, p) for p in patterns for name in names)
