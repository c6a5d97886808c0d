/**
 * The HTTP client's concurrency cap on its own: tasks beyond the cap wait in arrival order, and
 * a task that fails or is aborted gives its slot to the next one (a leak would stall the client).
 */
import { expect, test } from 'bun:test';
import { createSemaphore } from '../../src/lib/http-client/semaphore.ts';

test('a cap below 1 or not an integer is refused', () => {
  expect(() => createSemaphore(0)).toThrow(RangeError);
  expect(() => createSemaphore(1.5)).toThrow(/positive integer/);
});

test('beyond the cap tasks wait in arrival order; a failed or aborted task frees its slot', async () => {
  const slots = createSemaphore(2);
  const order: string[] = [];
  const gates = new Map<string, PromiseWithResolvers<string>>();
  const task = (name: string) =>
    slots.run(() => {
      order.push(name);
      const gate = Promise.withResolvers<string>();
      gates.set(name, gate);
      return gate.promise;
    });

  const a = task('a');
  const b = task('b');
  const c = task('c');
  const d = task('d');
  await Promise.resolve();
  expect(order).toEqual(['a', 'b']);
  expect({ active: slots.active, waiting: slots.waiting }).toEqual({ active: 2, waiting: 2 });

  // `a` fails (an aborted request): its slot goes to `c`, the first one waiting.
  gates.get('a')!.reject(new DOMException('The operation was aborted.', 'AbortError'));
  await expect(a).rejects.toThrow('aborted');
  expect(order).toEqual(['a', 'b', 'c']);
  expect({ active: slots.active, waiting: slots.waiting }).toEqual({ active: 2, waiting: 1 });

  gates.get('b')!.resolve('b done');
  expect(await b).toBe('b done');
  gates.get('c')!.resolve('c done');
  expect(await c).toBe('c done');
  gates.get('d')!.resolve('d done');
  expect(await d).toBe('d done');
  expect(order).toEqual(['a', 'b', 'c', 'd']);
  expect({ active: slots.active, waiting: slots.waiting }).toEqual({ active: 0, waiting: 0 });
});
