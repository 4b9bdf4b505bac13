// One probe run against canned AWS answers, through the engine's real probe context: its calls are
// classified, its evidence recorded and its findings worded as in a run, with no SDK and no network.
import type { AwsService } from '../../src/aws/clients.js';
import type { Budget } from '../../src/preflight/call.js';
import { classifyError } from '../../src/preflight/classify.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import { type RunHandle, probeContext } from '../../src/preflight/context.js';
import type { PreflightRequest } from '../../src/preflight/request.js';
import type { ActionResult, Finding } from '../../src/preflight/types.js';
import { ProbeCallError, type ProbeDefinition, ProbeSkip, type RunFacts } from '../../src/probes/types.js';

/** What the fake AWS answers to a command, by the command's name: a value, or an error thrown. */
export type Answers = Record<string, (input: Record<string, unknown>) => unknown>;

export interface FakeRun {
  /** The probe's detail when it passed. */
  detail?: string | void;
  /** What it ended with otherwise: a classified call error, a skip, or anything else it threw. */
  error?: unknown;
  findings: Finding[];
  facts: RunFacts;
  evidence: Map<string, ActionResult>;
  /** The commands sent, in order. */
  sent: Array<{ command: string; input: Record<string, unknown> }>;
}

/** An error as the SDK throws it for an AWS error answer. */
export function awsError(name: string, status: number, message = name, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: `req-${name}` }, $response: { headers } });
}

/** AWS refusing `action` to the fake run's caller, in IAM's words (S3 answers 403 AccessDenied, the others 400 AccessDeniedException). */
export function accessDenied(action: string): Error {
  const words = `User: arn:aws:iam::123456789012:user/analyst is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  return action.startsWith('s3:') ? awsError('AccessDenied', 403, words) : awsError('AccessDeniedException', 400, words);
}

export const BASE_REQUEST: PreflightRequest = {
  region: 'eu-west-1',
  accountId: '123456789012',
  credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' },
};

export async function runProbe(
  probe: ProbeDefinition,
  { answers, request = {}, facts = {} }: { answers: Answers; request?: Partial<PreflightRequest>; facts?: RunFacts },
): Promise<FakeRun> {
  const connection = resolveConnection({ ...BASE_REQUEST, ...request }, { maxRunMs: 20_000 });
  const findings: Finding[] = [];
  const evidence = new Map<string, ActionResult>();
  const sent: FakeRun['sent'] = [];
  const budget: Budget = { signal: new AbortController().signal, deadline: () => Date.now() + 20_000 };
  // Any command class, named as the SDK names it (not `then`: the module is awaited).
  const commands = new Proxy({}, { get: (_, name: string) => (name === 'then' ? undefined : { [name]: class { constructor(readonly input: Record<string, unknown> = {}) {} } }[name]) });
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      const answer = answers[name];
      if (!answer) throw new Error(`the fake AWS has no answer to ${name}`);
      return answer(command.input);
    },
  };
  const run: RunHandle = {
    connection,
    facts,
    runId: 'run000000001',
    cleanupBudget: budget,
    writeBudget: budget,
    sdk: async () => commands as never,
    client: async (_service: AwsService) => client as never,
    externalId: () => (request.credentials?.type === 'role' ? request.credentials.externalId : undefined),
    useCredentials: () => undefined,
    // As the engine's calls do, minus retries: every failure leaves classified.
    send: (action, send) => send(budget.signal).catch((error: unknown) => Promise.reject(classifyError(error, { action }))),
    record: (action, result) => void evidence.set(action, result),
    addFinding: (finding) => void findings.push(finding),
  };
  const result: FakeRun = { error: undefined, findings, facts, evidence, sent };
  try {
    result.detail = await probe.run(probeContext(run, probe, budget));
  } catch (error) {
    result.error = error;
  }
  return result;
}

/** The code of the error a probe ended with: its call's classification, or a skip's reason. */
export function endedWith(run: FakeRun): string | undefined {
  if (run.error instanceof ProbeCallError) return `${run.error.action} ${run.error.classified.category}`;
  if (run.error instanceof ProbeSkip) return `skip ${run.error.reason}`;
  return run.error === undefined ? undefined : String(run.error);
}
