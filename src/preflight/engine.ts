// Runs the probes of one preflight: each starts as soon as the probes it depends on have settled,
// every AWS call carries the run's deadline, and the report is built from what was proved.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsAction } from '../catalogue/actions.js';
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import {
  EXTERNAL_ID_PLACEHOLDER,
  IAM_POLICY_LIMITS,
  type PolicyDocument,
  SERVICE_PRINCIPAL_PLACEHOLDER,
  buildTrustPolicy,
  liftableByIdentityPolicy,
  mergeStatements,
  policySize,
  splitIntoPolicies,
} from '../catalogue/remediation.js';
import { AWS_SERVICES, type AwsService, type ClientFactory, type ClientTypes } from '../aws/clients.js';
import { PROBES } from '../probes/registry.js';
import { type CallOptions, type ProbeContext, type ProbeDefinition, ProbeCallError, ProbeSkip, type RunFacts } from '../probes/types.js';
import type { CallSlots } from './call-slots.js';
import { type ClassifiedError, classifyError, isAnswer, retryDelayMs } from './classify.js';
import { type ResolvedConnection, maskAccessKeyId, resolveConnection } from './connection.js';
import type { PreflightRequest } from './request.js';
import type { ActionResult, CapabilityReport, Finding, PreflightReport, ProbeReport, SkipReason } from './types.js';
import { type Evidence, capabilityVerdict, evidenceRank, overallStatus } from './verdict.js';

export interface EngineDependencies {
  clients: ClientFactory;
  /** The service's own identity: it assumes customer roles, and is the identity of `ambient` runs. */
  serviceCredentials?: AwsCredentialIdentityProvider;
  allowAmbient: boolean;
  /** Server maximum for one run, whatever the request asks. */
  maxRunMs: number;
  probes?: readonly ProbeDefinition[];
  retry?: { maxAttempts: number; baseDelayMs: number };
  /** Caps AWS calls in flight across all runs (PREFLIGHT_MAX_CONCURRENT_CALLS); unlimited without it. */
  callSlots?: CallSlots;
}

export interface ProbeEvent {
  probe: ProbeReport;
  /** Capabilities whose probes have all settled, with their final status. */
  capabilities: Array<Pick<CapabilityReport, 'id' | 'status'>>;
}

export interface RunOptions {
  signal?: AbortSignal;
  requestId?: string;
  onProbe?(event: ProbeEvent): void;
}

/** A request the service refuses before any AWS call (e.g. ambient credentials when disabled). */
export class PreflightRefused extends Error {
  override name = 'PreflightRefused';
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
}

const DEFAULT_RETRY = { maxAttempts: 4, baseDelayMs: 100 };
/**
 * Once a run stops (its deadline, its client gone, a shutdown), cleanup calls (deleting the marker,
 * aborting a multipart upload) still get this long; then the report is built whatever is still
 * pending. A run therefore always ends by its timeout plus this grace plus SETTLE_MARGIN_MS.
 */
export const CLEANUP_GRACE_MS = 2000;
const SETTLE_MARGIN_MS = 250;

/** The signal and deadline that bound a call: the run's, or the cleanup grace that outlives it. */
interface Budget {
  signal: AbortSignal;
  deadline(): number;
}
/**
 * One call may use at most half the run's budget (and never more than 10 s): a service that hangs
 * must leave time for the probes that wait on it to try what they can without it.
 */
const callBudget = (timeoutMs: number) => Math.min(10_000, Math.max(1000, timeoutMs / 2));

