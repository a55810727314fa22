import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DatabaseNotifications } from '../../platform/database/notifications';
import { TaskCreated } from './task.events';

/** The channel on which a process tells the others that it committed new tasks. */
const TASKS_CHANNEL = 'chime_tasks';

interface Waiter {
  after: number;
  wake(): void;
}

/**
 * Where agents' watches (`listAgentTask` with `wait`) wait for new tasks without polling. A task
 * created on this process wakes its node's watchers when its TaskCreated is published (after the
 * commit); other processes hear of it on one NOTIFY channel and look up, in one statement, the task
 * head of every node that has a watcher here. Should notifications be lost (the listening
 * connection dropped), every watcher is woken and reads again. A watch holds no database
 * connection while it waits.
 */
@Injectable()
@EventsHandler(TaskCreated)
export class TaskWatch implements IEventHandler<TaskCreated>, OnModuleInit, BeforeApplicationShutdown {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private stopListening: (() => void) | undefined;
  private probing: Promise<void> | undefined;
  private probeAgain = false;
  /** The server is stopping: watches answer at once, before the database closes. */
  closing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: DatabaseNotifications,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.notifications.listen(TASKS_CHANNEL, {
      message: () => this.probe(),
      gap: () => this.wakeAll(),
    });
  }

  /** Before anything closes: every held watch answers now (with what it had), and new ones do not wait. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    this.stopListening?.();
    this.wakeAll();
  }

  handle(event: TaskCreated): void {
    this.wake(event.data.client_uuid, event.data.seq);
    this.notifications.notify(TASKS_CHANNEL);
  }

  /**
   * Resolves once a task numbered above `after` may exist for the node, after `ms`, or when `signal`
   * aborts, whichever comes first. Register before reading, so that a task committed between the
   * read and the wait is not missed: `const waiting = watch.wait(…); read; …; await waiting`.
   */
  wait(clientUuid: string, after: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(clientUuid);
      if (!set) this.waiters.set(clientUuid, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(clientUuid) === set) this.waiters.delete(clientUuid);
        resolve();
      };
      const waiter: Waiter = { after, wake: done };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(waiter);
    });
  }

  private wake(clientUuid: string, head: number): void {
    for (const waiter of [...(this.waiters.get(clientUuid) ?? [])]) if (head > waiter.after) waiter.wake();
  }

  private wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const waiter of [...set]) waiter.wake();
  }

  /** Another process committed tasks: wake the watchers here whose node has a task past their cursor. */
  private probe(): void {
    if (this.probing) {
      this.probeAgain = true;
      return;
    }
    this.probing = (async () => {
      do {
        this.probeAgain = false;
        const nodes = [...this.waiters.keys()];
        if (nodes.length === 0) break;
        try {
          const rows: { uuid: string; task_head: string }[] = await this.dataSource.query(
            'SELECT uuid, task_head FROM clients WHERE uuid = ANY($1::uuid[])',
            [nodes],
          );
          for (const row of rows) this.wake(row.uuid, Number(row.task_head));
        } catch {
          this.wakeAll(); // they read for themselves
        }
      } while (this.probeAgain);
    })().finally(() => (this.probing = undefined));
  }
}
