import type { AccessFile, TopicNames } from '@gtwatch/config';

export type AclResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';
export type AclPatternType = 'LITERAL' | 'PREFIXED';
export type AclOperation = 'READ' | 'WRITE' | 'DESCRIBE' | 'IDEMPOTENT_WRITE';

/** One ALLOW rule. gtwatch never plans DENY rules: with `allow.everyone.if.no.acl.found=false`, absence is denial. */
export interface PlannedAcl {
  principal: string;
  resourceType: AclResourceType;
  resourceName: string;
  patternType: AclPatternType;
  operation: AclOperation;
  host: '*';
  /** Why this party holds it, for the printed plan. */
  reason: string;
}

/** Kafka's fixed name for the cluster resource. */
export const CLUSTER_RESOURCE = 'kafka-cluster';

/** Consumer-group names each party may use; regulators choose their own suffix after this prefix. */
export function groupNames(prefix: string) {
  return {
    scorer: `${prefix}-scorer-`,
    sink: `${prefix}-sink`,
    regulator: (jurisdiction: string) => `${prefix}-regulator-${jurisdiction}-`,
  };
}

function acl(
  principal: string,
  resourceType: AclResourceType,
  resourceName: string,
  patternType: AclPatternType,
  operation: AclOperation,
  reason: string,
): PlannedAcl {
  return { principal, resourceType, resourceName, patternType, operation, host: '*', reason };
}

/**
 * The complete set of ACLs for one topic prefix and one access file, and nothing more:
 *
 * - an operator writes (and describes) only `<prefix>.signalling.v1.<its PLMN>`, never the shared topic, so nobody
 *   can report in another operator's name;
 * - a regulator reads only `<prefix>.alerts.v1.<its jurisdiction>` with groups under `<prefix>-regulator-<j>-`;
 * - the scorer reads every signalling topic (prefix match, so new operators need no new scorer ACL) and the
 *   by-subscriber repartition topic, writes its outputs, uses its groups, and may use the idempotent producer;
 * - the sink reads aggregates and alerts with its one group;
 * - the api reads ClickHouse only and holds no Kafka ACL.
 *
 * Sorted, so a plan is stable to diff and print.
 */
export function planAcls(access: AccessFile, topics: TopicNames, prefix: string): PlannedAcl[] {
  const groups = groupNames(prefix);
  const planned: PlannedAcl[] = [];

  for (const [plmn, principal] of Object.entries(access.operators)) {
    const topic = topics.signallingFor(plmn);
    const reason = `operator ${plmn} reports on its own input topic`;
    planned.push(acl(principal, 'TOPIC', topic, 'LITERAL', 'WRITE', reason), acl(principal, 'TOPIC', topic, 'LITERAL', 'DESCRIBE', reason));
  }

  for (const [jurisdiction, regulator] of Object.entries(access.regulators)) {
    // A group outside the prefix would not be recognised as gtwatch's by --apply, so it could never be cleaned up.
    if (regulator.groupPrefix !== undefined && !regulator.groupPrefix.startsWith(`${prefix}-`)) {
      throw new Error(`regulators.${jurisdiction}.groupPrefix "${regulator.groupPrefix}" must start with "${prefix}-" (the topic prefix)`);
    }
    const reason = `regulator ${jurisdiction} reads its jurisdiction's alerts`;
    planned.push(
      acl(regulator.principal, 'TOPIC', topics.alertsFor(jurisdiction), 'LITERAL', 'READ', reason),
      acl(regulator.principal, 'TOPIC', topics.alertsFor(jurisdiction), 'LITERAL', 'DESCRIBE', reason),
      acl(regulator.principal, 'GROUP', regulator.groupPrefix ?? groups.regulator(jurisdiction), 'PREFIXED', 'READ', reason),
    );
  }

  const scorer = access.services.scorer;
  if (scorer !== undefined) {
    planned.push(
      acl(scorer, 'TOPIC', topics.signalling, 'PREFIXED', 'READ', 'scorer consumes the shared and every per-operator signalling topic'),
      acl(scorer, 'TOPIC', topics.signalling, 'PREFIXED', 'DESCRIBE', 'scorer subscribes to signalling topics by pattern'),
      acl(scorer, 'TOPIC', topics.bySubscriber, 'LITERAL', 'READ', 'scorer velocity stage consumes the repartition topic'),
      acl(scorer, 'GROUP', groups.scorer, 'PREFIXED', 'READ', 'scorer stages commit offsets in their groups'),
      acl(scorer, 'CLUSTER', CLUSTER_RESOURCE, 'LITERAL', 'IDEMPOTENT_WRITE', 'scorer publishes with the idempotent producer'),
      // The scorer's stages publish each batch and commit its offset in one transaction, one transactional id per
      // stage and instance (`<prefix>-scorer-<stage>-<instance>`).
      acl(scorer, 'TRANSACTIONAL_ID', groups.scorer, 'PREFIXED', 'WRITE', 'scorer publishes outputs and offsets in transactions'),
      acl(scorer, 'TRANSACTIONAL_ID', groups.scorer, 'PREFIXED', 'DESCRIBE', 'scorer registers its transactional ids'),
    );
    const outputs = [
      // Operators' records forwarded from their own topics, and velocity findings re-keyed by source.
      topics.signalling,
      topics.deadLetter,
      topics.aggregates,
      topics.alerts,
      topics.alertState,
      topics.bySubscriber,
      ...access.jurisdictions.map((jurisdiction) => topics.alertsFor(jurisdiction)),
    ];
    for (const topic of outputs) planned.push(acl(scorer, 'TOPIC', topic, 'LITERAL', 'WRITE', 'scorer publishes its outputs'));
  }

  const sink = access.services.sink;
  if (sink !== undefined) {
    for (const topic of [topics.aggregates, topics.alerts]) {
      planned.push(acl(sink, 'TOPIC', topic, 'LITERAL', 'READ', 'sink copies aggregates and alerts into ClickHouse'));
    }
    planned.push(acl(sink, 'GROUP', groups.sink, 'LITERAL', 'READ', 'sink commits offsets in its group'));
  }

  return dedupe(planned).sort(compareAcls);
}

