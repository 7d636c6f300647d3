import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import { type AclDiff, type AclOperation, type AclPatternType, type AclResourceType, diffAcls, type ExistingAcl, type PlannedAcl } from './acl.js';

// Node's ESM view of kafkajs (CommonJS) exposes these enums on the default export only.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const RESOURCE: Record<AclResourceType, number> = {
  TOPIC: AclResourceTypes.TOPIC,
  GROUP: AclResourceTypes.GROUP,
  CLUSTER: AclResourceTypes.CLUSTER,
  TRANSACTIONAL_ID: AclResourceTypes.TRANSACTIONAL_ID,
};
const PATTERN: Record<AclPatternType, number> = { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED };
const OPERATION: Record<AclOperation, number> = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  IDEMPOTENT_WRITE: AclOperationTypes.IDEMPOTENT_WRITE,
};

function invert<K extends string>(map: Record<K, number>): Map<number, K> {
  return new Map(Object.entries(map).map(([name, code]) => [code as number, name as K]));
}
const RESOURCE_NAME = invert(RESOURCE);
const PATTERN_NAME = invert(PATTERN);
const OPERATION_NAME = invert(OPERATION);

function toEntry(entry: Omit<PlannedAcl, 'reason'> | ExistingAcl): AclEntry {
  return {
    principal: entry.principal,
    host: entry.host,
    resourceType: RESOURCE[entry.resourceType],
    resourceName: entry.resourceName,
    resourcePatternType: PATTERN[entry.patternType],
    operation: OPERATION[entry.operation],
    permissionType: AclPermissionTypes.ALLOW,
  } as AclEntry;
}

/**
 * Every ALLOW rule on the broker in a shape the planner understands. Rules of kinds gtwatch never plans (DENY,
 * transactional ids, ALL, …) are returned separately so that --apply can report them but never touches them.
 */
export async function describeAllAcls(admin: Admin): Promise<{ allow: ExistingAcl[]; foreign: number }> {
  const response = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  } as never);
  const allow: ExistingAcl[] = [];
  let foreign = 0;
  for (const resource of response.resources) {
    const resourceType = RESOURCE_NAME.get(resource.resourceType);
    const patternType = PATTERN_NAME.get(resource.resourcePatternType);
    for (const rule of resource.acls) {
      const operation = OPERATION_NAME.get(rule.operation);
      if (!resourceType || !patternType || !operation || rule.permissionType !== AclPermissionTypes.ALLOW) {
        foreign += 1;
        continue;
      }
      allow.push({ principal: rule.principal, host: rule.host, resourceType, resourceName: resource.resourceName, patternType, operation });
    }
  }
  return { allow, foreign };
}

export interface AppliedAcls extends AclDiff {
  /** Rules on the broker of kinds gtwatch never plans (DENY and others); left alone. */
  untouched: number;
}

/** Makes the broker's managed ALLOW rules equal to the plan: creates what is missing, deletes what is stale. */
export async function applyAcls(
  admin: Admin,
  planned: readonly PlannedAcl[],
  prefix: string,
  principals: ReadonlySet<string>,
): Promise<AppliedAcls> {
  const existing = await describeAllAcls(admin);
  const diff = diffAcls(planned, existing.allow, prefix, principals);
  if (diff.create.length > 0) await admin.createAcls({ acl: diff.create.map(toEntry) });
  if (diff.remove.length > 0) {
    // Exact filters: each matches one rule, so a deletion can never widen to rules the plan did not name.
    const response = await admin.deleteAcls({ filters: diff.remove.map((entry) => toEntry(entry)) as never });
    const failed = response.filterResponses.filter((filter) => filter.errorCode !== 0);
    if (failed.length > 0) throw new Error(`Kafka refused to delete ${failed.length} ACL(s): ${failed.map((f) => f.errorMessage ?? f.errorCode).join('; ')}`);
  }
  if (diff.create.length > 0 || diff.remove.length > 0) await untilVisible(admin, planned, prefix, principals);
  return { ...diff, untouched: existing.foreign };
}

/**
 * The controller acknowledges ACL changes once they are in the metadata log; brokers apply them a moment later.
 * Waiting until the broker reports the plan means a client connecting right after `--apply` sees the new rules.
 */
async function untilVisible(admin: Admin, planned: readonly PlannedAcl[], prefix: string, principals: ReadonlySet<string>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const diff = diffAcls(planned, (await describeAllAcls(admin)).allow, prefix, principals);
    if (diff.create.length === 0 && diff.remove.length === 0) return;
    if (Date.now() > until) {
      throw new Error(`the broker still lacks ${diff.create.length} and still has ${diff.remove.length} stale ACL(s) after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

