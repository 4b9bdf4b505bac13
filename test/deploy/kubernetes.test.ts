// deploy/kubernetes/: every manifest valid against the Kubernetes API's schemas (kubernetes-models,
// generated from Kubernetes' OpenAPI definitions), and the settings an operator relies on checked
// one by one: probes on /healthz and /readyz, non-root as the image's user, a read-only root, no
// privilege gain, no capability, memory for the image's heap and the concurrency it is sized for,
// a grace period longer than the service's, and the IRSA role the service trusts itself as.
import { readFileSync, readdirSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { admitByHeap, loadConfig } from '../../src/config.js';
import { IMAGE, MEASURED_PEAK_RSS_MIB, NONROOT_UID, heapLimitMiB, quantityMiB } from './image.js';

const DIR = 'deploy/kubernetes';
const MODELS: Record<string, new (data: any) => { validate(): void }> = { 'apps/v1 Deployment': Deployment, 'v1 Service': Service, 'v1 ServiceAccount': ServiceAccount };

const manifests = readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(`${DIR}/${file}`, 'utf8')).map((document) => {
      if (document.errors.length) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
      return { file, object: document.toJSON() as any };
    }),
  );
const kindOf = (object: any) => `${object.apiVersion} ${object.kind}`;
const one = (kind: string) => {
  const found = manifests.filter((m) => kindOf(m.object) === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!.object;
};
const validate = (object: any) => new MODELS[kindOf(object)]!(object).validate();

const deployment = one('apps/v1 Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const envOf = (c: any): Record<string, string> => Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
/** The service's configuration in the container: the image's environment, the manifest's, and stand-ins for the secrets. */
function containerConfig() {
  const secrets = container.env.filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => e.name);
  expect(secrets.sort()).toEqual(['PREFLIGHT_API_KEYS', 'PREFLIGHT_DATABASE_URL']);
  return loadConfig({ ...IMAGE.env, ...envOf(container), PREFLIGHT_API_KEYS: 'a-key-of-sixteen-characters', PREFLIGHT_DATABASE_URL: 'postgres://u:p@db:5432/preflight' });
}

describe('deploy/kubernetes', () => {
  it('is a Deployment, a Service and a ServiceAccount, each valid against the Kubernetes API schema', () => {
    expect(manifests.map((m) => kindOf(m.object)).sort()).toEqual(['apps/v1 Deployment', 'v1 Service', 'v1 ServiceAccount']);
    for (const { file, object } of manifests) expect(() => validate(object), file).not.toThrow();
  });

  it('is checked by a validator that refuses what the API server would', () => {
    const broken = (change: (d: any) => void) => {
      const copy = structuredClone(deployment);
      change(copy);
      return () => validate(copy);
    };
    expect(broken((d) => (d.spec.replicas = '2'))).toThrow(/spec\/replicas must be integer/);
    expect(broken((d) => (d.spec.template.spec.containers[0].resources.limits.memory = '256 megs'))).toThrow(/limits\/memory must match format "quantity"/);
    expect(broken((d) => delete d.spec.template.spec.containers[0].name)).toThrow(/containers\/0 must have required property name/);
    expect(broken((d) => (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = 'yes'))).toThrow(/readOnlyRootFilesystem must be boolean/);
  });

  it('runs as the image\'s non-root user, read-only, with no privilege gain and no capability', () => {
    expect(IMAGE.user).toBe('nonroot');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: NONROOT_UID, runAsGroup: NONROOT_UID, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(pod.hostNetwork ?? false).toBe(false);
    // The root is read-only: /tmp (V8's code cache) is a volume of its own.
    const tmp = container.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: any) => v.name === tmp.name)).toMatchObject({ emptyDir: expect.any(Object) });
  });

  it('probes liveness on /healthz and readiness on /readyz, on the image\'s port', () => {
    const port = container.ports.find((p: any) => p.name === 'http');
    expect(port.containerPort).toBe(IMAGE.exposedPort);
    expect(port.containerPort).toBe(Number(IMAGE.env.PORT));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.image).toMatch(new RegExp(`/preflight:${IMAGE.version.replaceAll('.', '\\.')}$`));
  });

  it('gives the heap the image sets room for its concurrency, and the process room for its measured peak', () => {
    const env = { ...IMAGE.env, ...envOf(container) };
    const config = containerConfig();
    expect(config.maxConcurrentRuns).toBe(Number(envOf(container).PREFLIGHT_MAX_CONCURRENT_RUNS));
    const heap = heapLimitMiB(env.NODE_OPTIONS!);
    expect(env.NODE_OPTIONS).toMatch(/--max-old-space-size=88\b/);
    expect(admitByHeap(config, heap * 2 ** 20).warning).toBeUndefined();
    // The same check refuses a concurrency the heap cannot hold: it can fail.
    expect(admitByHeap({ ...config, maxConcurrentRuns: 300 }, heap * 2 ** 20).warning).toMatch(/need about \d+ MB of heap/);
    const { requests, limits } = container.resources;
    expect(quantityMiB(limits.memory)).toBeGreaterThanOrEqual(MEASURED_PEAK_RSS_MIB);
    expect(quantityMiB(limits.memory)).toBeGreaterThan(heap);
    // Requests equal to limits: the pod is not the first evicted under memory pressure.
    expect(requests.memory).toBe(limits.memory);
    expect(requests.cpu).toBeDefined();
  });

  it('waits longer than the service\'s shutdown grace before killing it', () => {
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(containerConfig().shutdownGraceMs);
  });

  it('serves the pods on their named port; the pods run as the ServiceAccount annotated for IRSA, the principal customers trust', () => {
    const service = one('v1 Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: IMAGE.exposedPort, targetPort: 'http' })]);
    const account = one('v1 ServiceAccount');
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    const roleArn = account.metadata.annotations['eks.amazonaws.com/role-arn'];
    expect(roleArn).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
    // The role customers' trust policies name: POST /setup's trustedPrincipal.
    expect(envOf(container).PREFLIGHT_TRUSTED_PRINCIPAL).toBe(roleArn);
  });
});
