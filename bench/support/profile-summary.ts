/**
 * `node --require ./test/support/ts-register.js bench/support/profile-summary.ts <file.cpuprofile> [top]`
 * Summarises a V8 CPU profile (node --cpu-prof, or `npm run bench:http -- --profile=<dir>`): self
 * time by package (node_modules/<name>, node: internals, our code by top folder) and the top
 * functions by self time. A flame graph needs a viewer (Chrome DevTools, speedscope); this is the
 * text version for a terminal and for the README.
 *
 * As a module, `windowCost` and `printCostDiff` compare two processes under the same load: the CPU
 * each spent per request inside given time windows only (bench:http's load windows, so start-up,
 * set-up and the other scenarios stay out), by package and by function, side by side.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** µs on the monotonic clock, as process.hrtime gives it (see hrtimeUs). */
  startTime: number;
}

/** A stretch of a process's life under load, in µs of the monotonic clock, and the requests it served. */
export interface LoadWindow {
  from: number;
  to: number;
  requests: number;
}

/** Now on the clock of a profile's timestamps (CLOCK_MONOTONIC, µs). */
export const hrtimeUs = () => Number(process.hrtime.bigint() / 1000n);

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(dist\/)?(src|libs|bench)\/([^/]+(?:\/[^/]+)?)/.exec(url);
  return ours ? `ours: ${ours[2]}/${ours[3]}` : url;
}

const functionOf = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${packageOf(url, functionName)}:${lineNumber + 1}`;

function readProfile(file: string): { profile: Profile; byId: Map<number, ProfileNode> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  return { profile, byId: new Map(profile.nodes.map((n) => [n.id, n])) };
}

/** Self time in µs per profile node, of the samples `keep` (given the sample's timestamp) admits; idle left out. */
function selfTime(profile: Profile, byId: Map<number, ProfileNode>, keep: (at: number) => boolean): Map<number, number> {
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (!keep(at) || byId.get(id)!.callFrame.functionName === '(idle)') return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  return self;
}

/** Self time in all, by package and by function, each µs divided by `per`. */
interface Cost {
  total: number;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
}

function costOf(byId: Map<number, ProfileNode>, self: Map<number, number>, per: number): Cost {
  const cost: Cost = { total: 0, byPackage: new Map(), byFunction: new Map() };
  const add = (map: Map<string, number>, key: string, value: number) => map.set(key, (map.get(key) ?? 0) + value);
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    cost.total += us / per;
    add(cost.byPackage, packageOf(callFrame.url, callFrame.functionName), us / per);
    add(cost.byFunction, functionOf(callFrame), us / per);
  }
  return cost;
}

/** What a process spent per request (a window's unit) within its load windows: in all, by package, by function (µs). */
export interface WindowCost extends Cost {
  requests: number;
}

export function windowCost(file: string, windows: LoadWindow[]): WindowCost {
  const { profile, byId } = readProfile(file);
  const requests = windows.reduce((sum, w) => sum + w.requests, 0);
  const self = selfTime(profile, byId, (at) => windows.some((w) => at >= w.from && at <= w.to));
  return { requests, ...costOf(byId, self, requests) };
}

/**
 * Prints two processes' CPU per request (or per `unit`: a write pair) side by side: in all, then the `top` packages and functions
 * whose cost differs most between them.
 */
export function printCostDiff(
  title: string,
  names: [string, string],
  [a, b]: [WindowCost, WindowCost],
  { unit = 'request', top = 12 } = {},
): void {
  const row = (label: string, x: number, y: number) =>
    console.log(`${x.toFixed(1).padStart(9)} ${y.toFixed(1).padStart(9)} ${(x - y).toFixed(1).padStart(9)}  ${label}`);
  console.log(`\n${title}: CPU µs per ${unit} in the load windows (${a.requests} and ${b.requests} ${unit}s)`);
  console.log(`${names[0].padStart(9)} ${names[1].padStart(9)} ${'diff'.padStart(9)}`);
  row('all (idle left out)', a.total, b.total);
  for (const by of ['byPackage', 'byFunction'] as const) {
    console.log(by === 'byPackage' ? '-- by package, largest differences' : '-- by function, largest differences');
    const keys = new Set([...a[by].keys(), ...b[by].keys()]);
    [...keys]
      .map((key) => [key, a[by].get(key) ?? 0, b[by].get(key) ?? 0] as const)
      .sort((x, y) => Math.abs(y[1] - y[2]) - Math.abs(x[1] - x[2]))
      .slice(0, top)
      .forEach(([key, x, y]) => row(key, x, y));
  }
}

function main(file: string, topArg?: string): void {
  const { profile, byId } = readProfile(file);
  const self = selfTime(profile, byId, () => true);
  const { total, byPackage, byFunction } = costOf(byId, self, 1000); // ms
  // Inclusive time: every function on the stack of a sample (once per sample, however deep the recursion).
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (!self.has(id)) return; // idle
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at)!;
      if (callFrame.url) seen.add(functionOf(callFrame));
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = Number(topArg ?? 25);
  const show = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * ms) / total).toFixed(1).padStart(6)} %  ${name}`);
    }
  };
  console.log(`${file}: ${(total / 1000).toFixed(1)} s of busy samples (idle left out; percentages are of these)`);
  show('self time by package', byPackage);
  show('self time by function', byFunction);
  show('inclusive time by function (ours and the request pipeline)', inclusive);
}

if (require.main === module) {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  main(file, topArg);
}
