#!/usr/bin/env node
import { intFlag, kindsFlag, logLine, parseFlags } from './cli-options';
import { Fleet } from './fleet';

const USAGE =
  'usage: npm run fleet -- --server URL --join-token T --hosts N [--vcpus V] [--memory BYTES] [--name-prefix P] ' +
  '[--latency-ms N] [--fail KIND,…] [--watch-wait S] [--stats-every S] [--verbose]';

const flags = parseFlags(
  process.argv.slice(2),
  USAGE,
  ['hosts', 'vcpus', 'memory', 'name-prefix', 'latency-ms', 'fail', 'watch-wait', 'stats-every'] as const,
  ['verbose'] as const,
);
if (!flags['join-token']) {
  console.error(`--join-token is required\n${USAGE}`);
  process.exit(2);
}
let fleet: Fleet;
try {
  fleet = new Fleet({
    server: flags.server!,
    joinToken: flags['join-token'],
    hosts: intFlag(flags.hosts, 'hosts', 1, 1),
    vcpus: intFlag(flags.vcpus, 'vcpus', 32, 1),
    memory: intFlag(flags.memory, 'memory', 128 * 1024 ** 3, 1),
    namePrefix: flags['name-prefix'],
    latencyMs: intFlag(flags['latency-ms'], 'latency-ms', 0),
    fail: kindsFlag(flags.fail),
    watchWait: intFlag(flags['watch-wait'], 'watch-wait', 120, 1, 300),
    log: flags.verbose ? logLine : undefined,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const statsEvery = intFlag(flags['stats-every'], 'stats-every', 15, 1);
const report = () => logLine(`fleet: ${JSON.stringify(fleet.stats())}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logLine(`${signal}: stopping ${fleet.agents.length} agents; their nodes fall silent`);
    void fleet.stop().then(() => {
      report();
      process.exit(0);
    });
  });
}
const started = Date.now();
fleet.start().then(
  () => {
    logLine(`fleet: ${fleet.agents.length} agents running against ${flags.server} (started in ${Date.now() - started} ms)`);
    setInterval(report, statsEvery * 1000).unref();
    setInterval(() => undefined, 1 << 30); // stays up until a signal
  },
  (error: unknown) => {
    logLine(`fleet cannot start: ${(error as Error).message}`);
    process.exit(1);
  },
);
