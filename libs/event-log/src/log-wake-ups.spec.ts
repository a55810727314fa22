import type { EventBus } from '@nestjs/cqrs';
import { Subject } from 'rxjs';
import { DomainEvent } from './domain-event';
import { CrossProcessSignal, LogWakeUps, type WokenBy } from './log-wake-ups';

class Made extends DomainEvent<{ n: number }> {
  static override readonly type = 'Made';
}
class Gone extends DomainEvent<{ n: number }> {
  static override readonly type = 'Gone';
}

function setUp() {
  const bus = new Subject<object>();
  let wakeFromOthers: () => void = () => undefined;
  const signal: CrossProcessSignal & { sent: number } = {
    sent: 0,
    send() {
      this.sent++;
    },
    subscribe(wake) {
      wakeFromOthers = wake;
      return () => undefined;
    },
  };
  const wakeUps = new LogWakeUps(bus as unknown as EventBus, signal);
  const woken: WokenBy[] = [];
  wakeUps.watch((wokenBy) => woken.push(wokenBy));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { bus, signal, wakeUps, woken, settle, wakeFromOthers: () => wakeFromOthers() };
}

describe('LogWakeUps', () => {
  it("wakes once per burst of this process's events, with their types, and tells the other processes of each", async () => {
    const { bus, signal, woken, settle } = setUp();
    bus.next(new Made({ n: 1 }));
    bus.next(new Gone({ n: 2 }));
    bus.next(new Made({ n: 3 }));
    await settle();
    bus.next(new Gone({ n: 4 }));
    await settle();
    expect(woken).toEqual([new Set(['Made', 'Gone']), new Set(['Gone'])]);
    expect(signal.sent).toBe(4);
  });

  it("says nothing of the types when the news may be anything: another process's commits, an explicit wake-up", async () => {
    const { bus, signal, wakeUps, woken, settle, wakeFromOthers } = setUp();
    wakeFromOthers();
    await settle();
    bus.next(new Made({ n: 1 }));
    wakeUps.wake();
    await settle();
    bus.next({ notADomainEvent: true });
    await settle();
    expect(woken).toEqual([undefined, undefined, undefined]);
    expect(signal.sent).toBe(2); // only this process's own commits are passed on
  });
});
