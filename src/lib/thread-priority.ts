import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority (Linux: a per-thread nice value, the thread id
 * read from /proc/thread-self), so that on a small machine the event loop, which answers every
 * request, wins the CPU over a worker thread. Elsewhere, or when not allowed, nothing changes.
 */
export function lowerThreadPriority(nice = 10): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, nice);
  } catch {
    // Not Linux, or not allowed: normal priority.
  }
}