/** Identity of a rule as Kafka stores it (the reason is ours, not the broker's). */
export function aclKey(entry: ExistingAcl): string {
  return [entry.principal, entry.resourceType, entry.patternType, entry.resourceName, entry.operation, entry.host].join('|');
}

function dedupe(entries: PlannedAcl[]): PlannedAcl[] {
  const seen = new Map<string, PlannedAcl>();
  for (const entry of entries) if (!seen.has(aclKey(entry))) seen.set(aclKey(entry), entry);
  return [...seen.values()];
}

function compareAcls(a: PlannedAcl, b: PlannedAcl): number {
  return aclKey(a) < aclKey(b) ? -1 : aclKey(a) > aclKey(b) ? 1 : 0;
}

/** An ALLOW rule found on the broker. */
export type ExistingAcl = Omit<PlannedAcl, 'reason' | 'host'> & { host: string };

/**
 * ACLs gtwatch manages: those on resources named under the prefix (`<prefix>.` topics, `<prefix>-` groups) and
 * the cluster rules of principals in the access file. Anything else on the broker belongs to someone else.
 */
export function isManaged(entry: ExistingAcl, prefix: string, principals: ReadonlySet<string>): boolean {
  if (entry.resourceType === 'CLUSTER') return principals.has(entry.principal);
  return entry.resourceName.startsWith(`${prefix}.`) || entry.resourceName.startsWith(`${prefix}-`);
}

export interface AclDiff {
  create: PlannedAcl[];
  /** Managed ALLOW rules that the plan no longer contains (a removed operator, a renamed service). */
  remove: ExistingAcl[];
  unchanged: PlannedAcl[];
}

export function diffAcls(planned: readonly PlannedAcl[], existing: readonly ExistingAcl[], prefix: string, principals: ReadonlySet<string>): AclDiff {
  const have = new Set(existing.map(aclKey));
  const want = new Set(planned.map(aclKey));
  return {
    create: planned.filter((entry) => !have.has(aclKey(entry))),
    unchanged: planned.filter((entry) => have.has(aclKey(entry))),
    remove: existing.filter((entry) => !want.has(aclKey(entry)) && isManaged(entry, prefix, principals)),
  };
}

/** Every principal the access file names. */
export function accessPrincipals(access: AccessFile): Set<string> {
  return new Set([
    ...Object.values(access.operators),
    ...Object.values(access.regulators).map((regulator) => regulator.principal),
    ...Object.values(access.services).filter((principal): principal is string => principal !== undefined),
  ]);
}

/** A fixed-width table of the plan, one rule per line. */
export function formatAclTable(entries: readonly Pick<PlannedAcl, 'principal' | 'operation' | 'resourceType' | 'patternType' | 'resourceName'>[]): string {
  const rows = entries.map((entry) => [entry.principal, entry.operation, entry.resourceType, entry.patternType, entry.resourceName]);
  const header = ['PRINCIPAL', 'OPERATION', 'RESOURCE', 'PATTERN', 'NAME'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