export async function runPreflight(request: PreflightRequest, deps: EngineDependencies, options: RunOptions = {}): Promise<PreflightReport> {
  if (request.credentials.type === 'ambient' && !deps.allowAmbient) {
    throw new PreflightRefused([{ path: '/credentials/type', message: 'ambient credentials are disabled on this service (the operator can enable them with PREFLIGHT_ALLOW_AMBIENT=true)' }]);
  }
  if (request.credentials.type !== 'accessKey' && !deps.serviceCredentials) {
    throw new PreflightRefused([{ path: '/credentials/type', message: `${request.credentials.type} credentials need the service's own AWS identity, and none is configured` }]);
  }
  const connection = resolveConnection(request, { maxRunMs: deps.maxRunMs });
  const run = new PreflightRun(request, connection, deps, options);
  return run.execute();
}

class PreflightRun {
  private readonly runId = randomBytes(6).toString('hex');
  private readonly startedAt = Date.now();
  private readonly controller = new AbortController();
  /** Aborts when the cleanup grace after the run's stop is over. */
  private readonly cleanupController = new AbortController();
  private stoppedAt: number | undefined;
  /** Set when the report was built: a probe still running then can no longer change it. */
  private closed = false;
  private readonly facts: RunFacts = {};
  private readonly actions = new Map<string, ActionResult>();
  private readonly actionsByProbe = new Map<string, Map<string, ActionResult>>();
  private readonly probeReports = new Map<string, ProbeReport>();
  private readonly skipCauses = new Map<string, string>();
  private readonly findings: Finding[] = [];
  private readonly clientCache = new Map<string, Promise<unknown>>();
  private readonly registry: readonly ProbeDefinition[];
  private readonly needed: ReadonlySet<string>;
  private readonly emitted = new Set<CapabilityId>();
  private credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  private readonly retry: { maxAttempts: number; baseDelayMs: number };
  private readonly deadline: number;

  constructor(
    private readonly request: PreflightRequest,
    private readonly connection: ResolvedConnection,
    private readonly deps: EngineDependencies,
    private readonly options: RunOptions,
  ) {
    // Every call in flight listens on the run's signal (and stops listening when it settles).
    setMaxListeners(0, this.controller.signal);
    this.registry = deps.probes ?? PROBES;
    this.needed = neededProbes(this.registry, connection.requested);
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.deadline = this.startedAt + connection.timeoutMs;
    const credentials = request.credentials;
    if (credentials.type === 'accessKey') {
      this.credentials = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
    } else if (credentials.type === 'ambient') {
      this.credentials = deps.serviceCredentials;
    }
  }

  private readonly runBudget: Budget = { signal: this.controller.signal, deadline: () => this.deadline };
  private readonly cleanupBudget: Budget = {
    signal: this.cleanupController.signal,
    deadline: () => Math.min(this.stoppedAt ?? Infinity, this.deadline) + CLEANUP_GRACE_MS,
  };

  async execute(): Promise<PreflightReport> {
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    timers.push(setTimeout(() => this.controller.abort(new DeadlineError()), this.connection.timeoutMs));
    const onClientAbort = () => this.controller.abort(this.options.signal?.reason ?? new Error('the client went away'));
    let giveUp!: () => void;
    const gaveUp = new Promise<void>((resolve) => (giveUp = resolve));
    // However the run stops, cleanup gets its grace; after that (and a margin for aborted calls to
    // settle) the report is built, whatever a probe is still waiting for.
    const onStop = () => {
      this.stoppedAt = Date.now();
      timers.push(
        setTimeout(() => {
          this.cleanupController.abort(new DeadlineError('the clean-up after the run ran out of time'));
          timers.push(setTimeout(giveUp, SETTLE_MARGIN_MS));
        }, CLEANUP_GRACE_MS),
      );
    };
    this.controller.signal.addEventListener('abort', onStop, { once: true });
    this.options.signal?.addEventListener('abort', onClientAbort, { once: true });
    if (this.options.signal?.aborted) onClientAbort();
    try {
      const settled = new Map<string, Promise<void>>();
      for (const probe of this.registry) {
        const dependencies = probe.dependsOn.map((id) => {
          const dependency = settled.get(id);
          if (!dependency) throw new Error(`probe ${probe.id} depends on ${id}, which is not before it in the registry`);
          return dependency;
        });
        settled.set(probe.id, Promise.all(dependencies).then(() => this.runProbe(probe)));
      }
      await Promise.race([Promise.all(settled.values()), gaveUp]);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      this.controller.signal.removeEventListener('abort', onStop);
      this.options.signal?.removeEventListener('abort', onClientAbort);
    }
    this.settleUnfinished();
    this.closed = true;
    return this.buildReport();
  }

