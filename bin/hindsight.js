#!/usr/bin/env node
// The `hindsight` command: runs the bundled CLI (dist/cli.js, built by `npm run build`).
require('../dist/cli.js');
