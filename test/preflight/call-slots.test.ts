// The process-wide cap on AWS calls in flight: first come, first served, and a waiter that gives
// up (its deadline, its run's end) leaves without taking or losing a slot.
import { describe, expect, it } from 'vitest';
import { createCallSlots } from '../../src/preflight/call-slots.js';

const never = new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('call slots', () => {
  it('grants up to the limit at once, then one per release, in arrival order', async () => {
    const slots = createCallSlots(2);
    const first = await slots.acquire(never);
    const second = await slots.acquire(never);
    const order: number[] = [];
    const third = slots.acquire(never).then((release) => (order.push(3), release));
    const fourth = slots.acquire(never).then((release) => (order.push(4), release));
    await tick();
    expect(order).toEqual([]);
    expect({ inFlight: slots.inFlight, waiting: slots.waiting }).toEqual({ inFlight: 2, waiting: 2 });

    second();
    await tick();
    expect(order).toEqual([3]);
    first();
    await tick();
    expect(order).toEqual([3, 4]);
    expect({ inFlight: slots.inFlight, waiting: slots.waiting }).toEqual({ inFlight: 2, waiting: 0 });
    (await third)();
    (await fourth)();
    expect(slots.inFlight).toBe(0);
  });

  it('counts a release once, however often it is called', async () => {
    const slots = createCallSlots(1);
    const release = await slots.acquire(never);
    release();
    release();
    expect(slots.inFlight).toBe(0);
    await slots.acquire(never);
    expect(slots.inFlight).toBe(1);
  });

  it('lets an aborted waiter go with the reason, and passes its turn to the next', async () => {
    const slots = createCallSlots(1);
    const holder = await slots.acquire(never);
    const impatient = new AbortController();
    const gaveUp = slots.acquire(impatient.signal);
    const patient = slots.acquire(never);
    impatient.abort(new Error('deadline'));
    await expect(gaveUp).rejects.toThrow('deadline');
    expect(slots.waiting).toBe(1);

    holder();
    const release = await patient;
    expect(slots.inFlight).toBe(1);
    release();
    expect({ inFlight: slots.inFlight, waiting: slots.waiting }).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('refuses at once when the signal has already aborted', async () => {
    const slots = createCallSlots(1);
    const aborted = AbortSignal.abort(new Error('too late'));
    await expect(slots.acquire(aborted)).rejects.toThrow('too late');
    expect(slots.inFlight).toBe(0);
  });

  it('keeps serving in order through a long queue (the served part is dropped as it goes)', async () => {
    const slots = createCallSlots(3);
    const served: number[] = [];
    await Promise.all(
      Array.from({ length: 5000 }, async (_, index) => {
        const release = await slots.acquire(never);
        served.push(index);
        await tick();
        release();
      }),
    );
    expect(served).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    expect({ inFlight: slots.inFlight, waiting: slots.waiting }).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => createCallSlots(0)).toThrow(/positive integer/);
    expect(() => createCallSlots(1.5)).toThrow(/positive integer/);
  });
});
