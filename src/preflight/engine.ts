// Runs the probes of one preflight: each starts as soon as the probes it depends on have settled,
// every AWS call carries the run's deadline, and the report is built from what was proved.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { CAPABILITIES, type CapabilityId } from '../catalogue/capabilities.js';
import { AWS_SERVICES, type AwsService, type ClientFactory, type ClientModules, type ClientTypes } from '../aws/clients.js';
import { type Budget, type CallSettings, DeadlineError, callAws, callBudget } from './call.js';
import type { CallSlots } from './call-slots.js';
import { type ClassifiedError, classifyError, verdictOf } from './classify.js';
import { type ResolvedConnection, resolveConnection } from './connection.js';
import { type RunHandle, probeContext } from './context.js';
import type { RunFacts } from './facts.js';
import { type ProbeDefinition, ProbeCallError, ProbeSkip } from './probe.js';
import { buildReport } from './report.js';
import type { PreflightRequest } from './request.js';
import type { ActionResult, CapabilityReport, Finding, PreflightReport, ProbeReport, SkipReason } from './types.js';
import { type Evidence, capabilityVerdict, evidenceRank } from './verdict.js';

export interface EngineDependencies {
  clients: ClientFactory;
  /** The service's own identity: it assumes customer roles, and is the identity of `ambient` runs. */
  serviceCredentials?: AwsCredentialIdentityProvider;
  allowAmbient: boolean;
  /** Server maximum for one run, whatever the request asks. */
  maxRunMs: number;
  /** The ordered registry (src/probes/registry.ts), passed in by whoever builds the engine: it never imports probes. */
  probes: readonly ProbeDefinition[];
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
/** Every probe needs the identity known unless it says otherwise (the STS probes that run before it). */
const CONNECTION_GATE = ['sts-caller-identity'];
/**
 * Once a run stops (its deadline, its client gone, a shutdown), cleanup calls (deleting the marker,
 * aborting a multipart upload) still get this long; then the report is built whatever is still
 * pending. A run therefore always ends by its timeout plus this grace plus SETTLE_MARGIN_MS.
 */
export const CLEANUP_GRACE_MS = 2000;
/**
 * How long a write of ours (the marker, a multipart upload) made before the run stopped may still
 * take to be answered: half the grace, the other half left to undo it.
 */
export const WRITE_SETTLE_MS = CLEANUP_GRACE_MS / 2;
const SETTLE_MARGIN_MS = 250;

export async function runPreflight(request: PreflightRequest, deps: EngineDependencies, options: RunOptions = {}): Promise<PreflightReport> {
  if (request.credentials.type === 'ambient' && !deps.allowAmbient) {
    throw new PreflightRefused([{ path: '/credentials/type', message: 'ambient credentials are disabled on this service (the operator can enable them with PREFLIGHT_ALLOW_AMBIENT=true)' }]);
  }
  if (request.credentials.type !== 'accessKey' && !deps.serviceCredentials) {
    throw new PreflightRefused([
      {
        path: '/credentials/type',
        message: `${request.credentials.type} credentials need the service's own AWS identity, and none is configured: give the service one (an instance, task or pod role, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
      },
    ]);
  }
  const connection = resolveConnection(request, { maxRunMs: deps.maxRunMs });
  const run = new PreflightRun(request, connection, deps, options);
  return run.execute();
}

class PreflightRun implements RunHandle {
  readonly runId = randomBytes(6).toString('hex');
  private readonly startedAt = Date.now();
  private readonly controller = new AbortController();
  /** Aborts when the cleanup grace after the run's stop is over. */
  private readonly cleanupController = new AbortController();
  /** Aborts when a write still in flight at the stop has had its time to be answered. */
  private readonly writeController = new AbortController();
  private stoppedAt: number | undefined;
  /** Set when the report was built: a probe still running then can no longer change it. */
  private closed = false;
  readonly facts: RunFacts = {};
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
  private readonly callSettings: CallSettings;
  private readonly deadline: number;

  constructor(
    private readonly request: PreflightRequest,
    readonly connection: ResolvedConnection,
    private readonly deps: EngineDependencies,
    private readonly options: RunOptions,
  ) {
    // Every call in flight listens on the run's signal (and stops listening when it settles).
    setMaxListeners(0, this.controller.signal);
    this.registry = deps.probes;
    this.needed = neededProbes(this.registry, connection.requested);
    this.callSettings = {
      retry: deps.retry ?? DEFAULT_RETRY,
      maxCallMs: callBudget(connection.timeoutMs),
      callSlots: deps.callSlots,
      endpointHost: (action) => this.endpointHost(action),
    };
    this.deadline = this.startedAt + connection.timeoutMs;
    const credentials = request.credentials;
    if (credentials.type === 'accessKey') {
      this.credentials = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
    } else if (credentials.type === 'ambient') {
      this.credentials = deps.serviceCredentials;
    }
  }

  private readonly runBudget: Budget = { signal: this.controller.signal, deadline: () => this.deadline };
  readonly cleanupBudget: Budget = {
    signal: this.cleanupController.signal,
    deadline: () => Math.min(this.stoppedAt ?? Infinity, this.deadline) + CLEANUP_GRACE_MS,
  };
  readonly writeBudget: Budget = {
    signal: this.writeController.signal,
    deadline: () => Math.min(this.stoppedAt ?? Infinity, this.deadline) + WRITE_SETTLE_MS,
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
      timers.push(setTimeout(() => this.writeController.abort(new DeadlineError('the write had not been answered when the run ended')), WRITE_SETTLE_MS));
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
        const dependencies = waitsFor(probe).map((id) => {
          const dependency = settled.get(id);
          if (!dependency) throw new Error(`probe ${probe.id} waits for ${id}, which is not before it in the registry`);
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
    return buildReport({
      runId: this.runId,
      requestId: this.options.requestId,
      startedAt: this.startedAt,
      credentials: this.request.credentials,
      evidence: this.evidence(),
      routeOf: (service) => this.deps.clients.routeOf(service, this.connection.region),
    });
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
        actions: [...probe.actions],
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
        actions: [...probe.actions],
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
    const blocker = needsOf(probe).find((id) => !this.passedOrNotApplicable(id));
    if (blocker) return skip('prerequisite-failed', `${blocker} did not pass`, blocker);
    const budget = probe.cleanup ? this.cleanupBudget : this.runBudget;
    if (budget.signal.aborted) return finish({ outcome: 'error', detail: 'the run ended before it started', error: this.abortError(probe) });
    const rule = probe.skipWhen?.({ connection: this.connection, facts: this.facts });
    if (rule) {
      // A sample missing because the probe that looks for it did not pass is that failure, not an
      // account with nothing to test on: the verdict then traces it to its cause.
      const cause = rule.reason === 'no-sample' ? (probe.after ?? []).find((id) => this.stoppedShort(id)) : undefined;
      return cause ? skip('prerequisite-failed', `${cause} did not pass`, cause) : skip(rule.reason, rule.detail);
    }

    try {
      const detail = await probe.run(probeContext(this, probe, budget));
      finish({ outcome: 'pass', ...(detail ? { detail } : {}) });
    } catch (error) {
      if (error instanceof ProbeSkip) return skip(error.reason, error.detail);
      const classified = error instanceof ProbeCallError ? error.classified : classifyError(error, { action: probe.actions[0] ?? probe.id });
      const action = error instanceof ProbeCallError ? error.action : (probe.actions[0] ?? probe.id);
      finish({ outcome: verdictOf(classified).outcome, error: toProbeError(action, classified) });
    }
  }

  /** Failed, could not tell, or skipped because something before it did. */
  private stoppedShort(id: string): boolean {
    const report = this.probeReports.get(id);
    return report?.outcome === 'fail' || report?.outcome === 'error' || (report?.outcome === 'skipped' && report.skipReason === 'prerequisite-failed');
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
  record(action: string, result: ActionResult): void {
    const previous = this.actions.get(action);
    if (!previous || evidenceRank(result) > evidenceRank(previous)) this.actions.set(action, result);
    if (!result.probe) return;
    let ofProbe = this.actionsByProbe.get(result.probe);
    if (!ofProbe) this.actionsByProbe.set(result.probe, (ofProbe = new Map()));
    const before = ofProbe.get(action);
    if (!before || evidenceRank(result) > evidenceRank(before)) ofProbe.set(action, result);
  }

  sdk<S extends AwsService>(service: S): Promise<ClientModules[S]> {
    return this.deps.clients.sdk(service);
  }

  externalId(): string | undefined {
    return this.request.credentials.type === 'role' ? this.request.credentials.externalId : undefined;
  }

  useCredentials(credentials: AwsCredentialIdentity): void {
    this.credentials = credentials;
    this.clientCache.clear();
  }

  addFinding(finding: Finding): void {
    if (!this.closed) this.findings.push(finding);
  }

  send<T>(action: string, send: (signal: AbortSignal) => Promise<T>, budget: Budget): Promise<T> {
    return callAws(action, send, budget, this.callSettings);
  }

  client<S extends AwsService>(service: S, identity: 'connection' | 'service'): Promise<ClientTypes[S]> {
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

/** What a probe must have seen pass: its own `needs`, else the connection gate. */
const needsOf = (probe: ProbeDefinition): readonly string[] => probe.needs ?? CONNECTION_GATE;

/** What a probe starts after: `after` and `needs` (a probe it needs must have settled). */
export const waitsFor = (probe: ProbeDefinition): string[] => [...new Set([...(probe.after ?? []), ...needsOf(probe)])];

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

/**
 * Probes that inform a requested capability, and every probe they depend on. A probe that informs
 * nothing undoes what the probes it follows did (deleting the marker): it runs when one of those
 * runs, and never makes them run, so that a run touches only what its capabilities need (metadata
 * alone writes nothing to the results bucket).
 */
export function neededProbes(registry: readonly ProbeDefinition[], requested: ReadonlySet<CapabilityId>): Set<string> {
  const byId = new Map(registry.map((probe) => [probe.id, probe]));
  const needed = new Set<string>();
  const need = (id: string) => {
    if (needed.has(id)) return;
    needed.add(id);
    const probe = byId.get(id);
    if (probe) for (const dependency of waitsFor(probe)) need(dependency);
  };
  for (const probe of registry) if (probe.informs.some((id) => requested.has(id))) need(probe.id);
  for (const probe of registry) if (probe.informs.length === 0 && (probe.after ?? []).some((id) => needed.has(id))) need(probe.id);
  return needed;
}
