#!/usr/bin/env node
import { hostname } from 'node:os';
import { Agent } from './agent';
import { intFlag, kindsFlag, logLine, parseFlags } from './cli-options';
import { SimDriver } from './sim-driver';
import { loadState, saveState } from './state-file';

const USAGE =
  'usage: npm run agent -- --server URL --join-token T [--name N] [--state-file PATH] [--driver sim] ' +
  '[--vcpus V] [--memory BYTES] [--rack R] [--manage-ip IP] [--latency-ms N] [--fail KIND,…] [--watch-wait S]';

const flags = parseFlags(process.argv.slice(2), USAGE, [
  'name',
  'state-file',
  'driver',
  'vcpus',
  'memory',
  'rack',
  'manage-ip',
  'latency-ms',
  'fail',
  'watch-wait',
] as const);
if ((flags.driver ?? 'sim') !== 'sim') {
  console.error(`--driver ${flags.driver}: only the sim driver ships with this agent\n${USAGE}`);
  process.exit(2);
}
// The node's identity lives in the state file: the same file, the same node after a restart.
const statePath = flags['state-file'] ?? './agent-state.json';
const driver = new SimDriver({
  name: flags.name ?? hostname(),
  vcpus: intFlag(flags.vcpus, 'vcpus', 8, 1),
  memory: intFlag(flags.memory, 'memory', 16 * 1024 ** 3, 1),
  rack: flags.rack,
  manageIp: flags['manage-ip'],
  latencyMs: intFlag(flags['latency-ms'], 'latency-ms', 0),
  fail: kindsFlag(flags.fail),
});
const watchWait = intFlag(flags['watch-wait'], 'watch-wait', 120, 1, 300);
let agent: Agent;
try {
  agent = new Agent({
    server: flags.server!,
    joinToken: flags['join-token'],
    driver,
    state: loadState(statePath),
    saveState: (state) => saveState(statePath, state),
    log: logLine,
    watchWait,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logLine(`${signal}: stopping`);
    void agent.stop().then(() => process.exit(0));
  });
}
agent.start().then(
  () => logLine(`agent for node ${agent.state.uuid} (${driver.report().name}) running against ${flags.server}`),
  (error: unknown) => {
    logLine(`agent cannot start: ${(error as Error).message}`);
    process.exit(1);
  },
);
