// Periodic maintenance: queues the registry's scheduled jobs (those declaring `everyMs`) on a timer, skipping any
// type that is already waiting or running.
import type { Logger } from 'pino';
import type { JobQueue } from './queue.ts';

export class Scheduler<P extends { [K in keyof P]: unknown }> {
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly queue: JobQueue<P>,
    private readonly log: Logger,
  ) {}

  start() {
    for (const s of this.queue.registry.schedules()) {
      const run = () =>
        void (async () => {
          if (await this.queue.hasPending(s.type)) return;
          await this.queue.enqueueByName(this.queue.db, s.type, {});
        })().catch((err) => this.log.error({ err, type: s.type }, 'scheduler could not enqueue'));
      run();
      this.timers.push(setInterval(run, s.everyMs));
    }
  }

  stop() {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }
}
