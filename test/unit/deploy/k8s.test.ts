import { readdirSync } from 'node:fs';
import { ConfigError, loadConfig } from '@gtwatch/config';
import { createMetricsRegistry, Readiness, startHealthServer } from '@gtwatch/observability';
import { describe, expect, it } from 'vitest';
import { configVariables, NODE_VARIABLES, scratchFile, stubContent } from './support/environment.js';
import { isRecord, readText, readYaml, readYamlDocuments, repoPath } from './support/repo.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are read as loosely typed YAML and checked field by field.
type K8sObject = Record<string, any>;

const K8S = 'deploy/k8s';

function manifests(): Array<K8sObject & { file: string }> {
  const kustomization = readYaml<{ resources: string[] }>(`${K8S}/kustomization.yaml`);
  return kustomization.resources.flatMap((file) =>
    readYamlDocuments(K8S, file).map((document) => ({ ...(document as K8sObject), file })),
  );
}

const objects = manifests();
const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
const workloads = objects.filter((object) => ['Deployment', 'Job', 'StatefulSet', 'CronJob', 'DaemonSet'].includes(object.kind));

function podSpec(workload: K8sObject): K8sObject {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}

function podLabels(workload: K8sObject): Record<string, string> {
  return (workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template).metadata.labels;
}

function containersOf(workload: K8sObject): Array<K8sObject & { where: string }> {
  const spec = podSpec(workload);
  return [...(spec.initContainers ?? []), ...spec.containers].map((container: K8sObject) => ({
    ...container,
    where: `${workload.kind}/${workload.metadata.name} › ${container.name}`,
  }));
}

function configMapData(name: string): Record<string, string> {
  const map = ofKind('ConfigMap').find((object) => object.metadata.name === name);
  if (!map) throw new Error(`ConfigMap ${name} is referenced but not defined in ${K8S}`);
  return map.data;
}

/** The environment a container starts with (ConfigMaps, then `env`), with downward-API values filled in. */
function environmentOf(container: K8sObject): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMapData(source.configMapRef.name));
    if (source.secretRef) throw new Error(`${container.where}: envFrom a Secret puts secrets in the environment; mount them`);
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = String(entry.value);
    else if (entry.valueFrom?.fieldRef) env[entry.name] = 'gtwatch-scorer-7d9f8b6c5-x2x7q';
    else throw new Error(`${container.where}: ${entry.name} comes from ${JSON.stringify(entry.valueFrom)}; secrets are mounted as files`);
  }
  return env;
}

function mountFor(container: K8sObject, path: string): K8sObject | undefined {
  return (container.volumeMounts ?? []).find((mount: K8sObject) => path.startsWith(`${mount.mountPath}/`));
}

/** Partitions of the signalling topic, as the setup Job creates it: the number the scorer HPA is held to. */
function signallingPartitions(): number {
  const job = ofKind('Job').find((object) => object.metadata.name === 'gtwatch-setup');
  const topics = containersOf(job as K8sObject).find((container) => container.args?.[0] === 'topics');
  const args: string[] = topics?.args ?? [];
  const index = args.indexOf('--partitions');
  expect(index, 'the setup Job passes --partitions').toBeGreaterThan(0);
  return Number(args[index + 1]);
}