  /** Probes still running when the run gave up: what they were doing could not be told. */
  private settleUnfinished(): void {
    for (const probe of this.registry) {
      if (this.probeReports.has(probe.id)) continue;
      const error = this.abortError(probe);
      const action = probe.actions[0];
      if (action) this.record(action, { state: 'error', probe: probe.id, error: classifyError(new DeadlineError(), { action }) });
      this.probeReports.set(probe.id, {
        id: probe.id,
        service: probe.service,
        actions: probe.actions,
        outcome: 'error',
        detail: 'had not finished when the run ended',
        error,
        startedAtMs: Date.now() - this.startedAt,
        durationMs: 0,
      });
    }
  }

  private evidence(): Evidence {
    return {
      connection: this.connection,
      facts: this.facts,
      actions: this.actions,
      actionsByProbe: this.actionsByProbe,
      probes: this.probeReports,
      skipCauses: this.skipCauses,
      findings: this.findings,
      registry: this.registry,
    };
  }

  private async runProbe(probe: ProbeDefinition): Promise<void> {
    const started = Date.now();
    const finish = (report: Omit<ProbeReport, 'id' | 'service' | 'actions' | 'startedAtMs' | 'durationMs'>) => {
      const full: ProbeReport = {
        id: probe.id,
        service: probe.service,
        actions: probe.actions,
        ...report,
        startedAtMs: started - this.startedAt,
        durationMs: Date.now() - started,
      };
      if (this.closed) return;
      for (const action of probe.actions) this.record(action, { state: 'untested', probe: probe.id, why: report.detail });
      this.probeReports.set(probe.id, full);
      this.emit(full);
    };
    const skip = (skipReason: SkipReason, detail: string, cause?: string) => {
      if (cause) this.skipCauses.set(probe.id, cause);
      finish({ outcome: 'skipped', skipReason, detail });
    };

    if (!this.needed.has(probe.id)) return skip('not-requested', 'no requested capability needs it');
    const blocker = (probe.requires ?? ['sts-caller-identity']).find((id) => !this.passedOrNotApplicable(id));
    if (blocker) return skip('prerequisite-failed', `${blocker} did not pass`, blocker);
    const budget = probe.cleanup ? this.cleanupBudget : this.runBudget;
    if (budget.signal.aborted) return finish({ outcome: 'error', detail: 'the run ended before it started', error: this.abortError(probe) });
    const rule = probe.skipUnless?.({ connection: this.connection, facts: this.facts });
    if (rule) return skip(rule.reason, rule.detail);

    try {
      const detail = await probe.run(this.context(probe, budget));
      finish({ outcome: 'pass', ...(detail ? { detail } : {}) });
    } catch (error) {
      if (error instanceof ProbeSkip) return skip(error.reason, error.detail);
      const classified = error instanceof ProbeCallError ? error.classified : classifyError(error, { action: probe.actions[0] ?? probe.id });
      const action = error instanceof ProbeCallError ? error.action : (probe.actions[0] ?? probe.id);
      const answered = isAnswer(classified.category);
      finish({ outcome: answered ? 'fail' : 'error', error: toProbeError(action, classified) });
    }
  }

  private passedOrNotApplicable(id: string): boolean {
    const report = this.probeReports.get(id);
    return report?.outcome === 'pass' || (report?.outcome === 'skipped' && report.skipReason === 'not-applicable');
  }

