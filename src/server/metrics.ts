import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Channel, Outcome } from '../store/store.ts';

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What `/metrics` shows, in one registry per server so that several can run in one process. */
export class Metrics {
  readonly registry = new Registry();
  readonly messages = new Counter({ name: 'backup_triage_messages_total', help: 'Messages answered, by platform, outcome and reply language.', labelNames: ['platform', 'outcome', 'language'] as const, registers: [this.registry] });
  readonly feedback = new Counter({ name: 'backup_triage_feedback_total', help: '👍 and 👎 given under answers, by platform.', labelNames: ['platform', 'value'] as const, registers: [this.registry] });
  readonly engineSeconds = new Histogram({ name: 'backup_triage_engine_seconds', help: 'Time the engine took to answer a message.', labelNames: ['platform'] as const, buckets: SECONDS, registers: [this.registry] });
  readonly ackSeconds = new Histogram({ name: 'backup_triage_ack_seconds', help: 'Time from a platform request arriving to its HTTP response (the ack).', labelNames: ['platform'] as const, buckets: SECONDS, registers: [this.registry] });
  readonly postSeconds = new Histogram({ name: 'backup_triage_post_seconds', help: 'Time to post an answer to the platform, retries included.', labelNames: ['platform'] as const, buckets: SECONDS, registers: [this.registry] });
  readonly platformErrors = new Counter({ name: 'backup_triage_platform_api_errors_total', help: 'Calls to a platform API that failed.', labelNames: ['platform', 'call'] as const, registers: [this.registry] });
  readonly platformRetries = new Counter({ name: 'backup_triage_platform_api_retries_total', help: 'Calls to a platform API that were retried.', labelNames: ['platform', 'call'] as const, registers: [this.registry] });
  readonly storeErrors = new Counter({ name: 'backup_triage_store_errors_total', help: 'Store operations that failed (the answer went out without context).', labelNames: ['store', 'op'] as const, registers: [this.registry] });
  readonly storeOperations = new Counter({ name: 'backup_triage_store_operations_total', help: 'Store operations, by kind.', labelNames: ['store', 'op'] as const, registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'backup_triage_duplicate_events_total', help: 'Platform events dropped as retries or twins of one already handled.', labelNames: ['platform'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  message(platform: Channel, outcome: Outcome, language: string): void {
    this.messages.inc({ platform, outcome, language });
  }
}
