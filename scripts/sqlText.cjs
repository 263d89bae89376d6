// Lets code run by tsx (the tests, npm run docs) import protocol/*.sql as text, as esbuild's text
// loader does for the bundle.
const fs = require('node:fs');
require.extensions['.sql'] = (module, filename) => { module.exports = fs.readFileSync(filename, 'utf8'); };
