// Runs one Athena query to completion under the run's deadline: what the query-execution and Lake
// Formation data-access probes share. Not a probe: a helper of the two.
import { classifyQueryFailure } from '../../preflight/classify.js';
import { resolveOutput } from '../../preflight/facts.js';
import { type ProbeContext, ProbeCallError } from '../types.js';

const POLL_START_MS = 50;
const POLL_MAX_MS = 1000;

export async function runQuery(context: ProbeContext, sql: string): Promise<{ queryExecutionId: string; rows: number }> {
  const { connection } = context;
  const output = resolveOutput(context);
  const clientSideOutput = output?.source === 'request' ? { OutputLocation: output.uri } : undefined;
  const started = await context
    .send('athena:StartQueryExecution', 'StartQueryExecutionCommand', {
      QueryString: sql,
      WorkGroup: connection.workgroup,
      QueryExecutionContext: { Catalog: connection.catalog },
      ...(clientSideOutput ? { ResultConfiguration: clientSideOutput } : {}),
    })
    .catch((error: unknown) => {
      // Athena refusing to start on one of its paths (the output bucket) is a query failure all the same.
      if (error instanceof ProbeCallError && error.classified.path) context.facts.queryFailure = { ...error.classified, action: error.action, path: error.classified.path };
      throw error;
    });
  const queryExecutionId = started.QueryExecutionId!;
  try {
    let delay = POLL_START_MS;
    for (;;) {
      const execution = await context.send('athena:GetQueryExecution', 'GetQueryExecutionCommand', { QueryExecutionId: queryExecutionId });
      const status = execution.QueryExecution?.Status;
      if (status?.State === 'SUCCEEDED') break;
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        const failure = classifyQueryFailure(status);
        context.facts.queryFailure = failure;
        context.fail(failure.action, failure);
      }
      await sleep(delay, context.signal);
      delay = Math.min(delay * 2, POLL_MAX_MS);
    }
  } catch (error) {
    if (context.signal.aborted) await stopQuietly(context, queryExecutionId);
    throw error;
  }
  const results = await context.send('athena:GetQueryResults', 'GetQueryResultsCommand', { QueryExecutionId: queryExecutionId, MaxResults: 10 });
  return { queryExecutionId, rows: results.ResultSet?.Rows?.length ?? 0 };
}

/** The deadline came first: stop the query so it costs nothing more (best effort, its own short deadline). */
async function stopQuietly(context: ProbeContext, queryExecutionId: string): Promise<void> {
  const { StopQueryExecutionCommand } = await context.sdk('athena');
  const athena = await context.client('athena');
  await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }), { abortSignal: AbortSignal.timeout(2000) }).catch(() => undefined);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
