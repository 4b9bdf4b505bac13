// Runs one Athena query to completion under the run's deadline: the shared mechanics of the
// query-execution and Lake Formation data-access probes.
import type { AwsAction } from '../catalogue/actions.js';
import { type ClassifiedError, type ErrorCategory, parseDenial } from '../preflight/classify.js';
import { resolveOutput } from '../preflight/facts.js';
import { TABLE_DATA_DENIED } from '../preflight/probe.js';
import type { ProbeContext } from './types.js';

const POLL_START_MS = 50;
const POLL_MAX_MS = 1000;

type QueryFailure = { action: AwsAction; code: string; category: ErrorCategory; message: string; deniedBy?: ClassifiedError['deniedBy'] };

/**
 * Which action a failed query's reason points at; Athena reports these only in prose. The texts
 * are Athena's and S3's own: "Permission denied on S3 path: s3://…" (PERMISSION_DENIED, reading
 * table data), "Insufficient Lake Formation permission(s) on …", "Access denied when writing
 * output to url: …", KMS's "The ciphertext refers to a customer master key that does not exist …
 * or you are not allowed to access" (a refused kms:Decrypt). AthenaError.ErrorCategory 2 is the
 * user's: an answer to act on, never "run again".
 */
export function failureOf(reason: string, errorCategory?: number): QueryFailure {
  const iamDenial = (action: AwsAction, message: string): QueryFailure => ({ action, code: 'QueryFailed', category: 'permission', message, deniedBy: parseDenial(reason) });
  if (/Insufficient Lake Formation permission/i.test(reason)) {
    return {
      action: 'lakeformation:GetDataAccess',
      code: 'QueryFailed',
      category: 'permission',
      message: 'Lake Formation grants (SELECT) are missing on the queried table',
      deniedBy: { policyType: 'lake-formation', explicit: false },
    };
  }
  if (/lakeformation:GetDataAccess/i.test(reason)) return iamDenial('lakeformation:GetDataAccess', 'the query was refused lakeformation:GetDataAccess');
  const kms = /(kms:(?:GenerateDataKey|Decrypt))/i.exec(reason)?.[1];
  if (kms) return iamDenial(kms === 'kms:Decrypt' ? 'kms:Decrypt' : 'kms:GenerateDataKey', `the query could not use the key (${kms})`);
  if (/ciphertext refers to a customer master key/i.test(reason)) return iamDenial('kms:Decrypt', "the query could not decrypt data with its key (kms:Decrypt)");
  if (/Access denied when writing output|not authorized to perform: s3:PutObject/i.test(reason)) {
    return iamDenial('s3:PutObject', 'the query could not write its results to the output location');
  }
  if (/Permission denied on S3 path|PERMISSION_DENIED|not authorized to perform: s3:GetObject/i.test(reason)) {
    return { ...iamDenial('s3:GetObject', "the query could not read the table's data on S3 (s3:ListBucket and s3:GetObject on its location)"), code: TABLE_DATA_DENIED };
  }
  if (/not authorized to perform: s3:ListBucket/i.test(reason)) return iamDenial('s3:ListBucket', "the query could not list the table's data location (s3:ListBucket)");
  if (/output location|bucket/i.test(reason)) return { action: 'athena:StartQueryExecution', code: 'QueryFailed', category: 'config', message: 'the query failed on its output location' };
  if (errorCategory === 2) return { action: 'athena:StartQueryExecution', code: 'QueryFailed', category: 'config', message: 'Athena refused the query as written for this account (a user error in Athena\'s terms)' };
  return { action: 'athena:StartQueryExecution', code: 'QueryFailed', category: 'service', message: 'the query failed in Athena' };
}

export async function runQuery(context: ProbeContext, sql: string): Promise<{ queryExecutionId: string; rows: number }> {
  const { connection } = context;
  const output = resolveOutput(context);
  const clientSideOutput = output?.source === 'request' ? { OutputLocation: output.uri } : undefined;
  const started = await context.send('athena:StartQueryExecution', 'StartQueryExecutionCommand', {
    QueryString: sql,
    WorkGroup: connection.workgroup,
    QueryExecutionContext: { Catalog: connection.catalog },
    ...(clientSideOutput ? { ResultConfiguration: clientSideOutput } : {}),
  });
  const queryExecutionId = started.QueryExecutionId!;
  try {
    let delay = POLL_START_MS;
    for (;;) {
      const execution = await context.send('athena:GetQueryExecution', 'GetQueryExecutionCommand', { QueryExecutionId: queryExecutionId });
      const status = execution.QueryExecution?.Status;
      if (status?.State === 'SUCCEEDED') break;
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        const failure = failureOf(`${status.StateChangeReason ?? ''} ${status.AthenaError?.ErrorMessage ?? ''}`, status.AthenaError?.ErrorCategory);
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
