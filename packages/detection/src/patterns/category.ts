import { type Contribution, recordContribution } from '../contribution.js';
import { type Observation, plmnKey } from '../observation.js';
import type { RuleContext } from './context.js';

/** Bilateral agreements (allowlist.csv) exempt a source from categories 1 and 2 only; realms cannot be listed. */
function allowlisted(observation: Observation, context: RuleContext): boolean {
  return (
    observation.entityType === 'gt' &&
    context.numbering.isAllowlisted(observation.entityId, observation.reporter, observation.operation)
  );
}

export function category1(observation: Observation, context: RuleContext, subscriberHash: number | null): Contribution | null {
  if (!observation.interconnect || observation.category !== 1 || allowlisted(observation, context)) return null;
  const { record } = observation;
  return recordContribution(
    'category-1',
    observation,
    {
      rule: 'category 1 operation received over the interconnect from a source that is neither own nor allowlisted',
      operation: record.operation,
      locationReturned: record.locationReturned === true,
      firewall: record.firewall ?? null,
    },
    subscriberHash,
  );
}

/**
 * Category 2 may only come from the subscriber's home network and never concern the reporter's own subscribers.
 * Without `subscriberPlmn` the home network is unknown, so the record cannot be judged and is left alone.
 */
export function category2(observation: Observation, context: RuleContext, subscriberHash: number | null): Contribution | null {
  if (!observation.interconnect || observation.category !== 2) return null;
  const { subscriberPlmn } = observation;
  if (subscriberPlmn === undefined || allowlisted(observation, context)) return null;
  let reason: string | null = null;
  if (observation.ownSubscriber) {
    reason = 'targets the reporter’s own subscriber';
  } else if (observation.sourcePlmn !== null) {
    if (plmnKey(observation.sourcePlmn) !== plmnKey(subscriberPlmn)) reason = 'source network is not the subscriber’s home network';
  } else if (observation.sourceCountry !== null && observation.subscriberCountry !== null) {
    if (observation.sourceCountry !== observation.subscriberCountry) reason = 'source country is not the subscriber’s home country';
  }
  if (reason === null) return null;
  return recordContribution(
    'category-2',
    observation,
    {
      rule: reason,
      operation: observation.operation,
      ownSubscriber: observation.ownSubscriber,
      sourcePlmn: observation.sourcePlmn,
      subscriberPlmn,
    },
    subscriberHash,
  );
}