  private abortError(probe: ProbeDefinition) {
    return toProbeError(probe.actions[0] ?? probe.id, classifyError(this.controller.signal.reason, { action: probe.actions[0] ?? probe.id }));
  }

  /**
   * Keeps the strongest evidence per action: failed > error > granted > untested. A refusal relayed
   * by another service concerns other resources (Athena asks Glue about every database), so a
   * direct grant outranks it.
   */
  private record(action: string, result: ActionResult): void {
    const previous = this.actions.get(action);
    if (!previous || evidenceRank(result) > evidenceRank(previous)) this.actions.set(action, result);
    if (!result.probe) return;
    let ofProbe = this.actionsByProbe.get(result.probe);
    if (!ofProbe) this.actionsByProbe.set(result.probe, (ofProbe = new Map()));
    const before = ofProbe.get(action);
    if (!before || evidenceRank(result) > evidenceRank(before)) ofProbe.set(action, result);
  }

  private context(probe: ProbeDefinition, budget: Budget): ProbeContext {
    const run = this;
    const signal = budget.signal;
    const budgetOf = (options: CallOptions = {}) => (options.cleanup ? run.cleanupBudget : budget);
    return {
      connection: this.connection,
      facts: this.facts,
      signal,
      runId: this.runId,
      sdk: (service) => run.deps.clients.sdk(service),
      client: (service) => run.client(service, 'connection'),
      serviceClient: (service) => run.client(service, 'service'),
      externalId: () => (run.request.credentials.type === 'role' ? run.request.credentials.externalId : undefined),
      useCredentials(credentials) {
        run.credentials = credentials;
        run.clientCache.clear();
      },
      async call(action, send, callOptions = {}) {
        try {
          const value = await run.send(action, send, budgetOf(callOptions));
          run.record(action, { state: 'granted', probe: probe.id });
          for (const proved of callOptions.alsoProves ?? []) run.record(proved, { state: 'granted', probe: probe.id });
          return value;
        } catch (error) {
          const classified = error as ClassifiedError;
          if (callOptions.acceptCodes?.includes(classified.code)) {
            run.record(action, { state: 'granted', probe: probe.id });
            return undefined as never;
          }
          if (classified.relayedAction) {
            // The called service checked its own permission first, then relayed another's refusal (KMS behind S3).
            run.record(action, { state: 'granted', probe: probe.id });
            run.record(classified.relayedAction, { state: 'failed', probe: probe.id, error: classified, relayed: true });
            throw new ProbeCallError(classified.relayedAction as AwsAction, classified);
          }
          const answered = isAnswer(classified.category);
          run.record(action, { state: answered ? 'failed' : 'error', probe: probe.id, error: classified });
          throw new ProbeCallError(action, classified);
        }
      },
      async attempt(action, send) {
        try {
          return { ok: true, value: await run.send(action, send, budget) };
        } catch (error) {
          return { ok: false, error: error as ClassifiedError };
        }
      },
      granted(action) {
        run.record(action, { state: 'granted', probe: probe.id });
      },
      untested(action, why) {
        run.record(action, { state: 'untested', probe: probe.id, why });
      },
      fail(action, partial) {
        const classified: ClassifiedError = { ...partial };
        const answered = isAnswer(classified.category);
        run.record(action, { state: answered ? 'failed' : 'error', probe: probe.id, error: classified });
        throw new ProbeCallError(action, classified);
      },
      finding(finding) {
        if (run.closed) return;
        run.findings.push({ ...finding, probe: probe.id });
      },
      skip(reason, detail) {
        throw new ProbeSkip(reason, detail);
      },
    };
  }

