/**
 * What a V8 CPU profile (.cpuprofile) spent its time on: self time grouped
 * by where the code lives (a package under node_modules, Node's internals,
 * the project's own libs and apps), and the heaviest functions.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileSummary {
  /** Samples taken while the process ran code, and while it waited. */
  busy: number;
  idle: number;
  groups: Array<{ name: string; share: number }>;
  functions: Array<{ name: string; share: number }>;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Shares of samples, not of their time deltas: on a busy machine the sampler
  // thread is descheduled, and the next sample's delta would absorb the gap.
  const self = new Map<number, number>();
  for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, count] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += count;
      continue;
    }
    // The profiler's own start and stop (bench/lib/cpu-profile.cjs) are not the app's work.
    if (functionName === 'dispatch' && !url) continue;
    busy += count;
    const group = groupOf(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + count);
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + count);
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, count]) => ({ name, share: count / busy }));
  return { busy, idle, groups: ranked(groups), functions: ranked(functions) };
}

function groupOf(url: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (!url) return functionName.startsWith('(') ? functionName : 'V8 builtins / native';
  return url;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, '');
}

export function formatSummary(summary: ProfileSummary): string {
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `  ${summary.busy} samples busy, ${summary.idle} idle; self time by where the code lives:`,
    ...summary.groups.map((g) => `    ${pct(g.share)}  ${g.name}`),
    '  heaviest functions (self time):',
    ...summary.functions.map((f) => `    ${pct(f.share)}  ${f.name}`),
  ].join('\n');
}

if (require.main === module) {
  for (const file of process.argv.slice(2))
    console.log(`${file}\n${formatSummary(summarizeProfile(file, 25))}`);
}
