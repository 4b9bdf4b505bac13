// A finished run's report into the store, from POST /preflight.
import type { FastifyRequest } from 'fastify';
import type { Metrics } from '../http/metrics.js';
import type { ReportStore } from './types.js';

/** A finished run's report into the store. A store that fails never fails the run: the report is answered all the same. */
export async function keepReport(store: ReportStore, reportJson: string, request: FastifyRequest, metrics: Metrics): Promise<void> {
  const stopTimer = metrics.reportWrites.startTimer();
  try {
    await store.save(reportJson, { apiKeyLabel: request.apiKeyLabel });
    stopTimer({ outcome: 'ok' });
  } catch (error) {
    stopTimer({ outcome: 'failed' });
    request.log.error({ err: { type: (error as Error).name, message: (error as Error).message } }, 'could not store the report; it is answered all the same');
  }
}