  private client<S extends AwsService>(service: S, identity: 'connection' | 'service'): Promise<ClientTypes[S]> {
    const key = `${identity}:${service}`;
    let client = this.clientCache.get(key) as Promise<ClientTypes[S]> | undefined;
    if (!client) {
      const credentials = identity === 'service' ? this.deps.serviceCredentials : this.credentials;
      if (!credentials) return Promise.reject(new Error(`no ${identity} credentials for ${service}`));
      client = this.deps.clients.create(service, this.connection.region, credentials as AwsCredentialIdentity);
      this.clientCache.set(key, client);
    }
    return client;
  }

  /**
   * One AWS call under the run's deadline. Throttling and 5xx are retried while time remains
   * (retryDelayMs: a few full-jitter attempts, or for an action with a documented quota, at the
   * quota's pace until the deadline); denials, auth errors and not-found never are. Throws a
   * ClassifiedError.
   */
  private async send<T>(action: string, send: (signal: AbortSignal) => Promise<T>, budget: Budget): Promise<T> {
    const stop = budget.signal;
    for (let attempt = 1; ; attempt++) {
      const remaining = budget.deadline() - Date.now();
      if (stop.aborted || remaining <= 0) throw classifyError(stop.reason ?? new DeadlineError(), { action });
      // A signal of its own per call, its timer cleared as soon as the call settles: a timer left
      // to expire (AbortSignal.timeout) would keep every finished call's signal alive for seconds.
      const call = new AbortController();
      const timer = setTimeout(() => call.abort(new DeadlineError()), Math.min(remaining, callBudget(this.connection.timeoutMs)));
      const abandon = () => call.abort(stop.reason);
      stop.addEventListener('abort', abandon, { once: true });
      let release: (() => void) | undefined;
      try {
        // Waiting for a slot counts against the call's deadline, as waiting for a socket would.
        release = await this.deps.callSlots?.acquire(call.signal);
        return await send(call.signal);
      } catch (error) {
        const classified = classifyError(stop.aborted ? (stop.reason ?? error) : error, { action, host: this.endpointHost(action) });
        // Backing off holds no slot, and no timer of the call that failed.
        release?.();
        clearTimeout(timer);
        const wait = retryDelayMs(action, classified, attempt, budget.deadline() - Date.now(), this.retry);
        if (wait === undefined) throw classified;
        await pause(wait, stop);
      } finally {
        release?.();
        clearTimeout(timer);
        stop.removeEventListener('abort', abandon);
      }
    }
  }

  /** The host an action's calls go to (for network errors that do not name it). */
  private endpointHost(action: string): string | undefined {
    const service = action.slice(0, action.indexOf(':')) as AwsService;
    if (!AWS_SERVICES.includes(service)) return undefined;
    return new URL(this.deps.clients.endpointOf(service, this.connection.region)).host;
  }

  private emit(probe: ProbeReport): void {
    if (!this.options.onProbe) return;
    const evidence = this.evidence();
    const capabilities: ProbeEvent['capabilities'] = [];
    const informingOf = informingProbes(this.registry);
    for (const definition of CAPABILITIES) {
      if (this.emitted.has(definition.id)) continue;
      if (informingOf.get(definition.id)!.every((id) => this.probeReports.has(id))) {
        this.emitted.add(definition.id);
        capabilities.push({ id: definition.id, status: capabilityVerdict(definition, evidence).status });
      }
    }
    this.options.onProbe({ probe, capabilities });
  }

