import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAccessFile, topicNames } from '@gtwatch/config';
import { describe, expect, it } from 'vitest';
import { accessPrincipals, diffAcls, type ExistingAcl, formatAclTable, type PlannedAcl, planAcls } from '../src/index.js';

const ACCESS = parseAccessFile(
  JSON.stringify({
    operators: { '234-15': 'op-vodafone-uk', '310-260': 'User:op-tmobile-us' },
    regulators: { gb: 'reg-gb', us: { principal: 'reg-us', groupPrefix: 'gtwatch-fcc-' } },
    services: { scorer: 'gtwatch-scorer', sink: 'gtwatch-sink', api: 'gtwatch-api' },
  }),
);
const PREFIX = 'gtwatch';
const plan = planAcls(ACCESS, topicNames(PREFIX), PREFIX);

function of(principal: string): string[] {
  return plan.filter((entry) => entry.principal === principal).map((e) => `${e.operation} ${e.resourceType} ${e.patternType} ${e.resourceName}`);
}

describe('planAcls', () => {
  it('lets an operator write and describe only its own input topic', () => {
    expect(of('User:op-vodafone-uk')).toEqual([
      'DESCRIBE TOPIC LITERAL gtwatch.signalling.v1.234-15',
      'WRITE TOPIC LITERAL gtwatch.signalling.v1.234-15',
    ]);
    expect(of('User:op-tmobile-us')).toEqual([
      'DESCRIBE TOPIC LITERAL gtwatch.signalling.v1.310-260',
      'WRITE TOPIC LITERAL gtwatch.signalling.v1.310-260',
    ]);
  });

  it('lets a regulator read only its jurisdiction topic, with its own group prefix', () => {
    expect(of('User:reg-gb')).toEqual([
      'READ GROUP PREFIXED gtwatch-regulator-gb-',
      'DESCRIBE TOPIC LITERAL gtwatch.alerts.v1.gb',
      'READ TOPIC LITERAL gtwatch.alerts.v1.gb',
    ]);
    expect(of('User:reg-us')).toContain('READ GROUP PREFIXED gtwatch-fcc-');
    expect(of('User:reg-us')).not.toContain('READ TOPIC LITERAL gtwatch.alerts.v1.gb');
  });

  it('gives the scorer its inputs, outputs, groups and idempotent writes, and nothing to read alerts with', () => {
    const scorer = of('User:gtwatch-scorer');
    expect(scorer).toContain('READ TOPIC PREFIXED gtwatch.signalling.v1');
    expect(scorer).toContain('READ TOPIC LITERAL gtwatch.internal.by-subscriber.v1');
    expect(scorer).toContain('READ GROUP PREFIXED gtwatch-scorer-');
    expect(scorer).toContain('IDEMPOTENT_WRITE CLUSTER LITERAL kafka-cluster');
    expect(scorer).toContain('WRITE TRANSACTIONAL_ID PREFIXED gtwatch-scorer-');
    expect(scorer).toContain('DESCRIBE TRANSACTIONAL_ID PREFIXED gtwatch-scorer-');
    for (const topic of ['signalling.v1', 'signalling.dlq.v1', 'aggregates.v1', 'alerts.v1', 'alert-state.v1', 'internal.by-subscriber.v1', 'alerts.v1.gb', 'alerts.v1.nz']) {
      expect(scorer).toContain(`WRITE TOPIC LITERAL gtwatch.${topic}`);
    }
    expect(scorer.filter((rule) => rule.startsWith('READ TOPIC') && rule.includes('alerts'))).toEqual([]);
  });

  it('gives the sink exactly aggregates, alerts and its group, and the api nothing', () => {
    expect(of('User:gtwatch-sink')).toEqual([
      'READ GROUP LITERAL gtwatch-sink',
      'READ TOPIC LITERAL gtwatch.aggregates.v1',
      'READ TOPIC LITERAL gtwatch.alerts.v1',
    ]);
    expect(of('User:gtwatch-api')).toEqual([]);
  });

  it('follows the topic prefix and is stable', () => {
    const { us: _custom, ...regulators } = ACCESS.regulators;
    const other = planAcls({ ...ACCESS, regulators }, topicNames('acme.gt'), 'acme.gt');
    expect(other.every((entry) => entry.resourceType === 'CLUSTER' || entry.resourceName.startsWith('acme.gt'))).toBe(true);
    expect(planAcls(ACCESS, topicNames(PREFIX), PREFIX)).toEqual(plan);
  });

  it('refuses a regulator group prefix that --apply could not recognise as its own', () => {
    expect(() => planAcls(ACCESS, topicNames('acme.gt'), 'acme.gt')).toThrow(/regulators\.us\.groupPrefix "gtwatch-fcc-" must start with "acme\.gt-"/);
  });

  it('prints a table with one line per rule', () => {
    const table = formatAclTable(plan).split('\n');
    expect(table).toHaveLength(plan.length + 1);
    expect(table[0]).toMatch(/^PRINCIPAL\s+OPERATION\s+RESOURCE\s+PATTERN\s+NAME$/);
  });
});

describe('parseAccessFile', () => {
  it('names the bad entry', () => {
    expect(() => parseAccessFile(JSON.stringify({ operators: { '23415': 'x' } }), 'access.json')).toThrow(/access\.json:[\s\S]*operators/);
    expect(() => parseAccessFile('{', 'access.json')).toThrow(/access\.json: not JSON/);
    expect(() => parseAccessFile(JSON.stringify({ regulators: { de: 'reg-de' } }))).toThrow(/not in "jurisdictions"/);
    expect(() => parseAccessFile(JSON.stringify({ extra: 1 }))).toThrow(/extra|Unrecognized/);
  });

  it('accepts the documented example', () => {
    const example = parseAccessFile(readFileSync(resolve(import.meta.dirname, '../../../deploy/local/secure/access.example.json'), 'utf8'));
    expect(example.regulators.us?.groupPrefix).toBe('gtwatch-regulator-us-');
    expect(planAcls(example, topicNames('gtwatch'), 'gtwatch').length).toBeGreaterThan(20);
  });

  it('refuses one principal acting for two parties', () => {
    const shared = { operators: { '234-15': 'same' }, regulators: { gb: 'User:same' } };
    expect(() => parseAccessFile(JSON.stringify(shared))).toThrow(/User:same is used for both operator 234-15 and regulator gb/);
  });
});

describe('diffAcls', () => {
  const principals = accessPrincipals(ACCESS);
  const existing = (entry: Omit<ExistingAcl, 'host'>): ExistingAcl => ({ ...entry, host: '*' });

  it('creates what is missing, keeps what exists and removes stale managed rules only', () => {
    const kept = plan[0] as PlannedAcl;
    const stale = existing({ principal: 'User:op-gone', resourceType: 'TOPIC', resourceName: 'gtwatch.signalling.v1.999-99', patternType: 'LITERAL', operation: 'WRITE' });
    const foreign = existing({ principal: 'User:other-app', resourceType: 'TOPIC', resourceName: 'billing.events', patternType: 'LITERAL', operation: 'READ' });
    const foreignCluster = existing({ principal: 'User:other-app', resourceType: 'CLUSTER', resourceName: 'kafka-cluster', patternType: 'LITERAL', operation: 'IDEMPOTENT_WRITE' });
    const diff = diffAcls(plan, [existing(kept), stale, foreign, foreignCluster], PREFIX, principals);
    expect(diff.unchanged).toEqual([kept]);
    expect(diff.create).toHaveLength(plan.length - 1);
    expect(diff.remove).toEqual([stale]);
  });
});
