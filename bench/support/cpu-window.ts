/**
 * Where the CPU went while a server under test worked: its threads by name, this process, a
 * probe process, the rest of the machine; and how long the server's main thread (its event
 * loop) was runnable but waited for a CPU. Linux /proc only.
 */
import { availableParallelism } from 'node:os';
import type { RunningProbe } from './latency-probe.ts';
import { cpuMsOf, machineBusyMs, schedOf, threadCpuMs, type ChildServer } from './server-process.ts';

export interface CpuReport {
  mainRanMs: number;
  mainWaitedMs: number;
  /** One line: shares of one core, by process and by server thread. */
  summary: string;
}

/** Starts the window; `stop()` reports on it. This process is taken to be the uploader. */
export function cpuWindow(server: ChildServer, probe: RunningProbe) {
  const before = {
    at: performance.now(),
    machine: machineBusyMs(),
    server: cpuMsOf(server.pid),
    threads: threadCpuMs(server.pid),
    sched: schedOf(server.pid),
    self: process.cpuUsage(),
    probe: cpuMsOf(probe.pid),
  };
  return {
    stop(): CpuReport {
      const wallMs = performance.now() - before.at;
      const self = process.cpuUsage(before.self);
      const used = {
        server: cpuMsOf(server.pid) - before.server,
        self: (self.user + self.system) / 1000,
        probe: cpuMsOf(probe.pid) - before.probe,
        machine: machineBusyMs() - before.machine,
      };
      const threads = [...threadCpuMs(server.pid)].map(([name, ms]) => ({
        name,
        ms: ms - (before.threads.get(name) ?? 0),
      }));
      const sched = schedOf(server.pid);
      const share = (ms: number) => `${Math.round((ms / wallMs) * 100)}%`;
      // Threads by name (a Worker's thread carries its name, e.g. the upload worker's "uploads").
      const byName = new Map<string, number>();
      for (const { name, ms } of threads) {
        const label = name.startsWith(`${server.pid}:`) ? 'main thread' : name.slice(name.indexOf(':') + 1);
        byName.set(label, (byName.get(label) ?? 0) + ms);
      }
      const main = byName.get('main thread') ?? 0;
      byName.delete('main thread');
      const named = [...byName].filter(([, ms]) => ms / wallMs >= 0.05).sort((a, b) => b[1] - a[1]);
      const rest = [...byName].filter(([, ms]) => ms / wallMs < 0.05).reduce((sum, [, ms]) => sum + ms, 0);
      const parts = [
        `main thread ${share(main)}`,
        ...named.map(([name, ms]) => `"${name}" ${share(ms)}`),
        `other threads ${share(rest)}`,
      ];
      return {
        mainRanMs: sched.ranMs - before.sched.ranMs,
        mainWaitedMs: sched.waitedMs - before.sched.waitedMs,
        summary:
          `server ${share(used.server)} (${parts.join(', ')}), uploader (this process) ${share(used.self)}, probe ${share(used.probe)}, ` +
          `everything else on the machine ${share(Math.max(0, used.machine - used.server - used.self - used.probe))}; ` +
          `machine busy ${share(used.machine)} of ${availableParallelism() * 100}%`,
      };
    },
  };
}
