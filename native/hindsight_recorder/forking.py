"""The recorder's flush thread, hidden from Python 3.12+'s fork warning ("This process (pid=N) is
multi-threaded, use of fork() may lead to deadlocks in the child."), which plain Python gives only
when the program has threads of its own."""
# CPython counts the process's OS threads (Linux /proc/self/stat; warn_about_fork_with_threads in
# Modules/posixmodule.c), ours among them. Before each fork, if plain Python would not warn but
# this process will, the next showing of that one message is dropped: never a warnings filter, as
# changing the filters resets the once-only registries. Still unlike plain Python, then: the
# caller's __warningregistry__ gets that message's entry, and `warnings` is imported if it was not
# yet (its _showwarnmsg is where a warning is shown).
import os
import _thread

from . import pinned
from .pybehavior import FORK_WARNS_OF_THREADS

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

_ours = [0]  # the recorder's threads started and not yet ended: counted from before they run
_dropped = set()  # the messages of the fork under way that plain Python would not show
_shown = None  # warnings._showwarnmsg, while ours stands in for it
_hooked = False


def start_flush_thread(tick):
    """Starts tick in a raw thread (not a threading.Thread: the program can't see it)."""
    global _hooked
    if FORK_WARNS_OF_THREADS and hasattr(os, "register_at_fork") and not _hooked:  # PYVERSIONS: 3.12
        os.register_at_fork(before=_before_fork, after_in_child=_forget)
        _hooked = True

    def run():
        try:
            tick()
        finally:
            _ours[0] -= 1
    _ours[0] += 1
    try:
        _thread.start_new_thread(run, ())
    except BaseException:
        _ours[0] -= 1
        raise


def _before_fork():
    _dropped.clear()
    counted = _os_threads()
    if counted > 1 and counted - _ours[0] <= 1:
        pid = os.getpid()
        _dropped.update("This process (pid=%d) is multi-threaded, use of %s() may lead to deadlocks in "
                        "the child." % (pid, name) for name in ("fork", "forkpty"))
        _stand_in()


def _forget():
    _ours[0] = 0  # a forked child has only the thread that forked


def _os_threads():
    """The count warn_about_fork_with_threads makes: field 20 of the first 159 bytes of /proc/self/stat.
    Where that fails it counts threading's threads, which never include ours: 0 here, nothing to hide."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = [field for field in stat.read(159).split(b" ") if field]  # as strtok
        return int(fields[19]) if len(fields) > 19 else 0
    except (OSError, ValueError):
        return 0


def _stand_in():
    global _shown
    if _shown is None:
        import warnings
        _shown = warnings._showwarnmsg
        warnings._showwarnmsg = _showwarnmsg


def _showwarnmsg(msg):
    if msg.category is DeprecationWarning and str(msg.message) in _dropped:
        _dropped.clear()
        return
    _shown(msg)
