# The bench's "floor" row: runs a workload as `python prog.py args` would (via runpy), under no-op
# sys.monitoring callbacks for PY_START, PY_RETURN and LINE. Needs CPython 3.12+.
# `floor.py --include GLOB prog.py args` also calls them for code whose path matches, as the recorder does.
from fnmatch import fnmatchcase
import os
import runpy
import sys


def main():
    if sys.version_info < (3, 12):
        sys.exit("floor.py needs sys.monitoring, which CPython has from 3.12")
    include = None
    if sys.argv[1] == "--include":
        include = sys.argv[2]
        del sys.argv[1:3]
    program = os.path.abspath(sys.argv[1])
    sys.argv = [program] + sys.argv[2:]
    sys.path[0] = os.path.dirname(program)
    mon = sys.monitoring
    DISABLE = mon.DISABLE

    def skipped(code):
        return code.co_filename != program and not (include and fnmatchcase(code.co_filename, include))

    # The least a recorder does: nothing for the program's code, DISABLE for everything else
    # (as the recorder does for code it does not record, e.g. the stdlib's threading module).
    def start(code, offset):
        if skipped(code):
            return DISABLE

    def returned(code, offset, value):
        if skipped(code):
            return DISABLE

    def line(code, line_no):
        if skipped(code):
            return DISABLE

    tool = mon.DEBUGGER_ID
    mon.use_tool_id(tool, "hindsight-bench-floor")
    mon.register_callback(tool, mon.events.PY_START, start)
    mon.register_callback(tool, mon.events.PY_RETURN, returned)
    mon.register_callback(tool, mon.events.LINE, line)
    mon.set_events(tool, mon.events.PY_START | mon.events.PY_RETURN | mon.events.LINE)
    runpy.run_path(program, run_name="__main__")


main()
