// What the watch says when a connection drifts: one notification when something got worse, one when
// something recovered, built from the stored reports (as served: nothing secret is in them), sent
// to the operator's webhook as JSON signed with HMAC-SHA256, with a Slack-compatible `text`.
//
// Signature: X-Preflight-Signature is `sha256=` and the hex HMAC-SHA256, keyed with the webhook
// secret, of `<X-Preflight-Timestamp>.<the raw body>`. A receiver recomputes it over the bytes it
// received, compares in constant time, and refuses a timestamp older than it tolerates (a replay).
// Retries carry the same X-Preflight-Delivery id: a receiver that saw it already can skip it.
import { createHmac, randomUUID } from 'node:crypto';
import type { CapabilityReport, OverallStatus, PreflightReport } from '../preflight/types.js';
import { CAPABILITY_RANK, OVERALL_RANK, diffReports } from '../store/diff.js';

export type WatchEvent = 'worse' | 'recovered';

interface RunRef {
  id: string;
  startedAt: string;
  status: OverallStatus;
}

export interface WatchNotification {
  event: WatchEvent;
  /** The watch file's label of the connection. */
  connection: string;
  /** The message for a person (Slack's incoming webhooks show it as it is: mrkdwn, escaped). */
  text: string;
  run: RunRef & {
    /** The stored report, in the API: always, as a path of the service. */
    path: string;
    /** The same as an address, when the service knows its own (PREFLIGHT_PUBLIC_URL). */
    url?: string;
    /** The page that shows it, likewise. */
    page?: string;
  };
  previousRun: RunRef;
  /** Capabilities whose status moved this way, each with what it needs now (a worse one: the fix). */
  capabilities: Array<{
    id: string;
    title: string;
    from: string | null;
    to: string | null;
    impact?: string;
    missingActions: string[];
    fix?: CapabilityReport['remediation'];
  }>;
  actions: { newlyMissing: string[]; newlyGranted: string[] };
  findings: { added: PreflightReport['findings']; gone: PreflightReport['findings'] };
  /** For worse: the run's whole fix, the minimal policy that lifts every missing action (null when none would). */
  policy?: PreflightReport['remediation']['policy'];
}

const rankOf = (status: string | null) => (status === null ? undefined : CAPABILITY_RANK[status as CapabilityReport['status']]);

/** Slack's mrkdwn: &, < and > are its own (links, mentions); everything a notification quotes goes through this. */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The run's link in Slack's form when there is an address; else its id. */
const runLink = (run: WatchNotification['run']) => (run.page ?? run.url ? `<${run.page ?? run.url}|run ${slackText(run.id)}>` : `run ${slackText(run.id)} (GET ${slackText(run.path)})`);

/**
 * The notifications for a connection's run against its previous one: `worse` when the store's diff
 * says so (the overall status or a capability got worse, or an action is newly missing), and
 * `recovered` when a capability or the overall status got better. Both can come of one run.
 */
export function notificationsOf(label: string, previous: PreflightReport, current: PreflightReport, links: { publicUrl?: string } = {}): WatchNotification[] {
  const diff = diffReports(previous, current);
  const byId = new Map(current.capabilities.map((c) => [c.id, c]));
  const moved = (direction: 1 | -1) =>
    diff.capabilities
      .filter(({ from, to }) => {
        const [a, b] = [rankOf(from), rankOf(to)];
        return a !== undefined && b !== undefined && Math.sign(b - a) === direction;
      })
      .map(({ id, from, to }) => {
        const capability = byId.get(id as CapabilityReport['id']);
        return {
          id,
          title: capability?.title ?? id,
          from,
          to,
          ...(capability?.impact && direction === 1 ? { impact: capability.impact } : {}),
          missingActions: capability?.missingActions ?? [],
          ...(capability?.remediation && direction === 1 ? { fix: capability.remediation } : {}),
        };
      });
  const base = links.publicUrl?.replace(/\/+$/, '');
  const run = {
    ...diff.to,
    path: `/preflight/${encodeURIComponent(current.id)}`,
    ...(base ? { url: `${base}/preflight/${encodeURIComponent(current.id)}`, page: `${base}/#/runs/${encodeURIComponent(current.id)}` } : {}),
  };
  const overall = Math.sign(OVERALL_RANK[current.status] - OVERALL_RANK[previous.status]);
  const notifications: WatchNotification[] = [];
  const worse = moved(1);
  if (diff.worse) {
    notifications.push({
      event: 'worse',
      connection: label,
      text: worseText(label, run, diff.from.status, worse, diff.actions.newlyMissing),
      run,
      previousRun: diff.from,
      capabilities: worse,
      actions: { newlyMissing: diff.actions.newlyMissing, newlyGranted: [] },
      findings: { added: diff.findings.added, gone: [] },
      policy: current.remediation.policy,
    });
  }
  const better = moved(-1);
  if (better.length || overall < 0) {
    notifications.push({
      event: 'recovered',
      connection: label,
      text: recoveredText(label, run, diff.from.status, better),
      run,
      previousRun: diff.from,
      capabilities: better,
      actions: { newlyMissing: [], newlyGranted: diff.actions.newlyGranted },
      findings: { added: [], gone: diff.findings.gone },
    });
  }
  return notifications;
}