describe('deploy/k8s', () => {
  it('kustomization lists every manifest in the folder', () => {
    const listed = readYaml<{ resources: string[] }>(`${K8S}/kustomization.yaml`).resources.sort();
    const present = readdirSync(repoPath(K8S))
      .filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml')
      .sort();
    expect(listed).toEqual(present);
  });

  it('has a Deployment for scorer, sink and api, and the setup Job', () => {
    expect(ofKind('Deployment').map((object) => object.metadata.name).sort()).toEqual(['gtwatch-api', 'gtwatch-scorer', 'gtwatch-sink']);
    expect(ofKind('Job').map((object) => object.metadata.name)).toEqual(['gtwatch-setup']);
    const commands = containersOf(ofKind('Job')[0] as K8sObject).map((container) => container.args.slice(0, 2).join(' '));
    expect(commands).toEqual(['topics create', 'migrate']);
  });

  it('every pod and container is non-root, read-only, without capabilities, with RuntimeDefault seccomp', () => {
    const problems: string[] = [];
    for (const workload of workloads) {
      const pod = podSpec(workload);
      const podContext = pod.securityContext ?? {};
      if (pod.automountServiceAccountToken !== false) problems.push(`${workload.metadata.name}: mounts a service account token`);
      for (const container of containersOf(workload)) {
        const context = container.securityContext ?? {};
        const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
        const user = context.runAsUser ?? podContext.runAsUser;
        const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
        if (runAsNonRoot !== true) problems.push(`${container.where}: runAsNonRoot is not true`);
        if (user === undefined || user === 0) problems.push(`${container.where}: no numeric non-root runAsUser`);
        if (context.readOnlyRootFilesystem !== true) problems.push(`${container.where}: root filesystem is writable`);
        if (context.allowPrivilegeEscalation !== false) problems.push(`${container.where}: privilege escalation allowed`);
        if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${container.where}: capabilities not dropped`);
        if ((context.capabilities?.add ?? []).length > 0) problems.push(`${container.where}: adds capabilities`);
        if (seccomp !== 'RuntimeDefault') problems.push(`${container.where}: seccomp ${seccomp}`);
        const tmp = mountFor(container, '/tmp/x');
        const volume = (pod.volumes ?? []).find((entry: K8sObject) => entry.name === tmp?.name);
        if (tmp?.mountPath !== '/tmp' || !isRecord(volume?.emptyDir)) problems.push(`${container.where}: /tmp is not an emptyDir`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every container sets CPU and memory requests and limits', () => {
    const missing = workloads.flatMap(containersOf).flatMap((container) =>
      ['requests', 'limits'].flatMap((kind) =>
        ['cpu', 'memory'].filter((resource) => container.resources?.[kind]?.[resource] === undefined).map((resource) => `${container.where}: ${kind}.${resource}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('every image is pinned to a version, here and in the kustomization', () => {
    const images = workloads.flatMap(containersOf).map((container) => container.image as string);
    const kustomization = readYaml<{ images: Array<{ name: string; newTag?: string; digest?: string }> }>(`${K8S}/kustomization.yaml`);
    const pinned = (image: string) => /@sha256:[0-9a-f]{64}$/.test(image) || /:(?!latest$)[\w.-]*\d[\w.-]*$/.test(image);
    expect(images.filter((image) => !pinned(image))).toEqual([]);
    for (const entry of kustomization.images) expect(entry.digest ?? entry.newTag ?? 'latest').not.toBe('latest');
  });

  it('Deployments probe /healthz (liveness) and /readyz (readiness) on the port the service listens on', async () => {
    const problems: string[] = [];
    const paths = new Set<string>();
    for (const deployment of ofKind('Deployment')) {
      for (const container of containersOf(deployment)) {
        const env = environmentOf(container);
        const port = Number(env.PORT ?? 9464);
        for (const [probe, path] of [
          ['livenessProbe', '/healthz'],
          ['readinessProbe', '/readyz'],
        ] as const) {
          const get = container[probe]?.httpGet;
          if (get?.path !== path) problems.push(`${container.where}: ${probe} path ${get?.path}, expected ${path}`);
          const named = (container.ports ?? []).find((entry: K8sObject) => entry.name === get?.port);
          const number = typeof get?.port === 'number' ? get.port : named?.containerPort;
          if (number !== port) problems.push(`${container.where}: ${probe} port ${get?.port} is not PORT ${port}`);
          if (get?.path) paths.add(get.path);
        }
      }
    }
    expect(problems).toEqual([]);
    // The endpoints exist: the real health server answers each probed path.
    const readiness = new Readiness();
    const server = await startHealthServer({ port: 0, host: '127.0.0.1', registry: createMetricsRegistry({ service: 'probe-check' }), readiness });
    try {
      for (const path of paths) {
        const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
        expect(response.status, path).toBe(200);
      }
      expect((await fetch(`http://127.0.0.1:${server.port}/livez`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('the scorer HPA stops at the signalling partition count', () => {
    const partitions = signallingPartitions();
    expect(partitions).toBe(12);
    const hpa = ofKind('HorizontalPodAutoscaler');
    expect(hpa.map((object) => object.spec.scaleTargetRef.name)).toEqual(['gtwatch-scorer']);
    const spec = (hpa[0] as K8sObject).spec;
    expect(spec.maxReplicas).toBeLessThanOrEqual(partitions);
    expect(spec.minReplicas).toBeGreaterThanOrEqual(1);
    expect(spec.minReplicas).toBeLessThanOrEqual(spec.maxReplicas);
    // The compose setup and the runbook state the same number.
    expect(readText('deploy/compose/compose.yaml')).toContain(`--partitions \${SIGNALLING_PARTITIONS:-${partitions}}`);
    expect(readText('docs/runbook.md')).toContain(`--partitions ${partitions}`);
  });

  it('every Deployment has a PodDisruptionBudget selecting its pods', () => {
    const budgets = ofKind('PodDisruptionBudget');
    const uncovered = ofKind('Deployment')
      .filter((deployment) => {
        const labels = podLabels(deployment);
        return !budgets.some((budget) =>
          Object.entries(budget.spec.selector.matchLabels as Record<string, string>).every(([key, value]) => labels[key] === value),
        );
      })
      .map((deployment) => deployment.metadata.name);
    expect(uncovered).toEqual([]);
  });

  it('commits no secret: no Secret objects, no secret-looking literal values', () => {
    expect(ofKind('Secret')).toEqual([]);
    const literal = workloads
      .flatMap(containersOf)
      .flatMap((container) => (container.env ?? []).map((entry: K8sObject) => ({ ...entry, where: container.where })))
      .filter((entry) => /PASSWORD|SECRET|TOKEN|(^|_)KEY($|_)/.test(entry.name) && !entry.name.endsWith('_FILE') && entry.value !== undefined)
      .map((entry) => `${entry.where}: ${entry.name}`);
    const configMapSecrets = ofKind('ConfigMap').flatMap((map) =>
      Object.keys(map.data ?? {}).filter((key) => /PASSWORD|SECRET|TOKEN/.test(key) && !key.endsWith('_FILE')),
    );
    expect([...literal, ...configMapSecrets]).toEqual([]);
  });

  it('every Secret and ConfigMap a pod mounts is defined here or created by the runbook', () => {
    const runbook = readText('docs/runbook.md');
    const missing: string[] = [];
    for (const workload of workloads) {
      for (const volume of podSpec(workload).volumes ?? []) {
        const name = volume.secret?.secretName ?? volume.configMap?.name;
        if (name === undefined) continue;
        const defined = ofKind('ConfigMap').some((map) => map.metadata.name === name);
        if (!defined && !runbook.includes(name)) missing.push(`${workload.metadata.name}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every environment variable is one the configuration reads, and the configuration accepts it', () => {
    const known = configVariables();
    const problems: string[] = [];
    for (const workload of workloads) {
      for (const container of containersOf(workload)) {
        const env = environmentOf(container);
        const resolved: Record<string, string> = {};
        for (const [name, value] of Object.entries(env)) {
          const base = name.replace(/_FILE$/, '');
          if (!known.has(name) && !(name.endsWith('_FILE') && known.has(base)) && !NODE_VARIABLES.has(name)) {
            problems.push(`${container.where}: ${name} is not a variable the configuration reads`);
          }
          const isFile = name.endsWith('_FILE') || name === 'NODE_EXTRA_CA_CERTS';
          if (isFile && mountFor(container, value) === undefined) problems.push(`${container.where}: ${name}=${value} is not on a mounted volume`);
          // Mounted Secrets stand in as files with plausible contents.
          resolved[name] = isFile ? scratchFile(`${container.name}-${name}`, stubContent(name)) : value;
        }
        try {
          loadConfig(resolved);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(`${container.where}: ${error.message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('secrets reach the configuration only through *_FILE variables it really reads', () => {
    const fileVariables = new Set(
      workloads.flatMap(containersOf).flatMap((container) => Object.keys(environmentOf(container)).filter((name) => /PASSWORD_FILE$/.test(name))),
    );
    expect([...fileVariables].sort()).toEqual(['CLICKHOUSE_PASSWORD_FILE', 'KAFKA_SASL_PASSWORD_FILE']);
    for (const name of fileVariables) {
      const env: Record<string, string> = { [name]: '/nonexistent/gtwatch-secret' };
      if (name.startsWith('KAFKA_')) Object.assign(env, { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_USERNAME: 'u' });
      let issues: readonly { variable: string }[] = [];
      try {
        loadConfig(env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues = error.issues;
      }
      expect(issues.map((issue) => issue.variable), name).toContain(name);
    }
  });

  it('default-deny NetworkPolicy, and every workload may reach only what it needs', () => {
    const policies = ofKind('NetworkPolicy');
    const denyAll = policies.find(
      (policy) =>
        Object.keys(policy.spec.podSelector ?? {}).length === 0 &&
        [...policy.spec.policyTypes].sort().join() === 'Egress,Ingress' &&
        !policy.spec.ingress &&
        !policy.spec.egress,
    );
    expect(denyAll, 'a default-deny policy').toBeDefined();
    const selects = (policy: K8sObject, labels: Record<string, string>) =>
      Object.entries((policy.spec.podSelector?.matchLabels ?? {}) as Record<string, string>).every(([key, value]) => labels[key] === value);
    const egressTo = (labels: Record<string, string>) =>
      policies
        .filter((policy) => selects(policy, labels))
        .flatMap((policy) => policy.spec.egress ?? [])
        .flatMap((rule: K8sObject) => (rule.to ?? []).map((peer: K8sObject) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']));
    const reach = Object.fromEntries(workloads.map((workload) => [workload.metadata.name, new Set(egressTo(podLabels(workload)))]));
    expect([...reach['gtwatch-scorer']!].sort()).toEqual(['kafka', 'kube-system']);
    expect([...reach['gtwatch-sink']!].sort()).toEqual(['clickhouse', 'kafka', 'kube-system']);
    expect([...reach['gtwatch-api']!].sort()).toEqual(['clickhouse', 'kube-system']);
    expect([...reach['gtwatch-setup']!].sort()).toEqual(['clickhouse', 'kafka', 'kube-system']);
  });

  it('the Kafka settings go only to processes with Kafka credentials', () => {
    for (const workload of workloads) {
      for (const container of containersOf(workload)) {
        const env = environmentOf(container);
        const usesKafka = env.KAFKA_SECURITY_PROTOCOL !== undefined;
        expect(usesKafka, container.where).toBe(env.KAFKA_SASL_USERNAME !== undefined);
      }
    }
  });
});

describe('deploy/prometheus/kubernetes-scrape.yml', () => {
  interface Relabel {
    source_labels?: string[];
    regex?: string;
    action?: string;
    target_label?: string;
  }

  it('keeps exactly the annotated gtwatch pods and names their jobs as the rules expect', () => {
    const config = readYaml<{ scrape_configs: Array<{ relabel_configs: Relabel[] }> }>('deploy/prometheus/kubernetes-scrape.yml');
    const relabels = config.scrape_configs[0]?.relabel_configs ?? [];
    const keep = relabels.find((rule) => rule.action === 'keep');
    expect(keep?.source_labels).toEqual(['__meta_kubernetes_pod_annotation_prometheus_io_scrape']);
    const job = relabels.find((rule) => rule.target_label === 'job');
    expect(job?.source_labels).toEqual(['__meta_kubernetes_pod_label_app_kubernetes_io_name']);
    const rules = readText('deploy/prometheus/rules/gtwatch.yml');
    for (const deployment of ofKind('Deployment')) {
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      expect(annotations['prometheus.io/scrape'], deployment.metadata.name).toBe('true');
      expect(Number(annotations['prometheus.io/port'])).toBe(Number(environmentOf(containersOf(deployment)[0] as K8sObject).PORT));
      // The job label a pod gets is its app.kubernetes.io/name, which the rules select with job=~"gtwatch-.*".
      expect(podLabels(deployment)['app.kubernetes.io/name']).toMatch(/^gtwatch-/);
    }
    expect(rules).toContain('job=~"gtwatch-.*"');
  });
});
