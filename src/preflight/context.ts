// What a probe sees of its run: the connection and facts, SDK clients, and calls that record what
// they proved. The run behind it schedules; this only turns calls into evidence.
import type { AwsCredentialIdentity } from '@smithy/types';
import { readBody } from '../aws/body.js';
import { type AwsAction, serviceOf } from '../catalogue/actions.js';
import { renderFinding } from '../catalogue/findings.js';
import type { AwsService, ClientModules, ClientTypes } from '../aws/clients.js';
import type { RunFacts } from './facts.js';
import { type CallOptions, type ProbeContext, type ProbeDefinition, ProbeCallError, ProbeSkip } from './probe.js';
import type { Budget } from './call.js';
import { type ClassifiedError, verdictOf } from './classify.js';
import type { ResolvedConnection } from './connection.js';
import type { ActionResult, Finding } from './types.js';

/** The parts of a run a probe's context works through. */
export interface RunHandle {
  readonly connection: ResolvedConnection;
  readonly facts: RunFacts;
  readonly runId: string;
  readonly cleanupBudget: Budget;
  /** For writes of ours: they outlive the run's stop by a little, so clean-up sees what they did. */
  readonly writeBudget: Budget;
  sdk<S extends AwsService>(service: S): Promise<ClientModules[S]>;
  client<S extends AwsService>(service: S, identity: 'connection' | 'service'): Promise<ClientTypes[S]>;
  externalId(): string | undefined;
  useCredentials(credentials: AwsCredentialIdentity): void;
  send<T>(action: string, send: (signal: AbortSignal) => Promise<T>, budget: Budget): Promise<T>;
  record(action: string, result: ActionResult): void;
  addFinding(finding: Finding): void;
}

/** Each member of a union without its probe field (the context fills it in). */
type WithoutProbe<T> = T extends unknown ? Omit<T, 'probe'> : never;

export function probeContext(run: RunHandle, probe: ProbeDefinition, budget: Budget): ProbeContext {
  const budgetOf = (options: CallOptions = {}) => (options.cleanup ? run.cleanupBudget : options.write ? { ...run.writeBudget, startSignal: budget.signal } : budget);
  const record = (action: string, result: WithoutProbe<ActionResult>) => run.record(action, { ...result, probe: probe.id } as ActionResult);
  /** A refusal or a could-not-tell, recorded and thrown for the probe to end on. */
  const refuse = (action: AwsAction, classified: ClassifiedError): never => {
    // A refusal another service relayed (Glue's, inside a query) concerns that service's resources, not this probe's own.
    record(action, { state: verdictOf(classified).evidence, error: classified, ...(classified.relayedAction === action ? { relayed: true } : {}) });
    throw new ProbeCallError(action, classified);
  };
  const call: ProbeContext['call'] = async (action, send, callOptions = {}) => {
    try {
      const value = await run.send(action, send, budgetOf(callOptions));
      record(action, { state: 'granted' });
      for (const proved of callOptions.alsoProves ?? []) record(proved, { state: 'granted' });
      return value;
    } catch (error) {
      const classified = error as ClassifiedError;
      if (callOptions.acceptCodes?.includes(classified.code)) {
        record(action, { state: 'granted' });
        return undefined as never;
      }
      if (classified.relayedAction) {
        // The called service checked its own permission first, then relayed another's refusal (KMS behind S3).
        record(action, { state: 'granted' });
        record(classified.relayedAction, { state: 'failed', error: classified, relayed: true });
        throw new ProbeCallError(classified.relayedAction as AwsAction, classified);
      }
      if (classified.refusedAction) {
        // One call, two permissions: AWS named the one it refused, so the one called was granted.
        record(action, { state: 'granted' });
        return refuse(classified.refusedAction as AwsAction, classified);
      }
      return refuse(action, classified);
    }
  };
  return {
    connection: run.connection,
    facts: run.facts,
    signal: budget.signal,
    runId: run.runId,
    sdk: (service) => run.sdk(service),
    client: (service) => run.client(service, 'connection'),
    serviceClient: (service) => run.client(service, 'service'),
    externalId: () => run.externalId(),
    useCredentials: (credentials) => run.useCredentials(credentials),
    call,
    async send(action, command, input, sendOptions = {}) {
      const service = serviceOf(action) as AwsService;
      const Command = ((await run.sdk(service)) as unknown as Record<string, new (input: unknown) => object>)[command]!;
      const client = (await run.client(service, 'connection')) as unknown as { send(command: object, options: { abortSignal: AbortSignal }): Promise<{ Body?: unknown }> };
      return call(
        action,
        async (abortSignal) => {
          const answer = await client.send(new Command(input), { abortSignal });
          if (sendOptions.readBody) await readBody(answer.Body, abortSignal);
          return answer as never;
        },
        sendOptions,
      );
    },
    async attempt(action, send) {
      try {
        return { ok: true, value: await run.send(action, send, budget) };
      } catch (error) {
        return { ok: false, error: error as ClassifiedError };
      }
    },
    granted: (action) => record(action, { state: 'granted' }),
    untested: (action, why) => record(action, { state: 'untested', why }),
    refused: (action, partial) => record(action, { state: verdictOf(partial).evidence, error: { ...partial } }),
    fail: (action, partial) => refuse(action, { ...partial }),
    finding: (code, ...facts) => run.addFinding({ ...renderFinding(code, ...facts), probe: probe.id }),
    skip(reason, detail) {
      throw new ProbeSkip(reason, detail);
    },
  };
}
