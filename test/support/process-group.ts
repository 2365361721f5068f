import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes the tests start run in a process group of their own, and are stopped as a group: `tsx`
 * runs the real program as its child, and the local server starts DynamoDB Local (Java) as its
 * child, so killing only the process a test spawned leaves the others running after the suite.
 */
const running = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

// Whatever ends this process (a failed test, a timeout, the worker's end), its groups end with it.
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/** `spawn`, as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.once('exit', () => {
    if (groupMembers(child.pid).length === 0) running.delete(child);
  });
  return child;
}

/** The live processes of the group `pgid` (Linux: from /proc). */
export function groupMembers(pgid: number | undefined): number[] {
  if (pgid === undefined) return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return members;
}

/**
 * Sends `signal` to the whole group, waits for every member to end, and kills what is left after
 * `graceMs`. The leader's exit code (null when a signal ended it).
 */
export async function stopGroup(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<number | null> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  signalGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while (groupMembers(child.pid).length > 0) {
    if (Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const code = await exited;
  running.delete(child);
  return code;
}
