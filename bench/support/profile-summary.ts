/**
 * `node --require ./test/support/ts-register.js bench/support/profile-summary.ts <file.cpuprofile> [top]`
 * Summarises a V8 CPU profile (node --cpu-prof, or `npm run bench:http -- --profile=<dir>`): self
 * time by package (node_modules/<name>, node: internals, our code by top folder) and the top
 * functions by self time. A flame graph needs a viewer (Chrome DevTools, speedscope); this is the
 * text version for a terminal and for the README.
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
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(dist\/)?(src|libs)\/([^/]+(?:\/[^/]+)?)/.exec(url);
  return ours ? `ours: ${ours[2]}/${ours[3]}` : url;
}

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const { callFrame } = byId.get(id)!;
  const pkg = packageOf(callFrame.url, callFrame.functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  const fn = `${callFrame.functionName || '(anonymous)'} ${pkg}:${callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
}
// Inclusive time: every function on the stack of a sample (once per sample, however deep the recursion).
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { callFrame } = byId.get(at)!;
    if (!callFrame.url) continue;
    seen.add(
      `${callFrame.functionName || '(anonymous)'} ${packageOf(callFrame.url, callFrame.functionName)}:${callFrame.lineNumber + 1}`,
    );
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
console.log(`${file}: ${(total / 1000).toFixed(1)} s of samples`);
show('self time by package', byPackage);
show('self time by function', byFunction);
show('inclusive time by function (ours and the request pipeline)', inclusive);
