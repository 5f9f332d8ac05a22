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
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  busyMs: number;
  idleMs: number;
  groups: Array<{ name: string; share: number }>;
  functions: Array<{ name: string; share: number }>;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += functionName === '(idle)' ? micros : 0;
      if (functionName === '(idle)') continue;
    }
    busy += micros;
    const group = groupOf(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + micros);
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / busy }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, groups: ranked(groups), functions: ranked(functions) };
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
    `  CPU busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms; self time by where the code lives:`,
    ...summary.groups.map((g) => `    ${pct(g.share)}  ${g.name}`),
    '  heaviest functions (self time):',
    ...summary.functions.map((f) => `    ${pct(f.share)}  ${f.name}`),
  ].join('\n');
}

if (require.main === module) {
  for (const file of process.argv.slice(2))
    console.log(`${file}\n${formatSummary(summarizeProfile(file, 25))}`);
}
