import { type Contribution, recordContribution } from '../contribution.js';
import type { EntityState } from '../entity.js';
import type { Observation } from '../observation.js';
import { MINUTE_MS } from '../time.js';
import type { RuleContext } from './context.js';

/** Operations a GT lessee buys access for: location tracking and subscriber manipulation. */
function sensitive(observation: Observation): boolean {
  return observation.locationRevealing || observation.category === 1 || observation.category === 2;
}

/**
 * gt-leasing fires on any sensitive operation from a range marked leased, or when one source aims sensitive
 * operations at subscribers of many home countries within the window — a pattern no roaming partner has.
 */
export function gtLeasing(
  observation: Observation,
  entity: EntityState,
  context: RuleContext,
  subscriberHash: number | null,
): Contribution | null {
  if (!observation.interconnect || !sensitive(observation)) return null;
  const { windowMinutes, minVictimCountries } = context.config.gtLeasing;
  const windowStart = observation.time - windowMinutes * MINUTE_MS;
  if (observation.subscriberCountry !== null) {
    entity.targetCountries.touch(observation.subscriberCountry, observation.time);
  }
  if (observation.source.leased) {
    return recordContribution(
      'gt-leasing',
      observation,
      {
        rule: 'sensitive operation from a GT range marked leased',
        leasedRange: true,
        rangePrefix: observation.source.prefix ?? null,
        rangeOperator: observation.source.operator,
      },
      subscriberHash,
    );
  }
  const countries = entity.targetCountries.countSince(windowStart);
  if (countries < minVictimCountries) return null;
  return recordContribution(
    'gt-leasing',
    observation,
    {
      rule: 'sensitive operations aimed at subscribers of many home countries',
      leasedRange: false,
      victimCountries: countries,
      windowMinutes,
      thresholds: { victimCountries: minVictimCountries },
    },
    subscriberHash,
  );
}
