#!/bin/sh
// 2>/dev/null; export HINDSIGHT_IGNORED_SIGNALS="$$ $(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status 2>/dev/null)"; exec node "$0" "$@"
// The `hindsight` command: sh runs the line above, then Node runs the bundled CLI (dist/cli.js).

// Run as a program (npm's bin, ./bin/hindsight.js), this file is read by sh first: to sh, `//` is a
// failing command (its error hidden); to Node, the line is a comment. It notes the signals the
// caller ignored (nohup, trap '' HUP), which Node resets at start-up, for the recorded program
// (protocol/recorderProcess.ts IGNORED_AT_START). sed reads them, not sh: a shell changes a few of
// its own (bash ignores SIGQUIT) but gives the commands it runs those it inherited (dash: all but
// SIGCHLD). Linux only (/proc/self/status); elsewhere, and under `node bin/hindsight.js`, which
// skips sh, the program starts with no signal ignored.
require('../dist/cli.js');