  private buildReport(): PreflightReport {
    const evidence = this.evidence();
    const capabilities = CAPABILITIES.map((definition) => capabilityVerdict(definition, evidence));
    // Each capability's statements name its own resources (results location, table data): merged, not re-derived.
    const statements = capabilities.flatMap((c) => c.remediation?.statements ?? []);
    const policy: PolicyDocument | null = statements.length ? { Version: '2012-10-17', Statement: mergeStatements(statements) } : null;
    // Where an Allow cannot help (explicit denies, SCPs, boundaries), say who must act instead.
    const notes = [
      ...new Set(capabilities.flatMap((c) => (c.remediation && c.reasons.some((r) => r.deniedBy && !liftableByIdentityPolicy(r.deniedBy)) ? [c.remediation.summary] : []))),
    ];
    if (policy && policySize(policy) > IAM_POLICY_LIMITS.managedPolicy) {
      notes.push(`The policy is over IAM's ${IAM_POLICY_LIMITS.managedPolicy}-character limit for one managed policy: attach the numbered parts in remediation.policies instead.`);
    }
    const { connection, request } = this;
    const credentials = request.credentials;
    return {
      id: this.runId,
      ...(this.options.requestId ? { requestId: this.options.requestId } : {}),
      status: overallStatus(capabilities),
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Date.now() - this.startedAt,
      connection: {
        region: connection.region,
        accountId: connection.accountId,
        credentialType: connection.credentialType,
        ...(connection.roleArn ? { roleArn: connection.roleArn, externalIdGiven: connection.externalIdGiven } : {}),
        ...(credentials.type === 'accessKey' ? { accessKeyId: maskAccessKeyId(credentials.accessKeyId) } : {}),
        workgroup: connection.workgroup,
        ...(this.facts.output ? { outputLocation: this.facts.output.uri } : connection.outputLocation ? { outputLocation: connection.outputLocation.uri } : {}),
      },
      ...(this.facts.identity ? { identity: this.facts.identity } : {}),
      capabilities,
      probes: this.registry.map((probe) => this.probeReports.get(probe.id)!),
      findings: [...this.findings],
      remediation: {
        policy,
        // Too large for one managed policy: the same grants in numbered parts that each fit.
        ...(policy && policySize(policy) > IAM_POLICY_LIMITS.managedPolicy ? { policies: splitIntoPolicies(policy.Statement) } : {}),
        ...(this.findings.some((f) => f.code === 'ASSUME_ROLE_DENIED')
          ? { trustPolicy: buildTrustPolicy({ trustedPrincipalArn: this.facts.servicePrincipalArn ?? SERVICE_PRINCIPAL_PLACEHOLDER, externalId: EXTERNAL_ID_PLACEHOLDER }) }
          : {}),
        notes,
      },
    };
  }
}

/** Waits `ms`, or less if `signal` aborts meanwhile (the caller then sees the signal's reason). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

class DeadlineError extends Error {
  override name = 'TimeoutError';
  constructor(message = 'the preflight ran out of time') {
    super(message);
  }
}

function toProbeError(action: string, classified: ClassifiedError) {
  return {
    action,
    code: classified.code,
    category: classified.category,
    message: classified.message,
    ...(classified.requestId ? { requestId: classified.requestId } : {}),
    ...(classified.deniedBy ? { deniedBy: classified.deniedBy } : {}),
  };
}

const INFORMING = new WeakMap<readonly ProbeDefinition[], Map<CapabilityId, string[]>>();

/** The probes that inform each capability, worked out once per registry. */
function informingProbes(registry: readonly ProbeDefinition[]): Map<CapabilityId, string[]> {
  let informing = INFORMING.get(registry);
  if (!informing) {
    informing = new Map(CAPABILITIES.map((definition) => [definition.id, registry.filter((probe) => probe.informs.includes(definition.id)).map((probe) => probe.id)]));
    INFORMING.set(registry, informing);
  }
  return informing;
}

/** Probes that inform a requested capability, and every probe they depend on. */
export function neededProbes(registry: readonly ProbeDefinition[], requested: ReadonlySet<CapabilityId>): Set<string> {
  const needed = new Set<string>();
  for (let index = registry.length - 1; index >= 0; index--) {
    const probe = registry[index]!;
    const dependedOn = registry.some((later) => needed.has(later.id) && (later.dependsOn.includes(probe.id) || (later.requires ?? []).includes(probe.id)));
    if (probe.informs.some((id) => requested.has(id)) || dependedOn || probe.informs.length === 0) needed.add(probe.id);
  }
  return needed;
}
