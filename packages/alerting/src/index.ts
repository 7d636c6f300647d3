export { type AlertState, deleteGroup, type ReadStateOptions, readAlertState, readToEnd } from './alert-state-reader.js';
export { type FeedRecord, type Follower, type FollowOptions, followAlerts } from './alert-feed.js';
export { type ExportFilter, type ExportSelection, latestByAlert, selectForExport } from './export-select.js';
export { canonicalJson, GTWATCH_NAMESPACE, hashedEventId, STIX_SCO_NAMESPACE, scoId, uuidv5 } from './ids.js';
export {
  DIAMETER_ATTACK_TEMPLATE,
  type MispAttribute,
  type MispEvent,
  type MispObject,
  SS7_ATTACK_TEMPLATE,
  toMispDocument,
  toMispEvent,
} from './misp.js';
export { type ParsedEvent, parseAlertEvent } from './parse-event.js';
export {
  DEFAULT_JURISDICTIONS,
  jurisdictionFloor,
  loadRoutingPolicy,
  PolicyError,
  type RoutingPolicy,
  type RoutingPolicyInput,
  RoutingPolicySchema,
  routingPolicy,
} from './policy.js';
export { createRefusalCounter, type RefusalCounter, reportRefusals } from './refusals.js';
export { type AlertTopics, type Refusal, type RefusalReason, type RoutedAlerts, routeAlerts } from './routing.js';
export {
  GLOBAL_TITLE_EXTENSION_ID,
  GLOBAL_TITLE_SCO_TYPE,
  GTWATCH_IDENTITY_ID,
  type StixBundle,
  type StixObject,
  TLP2_EXTENSION_DEFINITION_ID,
  TLP2_MARKING_IDS,
  tlpMarking,
  toStixBundle,
} from './stix.js';
export { atLeast, formatTailLine, severityRank, useColour } from './tail-format.js';
export { isBelow, mostRestrictive, tlpRank } from './tlp.js';
export { type WithdrawOptions, WithdrawError, withdrawEvent } from './withdraw.js';
