// Athena's answers to a request: its InvalidRequestException, required fields, pages, and the
// workgroups and query executions a request names.
import { intField, paginate, stringField } from '../protocols.js';
import type { ScenarioWorkGroup } from '../scenario.js';
import type { QueryExecutionRecord } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';

export type Input = Record<string, unknown>;

/** The engine every workgroup and query reports. */
export const ENGINE_VERSION = { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' };

export function invalid(message: string, athenaErrorCode?: string): AwsError {
  // Athena sends the code twice, as AthenaErrorCode (modelled) and ErrorCode.
  return new AwsError('InvalidRequestException', message, 400, athenaErrorCode ? { fields: { AthenaErrorCode: athenaErrorCode, ErrorCode: athenaErrorCode } } : {});
}

export function required(input: Input, name: string): string {
  const value = stringField(input, name, { required: true, code: 'InvalidRequestException' })!;
  if (value === '') throw invalid(`1 validation error detected: Value '' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  return value;
}

function pageSize(input: Input, min: number, max: number): number {
  // MaxResults 0 is in ListQueryExecutions' range; it means "the default", not an endless run of empty pages.
  return intField(input, 'MaxResults', min, max, 'InvalidRequestException') || max;
}

export function page<T>(items: readonly T[], input: Input, min: number, max: number) {
  return paginate(items, input.NextToken, pageSize(input, min, max), 'InvalidRequestException');
}

export function workgroupArn(call: ServiceCall, name: string): string {
  return `arn:aws:athena:${call.region}:${call.state.accountId}:workgroup/${name}`;
}

export function findWorkgroup(call: ServiceCall, name: string, notFound = `WorkGroup ${name} is not found.`): ScenarioWorkGroup {
  const workgroup = call.state.scenario.athena.workgroups.find((w) => w.name === name);
  if (!workgroup) throw invalid(notFound);
  return workgroup;
}

export function findExecution(call: ServiceCall, id: string): QueryExecutionRecord {
  const execution = call.state.queryExecutions.get(id);
  if (!execution) throw invalid(`QueryExecution ${id} was not found`);
  return execution;
}