type Moved = WatchNotification['capabilities'];

const changeLine = (c: Moved[number]) => `• ${slackText(c.title)} (\`${slackText(c.id)}\`): ${slackText(c.from ?? 'not checked')} → ${slackText(c.to ?? 'not checked')}`;

function worseText(label: string, run: WatchNotification['run'], was: OverallStatus, worse: Moved, newlyMissing: string[]): string {
  const lines = [`:warning: Preflight watch: *${slackText(label)}* got worse (${was} → ${run.status}), ${runLink(run)}`];
  for (const capability of worse) {
    lines.push(`${changeLine(capability)}${capability.missingActions.length ? `, missing ${capability.missingActions.map((a) => `\`${slackText(a)}\``).join(', ')}` : ''}`);
    if (capability.fix?.summary) lines.push(`    Fix: ${slackText(capability.fix.summary)}`);
  }
  const unexplained = newlyMissing.filter((action) => !worse.some((c) => c.missingActions.includes(action)));
  if (unexplained.length) lines.push(`• Newly missing: ${unexplained.map((a) => `\`${slackText(a)}\``).join(', ')}`);
  return lines.join('\n');
}

function recoveredText(label: string, run: WatchNotification['run'], was: OverallStatus, better: Moved): string {
  return [`:white_check_mark: Preflight watch: *${slackText(label)}* recovered (${was} → ${run.status}), ${runLink(run)}`, ...better.map(changeLine)].join('\n');
}

/** The signature header's value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** The first retry's wait; each next one doubles, jittered (default 1 s). */
  baseDelayMs?: number;
  /** The longest wait between attempts, a Retry-After included (default 60 s). */
  maxDelayMs?: number;
  /** One attempt's bound (default 10 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface Delivery {
  delivered: boolean;
  attempts: number;
  /** Why the last attempt failed: an HTTP status or an error's name, never the URL (it may carry a token, as Slack's do). */
  lastProblem?: string;
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** Statuses worth another attempt: the receiver was busy or broken for a moment. */
const RETRIED = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends notifications to the webhook, each retried with backoff until it is taken (2xx) or refused for good (another 4xx, a redirect). */
export function webhookSender(options: WebhookOptions) {
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  /** `signal` gives up the notification between attempts or during one (a shutdown). */
  return async function send(notification: WatchNotification, signal?: AbortSignal): Promise<Delivery> {
    const body = JSON.stringify(notification);
    const delivery = randomUUID();
    let lastProblem: string | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal?.aborted) return { delivered: false, attempts: attempt - 1, lastProblem: 'stopped' };
      const timestamp = Math.floor(now() / 1000);
      let retryAfterMs: number | undefined;
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'preflight-watch',
            'x-preflight-event': notification.event,
            'x-preflight-delivery': delivery,
            'x-preflight-timestamp': String(timestamp),
            'x-preflight-signature': webhookSignature(options.secret, timestamp, body),
          },
          body,
          // A signed notification goes where it was configured to go, not where a redirect points.
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel().catch(() => {});
        if (response.ok) return { delivered: true, attempts: attempt };
        lastProblem = `HTTP ${response.status}`;
        if (!RETRIED(response.status)) return { delivered: false, attempts: attempt, lastProblem };
        const retryAfter = response.headers.get('retry-after');
        if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) retryAfterMs = Number(retryAfter) * 1000;
      } catch (error) {
        const why = (error as Error).name === 'TimeoutError' ? 'timeout' : ((error as { cause?: { code?: unknown } }).cause?.code ?? (error as Error).name);
        lastProblem = typeof why === 'string' && /^\w{1,32}$/.test(why) ? why : 'network error';
      }
      if (signal?.aborted) return { delivered: false, attempts: attempt, lastProblem: 'stopped' };
      if (attempt < attempts) await sleep(Math.min(maxDelayMs, retryAfterMs ?? baseDelayMs * 2 ** (attempt - 1) * (0.5 + random())));
    }
    return { delivered: false, attempts, lastProblem };
  };
}
