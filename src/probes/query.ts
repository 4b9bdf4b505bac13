// Runs one Athena query to completion under the run's deadline: the shared mechanics of the
// query-execution and Lake Formation data-access probes.
import type { AwsAction } from '../catalogue/actions.js';
import type { ErrorCategory } from '../preflight/classify.js';
import { resolveOutput } from './support.js';
import type { ProbeContext } from './types.js';

const POLL_START_MS = 50;
const POLL_MAX_MS = 1000;

/** Which action a failed query's reason points at; Athena reports these only in prose. */
function failureOf(reason: string): { action: AwsAction; code: string; category: ErrorCategory; message: string } {
  if (/lakeformation:GetDataAccess/i.test(reason)) {
    return { action: 'lakeformation:GetDataAccess', code: 'QueryFailed', category: 'permission', message: 'the query was refused lakeformation:GetDataAccess' };
  }
  if (/Lake Formation permission/i.test(reason)) {
    return { action: 'lakeformation:GetDataAccess', code: 'QueryFailed', category: 'permission', message: 'Lake Formation grants (SELECT) are missing on the queried table' };
  }
  const kms = /(kms:(?:GenerateDataKey|Decrypt))/i.exec(reason)?.[1];
  if (kms) return { action: kms === 'kms:Decrypt' ? 'kms:Decrypt' : 'kms:GenerateDataKey', code: 'QueryFailed', category: 'permission', message: `the query could not use the results key (${kms})` };
  if (/Access denied when writing output|not authorized to perform: s3:PutObject/i.test(reason)) {
    return { action: 's3:PutObject', code: 'QueryFailed', category: 'permission', message: 'the query could not write its results to the output location' };
  }
  if (/output location|bucket/i.test(reason)) return { action: 'athena:StartQueryExecution', code: 'QueryFailed', category: 'config', message: 'the query failed on its output location' };
  return { action: 'athena:StartQueryExecution', code: 'QueryFailed', category: 'service', message: 'the query failed in Athena' };
}

export async function runQuery(context: ProbeContext, sql: string): Promise<{ queryExecutionId: string; rows: number }> {
  const { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } = await context.sdk('athena');
  const athena = await context.client('athena');
  const { connection } = context;
  const output = resolveOutput(context);
  const clientSideOutput = output?.source === 'request' ? { OutputLocation: output.uri } : undefined;
  const started = await context.call('athena:StartQueryExecution', (abortSignal) =>
    athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: connection.workgroup,
        QueryExecutionContext: { Catalog: connection.catalog },
        ...(clientSideOutput ? { ResultConfiguration: clientSideOutput } : {}),
      }),
      { abortSignal },
    ),
  );
  const queryExecutionId = started.QueryExecutionId!;
  try {
    let delay = POLL_START_MS;
    for (;;) {
      const execution = await context.call('athena:GetQueryExecution', (abortSignal) =>
        athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }), { abortSignal }),
      );
      const status = execution.QueryExecution?.Status;
      if (status?.State === 'SUCCEEDED') break;
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        const failure = failureOf(`${status.StateChangeReason ?? ''} ${status.AthenaError?.ErrorMessage ?? ''}`);
        context.fail(failure.action, { code: failure.code, category: failure.category, message: failure.message });
      }
      await sleep(delay, context.signal);
      delay = Math.min(delay * 2, POLL_MAX_MS);
    }
  } catch (error) {
    if (context.signal.aborted) await stopQuietly(context, queryExecutionId);
    throw error;
  }
  const results = await context.call('athena:GetQueryResults', (abortSignal) =>
    athena.send(new GetQueryResultsCommand({ QueryExecutionId: queryExecutionId, MaxResults: 10 }), { abortSignal }),
  );
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
