/**
 * `node --require ./test/support/ts-register.js src/main.ts` runs the server straight from its
 * TypeScript, so tests that need a real process (signals, exit codes, the data-dir lock) do not
 * depend on a fresh `npm run build`. Each .ts file is compiled by SWC as it is loaded, with the same
 * options as Jest (swc-options.js); `@chime/<lib>` resolves to libs/<lib>/src as in tsconfig.json.
 * NestJS's ES modules load through Node's own require(esm).
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options');

const root = join(__dirname, '..', '..');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@chime\/([\w-]+)$/.exec(request);
  return resolveFilename.call(this, lib ? join(root, 'libs', lib[1], 'src', 'index.ts') : request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { filename, ...swcOptions });
  module._compile(code, filename);
};
