// POST /preflight's report into the report store, without ever failing or holding the run.
import type { FastifyRequest } from 'fastify';
import type { Metrics } from '../http/metrics.js';
import { type ReportStore, StoreTimeoutError } from '../store/types.js';

/**
 * A finished run's report into the store. A store that fails, or does not answer within its
 * timeout, never fails the run nor holds it longer: that report is not kept, the log and the
 * metrics say so, and the report is answered all the same.
 */
export async function storeReport(store: ReportStore, reportJson: string, request: FastifyRequest, metrics: Metrics): Promise<void> {
  const stopTimer = metrics.reportWrites.startTimer();
  try {
    await store.save(reportJson, { apiKeyLabel: request.apiKeyLabel });
    stopTimer({ outcome: 'ok' });
  } catch (error) {
    const timedOut = error instanceof StoreTimeoutError;
    stopTimer({ outcome: timedOut ? 'timeout' : 'failed' });
    request.log.error(
      { err: { type: (error as Error).name, message: (error as Error).message } },
      // A statement given up on may still land when a frozen server comes back.
      timedOut ? 'the report store did not answer in time: the report may not be kept; it is answered all the same' : 'could not store the report; it is answered all the same',
    );
  }
}
