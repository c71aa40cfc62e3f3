/**
 * Finding the dev server's process: by its pid file when that names a live `temporal server
 * start-dev` process, else by a process check (a `temporal ... server start-dev` whose command
 * line has this config's --port). Servers started by another command (a test run, a second
 * checkout, a pid file removed since) are found the same way, so `dev-server status` and
 * `dev-server stop` always agree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ServerProcess {
  pid: number;
  /** how it was found */
  via: 'pid-file' | 'process-check';
}

/** Command lines of running processes: /proc on Linux, `ps` elsewhere. */
function processes(): { pid: number; args: string[] }[] {
  if (existsSync('/proc/self/cmdline')) {
    const out: { pid: number; args: string[] }[] = [];
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const args = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (args.length) out.push({ pid: Number(d), args });
      } catch {
        // gone meanwhile
      }
    }
    return out;
  }
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8', timeout: 5000 });
  return (ps.stdout ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [pid, ...args] = l.split(/\s+/);
      return { pid: Number(pid), args };
    });
}

function isDevServer(args: string[], port: number): boolean {
  const i = args.indexOf('start-dev');
  if (i < 1 || args[i - 1] !== 'server' || !/temporal$/.test(args[0])) return false;
  const p = args.indexOf('--port');
  return p > 0 && args[p + 1] === String(port);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function findDevServerProcess(pidFile: string, port: number): ServerProcess | undefined {
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      let args: string[] | undefined;
      try {
        args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      } catch {
        args = undefined; // no /proc: trust the pid file
      }
      if (!args || isDevServer(args, port)) return { pid, via: 'pid-file' };
    }
  }
  const found = processes().find((p) => isDevServer(p.args, port));
  return found ? { pid: found.pid, via: 'process-check' } : undefined;
}
