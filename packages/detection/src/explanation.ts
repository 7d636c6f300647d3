import type { PatternId } from '@gtwatch/schema';
import type { Evidence, OperationCount } from './contribution.js';
import { operationName } from './operations.js';

export interface ExplanationInputs {
  pattern: PatternId;
  entityType: 'gt' | 'realm';
  entityId: string;
  sourceCountry: string | null;
  count: number;
  operations: readonly OperationCount[];
  victimPlmns: readonly string[];
  victimCountries: readonly string[];
  evidence: Evidence;
}

function sourceLabel(inputs: ExplanationInputs): string {
  const kind = inputs.entityType === 'gt' ? 'GT' : 'Diameter realm';
  return `${kind} ${inputs.entityId}${inputs.sourceCountry ? ` (${inputs.sourceCountry})` : ''}`;
}

function operationsLabel(operations: readonly OperationCount[]): string {
  const top = [...operations].sort((a, b) => b.count - a.count).slice(0, 3);
  const parts = top.map((op) => `${op.count} ${operationName(op.protocol, op.operation)}`);
  const more = operations.length - top.length;
  return parts.join(', ') + (more > 0 ? ` and ${more} other operation types` : '');
}

function victimsLabel(inputs: ExplanationInputs): string {
  if (inputs.victimPlmns.length === 0) return 'subscribers';
  const plmns = inputs.victimPlmns.slice(0, 3).join(', ') + (inputs.victimPlmns.length > 3 ? ', …' : '');
  const countries = inputs.victimCountries.length > 0 ? ` (${inputs.victimCountries.slice(0, 5).join(', ')})` : '';
  return `subscribers of ${plmns}${countries}`;
}

const num = (value: unknown): string => (typeof value === 'number' ? value.toLocaleString('en-GB') : String(value));

/** One readable sentence per alert: what the source did and why that is abuse. Never names a subscriber. */
export function explain(inputs: ExplanationInputs): string {
  const source = sourceLabel(inputs);
  const ev = inputs.evidence;
  switch (inputs.pattern) {
    case 'category-1':
      return `${source} sent ${operationsLabel(inputs.operations)} to ${victimsLabel(inputs)} over the interconnect; category 1 operations must never arrive from another network.`;
    case 'category-2':
      return `${source} sent ${operationsLabel(inputs.operations)} about ${victimsLabel(inputs)}${ev.ownSubscriber ? ', the reporting network’s own subscribers' : ' from outside their home network'}; category 2 operations may only come from the subscriber’s home network.`;
    case 'velocity':
      return `${source} registered a subscriber last registered from ${num(ev.previousCountry)} ${num(ev.minutesSincePrevious)} minutes earlier, ${num(ev.distanceKm)} km away (${num(ev.speedKmh)} km/h); no traveller moves that fast.`;
    case 'imsi-harvesting':
      return `${source} sent ${num(ev.sriSm)} sendRoutingInfoForSM for ${num(ev.distinctSubscribers)} distinct subscribers in ${num(ev.windowMinutes)} minutes but only ${num(ev.mtForwardSm)} mt-ForwardSM; routing queries without SMS delivery harvest IMSIs and serving nodes.`;
    case 'scanning':
      return `${source} sent ${num(ev.transactions)} transactions to ${num(ev.distinctSubscribers)} distinct subscribers in ${num(ev.windowMinutes)} minutes and ${num(ev.failurePercent)} % failed with errors that reveal unknown subscribers; this is a scan.`;
    case 'gt-spoofing':
      return `${source} ${num(ev.explanation)}.`;
    case 'gt-leasing':
      return ev.leasedRange
        ? `${source} from a range marked leased (${num(ev.rangeOperator)}) sent ${operationsLabel(inputs.operations)}; leased Global Titles used for location and subscriber queries are the abuse regulators ban.`
        : `${source} sent location or subscriber queries about subscribers of ${num(ev.victimCountries)} countries within ${num(ev.windowMinutes)} minutes; no single roaming relationship explains that spread.`;
    case 'volume-anomaly':
      return `${source} sent ${num(ev.transactions)} transactions in one minute, ${num(ev.ratio)}× its usual ${num(ev.baselinePerMinute)} per minute.`;
  }
}
