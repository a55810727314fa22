#!/usr/bin/env node
import { run } from './cli';

// The installed `chimecli` bin. Only the exit status is set, so output still flushes to pipes.
run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (status) => (process.exitCode = status),
);
