import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { ConfigError, loadConfig } from '@gtwatch/config';
import { describe, expect, it } from 'vitest';
import { configVariables, NODE_VARIABLES, scratchFile, stubContent } from './support/environment.js';
import { readText, readYaml, repoPath } from './support/repo.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number>;
  secrets?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  networks?: string[];
  ports?: string[];
}

interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  networks: Record<string, { internal?: boolean }>;
}

const COMPOSE_DIR = 'deploy/compose';
const compose = readYaml<Compose>(COMPOSE_DIR, 'compose.yaml');
const services = Object.entries(compose.services);
/** Services built from this repository's Dockerfile: the gtwatch processes. */
const gtwatchServices = services.filter(([, service]) => service.build !== undefined);
const fromCompose = (path: string) => normalize(join(COMPOSE_DIR, path));

/** A service that runs to completion: never restarted, and waited for with service_completed_successfully. */
function isOneShot(name: string): boolean {
  const dependants = services.filter(([, service]) => service.depends_on?.[name] !== undefined);
  return (
    compose.services[name]?.restart === 'no' &&
    dependants.length > 0 &&
    dependants.every(([, service]) => service.depends_on?.[name]?.condition === 'service_completed_successfully')
  );
}

describe('deploy/compose', () => {
  it('runs Kafka (KRaft), current ClickHouse, the setup jobs, scorer, sink, api, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'clickhouse', 'clickhouse-users', 'grafana', 'init', 'kafka', 'prometheus', 'scorer', 'sink'].sort(),
    );
    expect(compose.services.kafka?.image).toBe('apache/kafka:3.9.1');
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:2[5-9]\.(3|8)$/);
    const commands = Object.fromEntries(gtwatchServices.map(([name, service]) => [name, JSON.stringify(service.command)]));
    expect(commands).toMatchObject({ scorer: '["run","scorer"]', sink: '["run","sink"]', api: '["run","api"]' });
    expect(commands.init).toMatch(/topics create --partitions .* migrate/);
  });

  it('builds from the repository Dockerfile, and every bind-mounted path exists', () => {
    const missing: string[] = [];
    for (const [name, service] of services) {
      if (service.build) {
        const context = fromCompose(service.build.context);
        if (!existsSync(repoPath(context, service.build.dockerfile))) missing.push(`${name}: ${context}/${service.build.dockerfile}`);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        // Named volumes have no path; `${VAR:-default}` mounts are checked at their default.
        const path = source.replace(/^\$\{[A-Z_]+:-([^}]+)\}$/, '$1');
        if (!path.startsWith('.')) continue;
        if (!existsSync(repoPath(fromCompose(path)))) missing.push(`${name}: ${volume}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every long-running service has a healthcheck; only one-shot jobs go without', () => {
    const problems: string[] = [];
    for (const [name, service] of services) {
      const checked = service.healthcheck !== undefined && service.healthcheck.disable !== true && service.healthcheck.test !== undefined;
      if (!checked && !isOneShot(name)) problems.push(`${name}: no healthcheck`);
    }
    expect(problems).toEqual([]);
    expect(['init', 'clickhouse-users'].every(isOneShot)).toBe(true);
  });

  it('depends_on waits for health or completion, never just for a start, on stateful dependencies', () => {
    const problems: string[] = [];
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        if (target === undefined) problems.push(`${name}: depends on unknown ${dependency}`);
        else if (condition === 'service_healthy' && (target.healthcheck === undefined || target.healthcheck.disable)) {
          problems.push(`${name}: waits for ${dependency} to be healthy, but it has no healthcheck`);
        } else if (condition === 'service_completed_successfully' && !isOneShot(dependency)) {
          problems.push(`${name}: waits for ${dependency} to complete, but it keeps running`);
        } else if (['kafka', 'clickhouse'].includes(dependency) && condition !== 'service_healthy') {
          problems.push(`${name}: starts before ${dependency} is healthy`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every image is pinned to a version', () => {
    const unpinned = services
      .map(([name, service]) => [name, service.image ?? ''] as const)
      .filter(([, image]) => !/@sha256:[0-9a-f]{64}$/.test(image) && !/:(?!latest$)[\w.-]*\d[\w.-]*\}?$/.test(image))
      .map(([name, image]) => `${name}: ${image}`);
    expect(unpinned).toEqual([]);
  });

  it('gtwatch containers run as a non-root user on a read-only root filesystem without capabilities', () => {
    const problems = gtwatchServices.flatMap(([name, service]) => [
      ...(service.read_only === true ? [] : [`${name}: root filesystem writable`]),
      ...(/^[1-9]\d*(:\d+)?$/.test(service.user ?? '') ? [] : [`${name}: user ${service.user}`]),
      ...((service.cap_drop ?? []).includes('ALL') ? [] : [`${name}: capabilities kept`]),
    ]);
    expect(problems).toEqual([]);
  });

  it('secrets come from files that make-secrets.sh creates, never from literal values', () => {
    const script = readText(COMPOSE_DIR, 'make-secrets.sh');
    for (const [name, secret] of Object.entries(compose.secrets)) {
      expect(secret.file, name).toMatch(/^\.\/secrets\//);
      const file = secret.file.replace(/^\.\/secrets\//, '');
      const created = script.includes(file) || script.includes(file.replace(/_password$/, ''));
      expect(created, `${file} is created by make-secrets.sh`).toBe(true);
    }
    expect(readText(COMPOSE_DIR, 'secrets', '.gitignore')).toMatch(/^\*$/m);
    const literal = services.flatMap(([name, service]) =>
      Object.keys(service.environment ?? {})
        .filter((key) => /PASSWORD|SECRET|TOKEN/.test(key) && !/_FILE$|__FILE$/.test(key))
        .map((key) => `${name}: ${key}`),
    );
    expect(literal).toEqual([]);
    const used = new Set(services.flatMap(([, service]) => service.secrets ?? []));
    expect([...used].filter((name) => compose.secrets[name] === undefined)).toEqual([]);
  });

  it('gtwatch environment variables are ones the configuration reads, and it accepts them', () => {
    const known = configVariables();
    const problems: string[] = [];
    for (const [name, service] of gtwatchServices) {
      const env: Record<string, string> = {};
      for (const [key, raw] of Object.entries(service.environment ?? {})) {
        const value = String(raw);
        if (!known.has(key) && !(key.endsWith('_FILE') && known.has(key.replace(/_FILE$/, ''))) && !NODE_VARIABLES.has(key)) {
          problems.push(`${name}: ${key} is not a variable the configuration reads`);
        }
        if (key.endsWith('_FILE')) {
          const secret = /^\/run\/secrets\/([\w-]+)$/.exec(value)?.[1];
          if (secret === undefined || !(service.secrets ?? []).includes(secret)) problems.push(`${name}: ${key}=${value} is not a mounted secret`);
          env[key] = scratchFile(`compose-${name}-${key}`, stubContent(key));
        } else {
          env[key] = value;
        }
      }
      try {
        loadConfig(env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(`${name}: ${error.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('Kafka and ClickHouse are reachable only on the internal network; the api and Grafana only on loopback', () => {
    expect(compose.networks.backend?.internal).toBe(true);
    for (const name of ['kafka', 'clickhouse', 'scorer', 'sink', 'prometheus']) {
      expect(compose.services[name]?.ports, name).toBeUndefined();
      expect(compose.services[name]?.networks, name).toEqual(['backend']);
    }
    for (const name of ['api', 'grafana']) {
      for (const port of compose.services[name]?.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('Prometheus scrapes each gtwatch service on its PORT', () => {
    interface PrometheusConfig {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    }
    const prometheus = readYaml<PrometheusConfig>('deploy/prometheus/prometheus.yml');
    const targets = new Map(prometheus.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((entry) => entry.targets)]));
    for (const service of ['scorer', 'sink', 'api']) {
      const port = String(compose.services[service]?.environment?.PORT ?? 9464);
      expect(targets.get(`gtwatch-${service}`), service).toEqual([`${service}:${port}`]);
    }
    const mounted = compose.services.prometheus?.volumes ?? [];
    expect(mounted).toContain('../prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    expect(dirname(readYaml<{ rule_files: string[] }>('deploy/prometheus/prometheus.yml').rule_files[0] as string)).toBe('/etc/prometheus/rules');
  });
});

describe('services the deployment starts', () => {
  it('are services `gtwatch run` knows', async () => {
    const { COMMANDS } = await import('@gtwatch/cli');
    const usage = COMMANDS.find((command) => command.name === 'run')?.usage ?? '';
    const known = new Set(/gtwatch run ([\w|]+)/.exec(usage)?.[1]?.split('|') ?? []);
    const k8sArgs = ['scorer.yaml', 'sink.yaml', 'api.yaml'].flatMap((file) =>
      [...readText('deploy/k8s', file).matchAll(/args: \["run", "(\w+)"\]/g)].map((match) => match[1] as string),
    );
    const composeArgs = gtwatchServices.flatMap(([, service]) =>
      Array.isArray(service.command) && service.command[0] === 'run' ? [service.command[1] as string] : [],
    );
    const started = new Set([...k8sArgs, ...composeArgs]);
    expect([...started].sort()).toEqual(['api', 'scorer', 'sink']);
    expect([...started].filter((service) => !known.has(service))).toEqual([]);
  });
});
