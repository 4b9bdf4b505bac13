// What a probe is to the engine, and what it sees of its run: the engine schedules probes by
// `after` and `needs`, skips them by `skipWhen`, and hands each `run` a ProbeContext. Probes
// (src/probes) are written against this; the engine never imports them: the registry is passed in
// from the top (EngineDependencies.probes).
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsService, ClientModules, ClientTypes } from '../aws/clients.js';
import type { AwsAction } from '../catalogue/actions.js';
import type { CapabilityId } from '../catalogue/capabilities.js';
import type { FindingArguments, FindingCode } from '../catalogue/findings.js';
import type { ClassifiedError } from './classify.js';
import type { ResolvedConnection } from './connection.js';
import type { RunFacts } from './facts.js';
import type { SkipReason } from './types.js';

export class ProbeSkip extends Error {
  override name = 'ProbeSkip';
  constructor(
    readonly reason: SkipReason,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface CallOptions {
  /** Actions that the call also proves when it succeeds (e.g. kms:GenerateDataKey through an SSE-KMS PutObject). */
  alsoProves?: readonly AwsAction[];
  /** Error codes that are an answer, not a failure (e.g. 404 where absence is the fact we want). */
  acceptCodes?: readonly string[];
  /**
   * The call undoes something the run did (aborting a multipart upload): it is still made after the
   * run's deadline or its client's disconnect, within the engine's short cleanup grace.
   */
  cleanup?: boolean;
  /**
   * The call writes something the run must clean up (the marker, a multipart upload): once made,
   * it is not cut off when the run stops but let finish, for at most WRITE_SETTLE_MS after the
   * stop, so that clean-up never races a write S3 is still applying.
   */
  write?: boolean;
}

export interface SendOptions extends CallOptions {
  /** S3 GetObject: the body is read inside the call, so its bytes are under the call's deadline as well. */
  readBody?: boolean;
}

/** The service an action belongs to: 'glue' for 'glue:GetTables'. */
type ServiceOf<A extends AwsAction> = A extends `${infer S extends AwsService}:${string}` ? S : never;
/** A service's commands, by the name the SDK exports them under ('GetTablesCommand'). */
export type CommandName<S extends AwsService> = Exclude<Extract<keyof ClientModules[S], `${string}Command`>, '$Command'>;
type CommandClass<S extends AwsService, C extends CommandName<S>> = ClientModules[S][C];
export type CommandInput<S extends AwsService, C extends CommandName<S>> = CommandClass<S, C> extends abstract new (...args: infer A) => unknown ? A[0] : never;
export type CommandOutput<S extends AwsService, C extends CommandName<S>> =
  CommandClass<S, C> extends abstract new (...args: never[]) => { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> } ? O : never;

export interface ProbeContext {
  readonly connection: ResolvedConnection;
  readonly facts: RunFacts;
  readonly signal: AbortSignal;
  readonly runId: string;
  /** The SDK module of a service, for its commands (loaded once per process, not per run). */
  sdk<S extends AwsService>(service: S): Promise<ClientModules[S]>;
  /** A client signed with the connection's credentials. */
  client<S extends AwsService>(service: S): Promise<ClientTypes[S]>;
  /**
   * The usual call: `command` of the action's service, built from `input` and sent with the
   * connection's client, as `call` makes it. `context.send('glue:GetTables', 'GetTablesCommand',
   * { DatabaseName })` is `sdk`, `client` and `call` in one.
   */
  send<A extends AwsAction, C extends CommandName<ServiceOf<A>>>(
    action: A,
    command: C,
    input: CommandInput<ServiceOf<A>, C>,
    options?: SendOptions,
  ): Promise<CommandOutput<ServiceOf<A>, C>>;
  /**
   * Makes one AWS call for `action` under the run's deadline, retrying throttling within it, and
   * records what it proved. Failures propagate as classified errors. For calls `send` cannot make
   * (another client, work on the answer inside the call).
   */
  call<T>(action: AwsAction, send: (signal: AbortSignal) => Promise<T>, options?: CallOptions): Promise<T>;
  /** Records an action as proved granted by something other than its own call (a governed query that returned rows). */
  granted(action: AwsAction): void;
  /** Records an action as untested, with why (e.g. no sample to test it on). */
  untested(action: AwsAction, why: string): void;
  /** The same call, but its failure is an answer, not a verdict: nothing is recorded. */
  attempt<T>(action: AwsAction, send: (signal: AbortSignal) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ClassifiedError }>;
  /** Records `action` as refused by a finding of our own (a policy read that refuses another's request), and goes on. */
  refused(action: AwsAction, error: Pick<ClassifiedError, 'code' | 'category' | 'message'> & Partial<ClassifiedError>): void;
  /** Ends the probe as failed for `action` with an error of our own finding (a failed query, a wrong account). */
  fail(action: AwsAction, error: Pick<ClassifiedError, 'code' | 'category' | 'message'> & Partial<ClassifiedError>): never;
  /**
   * Reports a finding of the catalogue (src/catalogue/findings.ts), which holds its severity and
   * words: the probe gives the code and the facts they are made from.
   */
  finding<C extends FindingCode>(code: C, ...facts: FindingArguments<C>): void;
  /** Role mode: a client signed by the service's own identity (only the STS probes use it). */
  serviceClient<S extends AwsService>(service: S): Promise<ClientTypes[S]>;
  /** Role mode: the external ID, handed only to the call that needs it. */
  externalId(): string | undefined;
  /** Role mode: from now on, clients sign with the assumed role's credentials. */
  useCredentials(credentials: AwsCredentialIdentity): void;
  /** Ends the probe as skipped. */
  skip(reason: SkipReason, detail: string): never;
}

/**
 * A probe: what it exercises and informs, when it may start, and a small `run`. Three fields say
 * when it runs, each one thing:
 * - `after`: ordering only. It starts once these have settled, however they ended (it reads
 *   their facts, and can work without them).
 * - `needs`: these must have passed (or not apply), else it is skipped as prerequisite-failed
 *   with their failure as the cause. Implies `after`. Default: the connection gate
 *   (sts-caller-identity); `[]` only for what runs before the gate.
 * - `skipWhen`: the reason to skip before any call, from the connection and the facts so far
 *   (not configured, disabled by an option, nothing to test on); undefined to run.
 */
export interface ProbeDefinition<Id extends string = string> {
  /** Also its file's name (src/probes/<id>.ts) and its key in the registry. */
  id: Id;
  service: AwsService;
  /** Every action the probe may exercise: the report's coverage is computed from these. */
  actions: readonly AwsAction[];
  informs: readonly CapabilityId[];
  after?: readonly Id[];
  needs?: readonly Id[];
  /**
   * The probe undoes what others did (deletes the marker): it runs even after the run was stopped,
   * and its calls use the cleanup grace instead of the run's deadline.
   */
  cleanup?: boolean;
  skipWhen?(context: Pick<ProbeContext, 'connection' | 'facts'>): { reason: SkipReason; detail: string } | undefined;
  run(context: ProbeContext): Promise<string | void>;
}

/** What `context.call` throws: the action and its classification, already recorded. */
export class ProbeCallError extends Error {
  override name = 'ProbeCallError';
  constructor(
    readonly action: AwsAction,
    readonly classified: ClassifiedError,
  ) {
    super(`${action}: ${classified.message}`);
  }
}

export function isCategory(error: unknown, category: ClassifiedError['category']): error is ProbeCallError {
  return error instanceof ProbeCallError && error.classified.category === category;
}

export { TABLE_DATA_DENIED } from './classify.js';
