// CPU time spent by the database (the postmaster and every backend) and by this process (the app,
// the test gateway and the throttling proxy all run in it), read from /proc: what the work costs,
// apart from the waiting, on two cores shared with other work. Linux only; elsewhere null.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSnapshot {
  databaseMs: number | null;
  processMs: number;
}

interface Stat {
  ppid: number;
  /** utime + stime, and cutime + cstime (children waited for), in clock ticks. */
  own: number;
  children: number;
}

function statOf(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(f[i - 3]);
    return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
  } catch {
    return null;
  }
}

const pids = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);

/** The PostgreSQL server listening on `port` (its postmaster), or null when /proc cannot say. */
export function postmasterOf(port: number): number | null {
  if (process.platform !== 'linux') return null;
  for (const pid of pids()) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('postgres') && args[args.indexOf('-p') + 1] === String(port)) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

let ticksPerSecond: number | null = null;

/** The database's CPU time so far (its processes now, and those that ended) and this process's. */
export function cpuSnapshot(postmaster: number | null): CpuSnapshot {
  const usage = process.cpuUsage();
  const processMs = (usage.user + usage.system) / 1000;
  const root = postmaster === null ? null : statOf(postmaster);
  if (postmaster === null || root === null) return { databaseMs: null, processMs };
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let ticks = root.own + root.children;
  for (const pid of pids()) {
    const st: Stat | null = pid === postmaster ? null : statOf(pid);
    if (st?.ppid === postmaster) ticks += st.own + st.children;
  }
  return { databaseMs: (ticks * 1000) / ticksPerSecond, processMs };
}
