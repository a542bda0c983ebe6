/**
 * The bench's child processes and their own CPU accounting: the local libSQL server and workerd each
 * run as a process of their own, so `/proc/<pid>/stat` says what each one spent, apart from the load
 * generator (a worker thread of the bench itself).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time in milliseconds a process (all its threads) has used so far: user + system time from
 * `/proc/<pid>/stat` (fields 14 and 15, in clock ticks: 10 ms resolution on most kernels).
 * @throws Error when the process is gone or /proc is not there (Linux only)
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** A started child process and the last lines it printed. */
export type Child = { process: ChildProcess; pid: number; log: string[]; stop(): Promise<void> };

/**
 * Spawns a process and keeps its last 50 output chunks. `stop()` sends SIGTERM and waits for the
 * exit (SIGKILL after 5 s).
 */
export function spawnChild(command: string, args: string[]): Child {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 50) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid!,
    log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/**
 * {@link spawnChild}, resolved once the process has printed `readyText` (rejects, after stopping it,
 * when it exits first or 30 s pass).
 */
export function startChild(command: string, args: string[], readyText: string): Promise<Child> {
  const child = spawnChild(command, args);
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      void child.stop();
      reject(new Error(`${command} ${args.join(' ')} ${why}:\n${child.log.join('')}`));
    };
    const timer = setTimeout(() => fail('was not ready within 30 s'), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(readyText)) return;
      clearTimeout(timer);
      child.process.stdout!.off('data', onData);
      child.process.off('exit', onExit);
      resolve(child);
    };
    const onExit = (code: number | null) => fail(`exited with code ${code} before it was ready`);
    child.process.stdout!.on('data', onData);
    child.process.once('exit', onExit);
  });
}

/** Polls `url` until it answers 200; rejects if `child` exits or `timeoutMs` passes. Resolves with the time it answered (performance.now()). */
export async function waitForOk(url: string, child: ChildProcess, timeoutMs = 30_000, pollMs = 100): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}
