# Entry point: `python native/hindsight_recorder record ...`. Kept parseable by old Pythons so that
# they get a clear sentence instead of a SyntaxError.
import os
import sys

if sys.version_info < (3, 9):
    sys.stderr.write("hindsight: Python %d.%d at %s is too old; 3.9 or newer is needed\n"
                     % (sys.version_info[0], sys.version_info[1], sys.executable))
    sys.exit(2)

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.argv[1:2] != ["record"]:
    sys.stderr.write("usage: python native/hindsight_recorder record --trace PATH [options] -- prog.py [args]\n")
    sys.exit(2)
from hindsight_recorder import launcher  # noqa: E402

sys.exit(launcher.main(sys.argv[2:]))
