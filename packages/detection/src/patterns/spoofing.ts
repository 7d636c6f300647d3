import { type Contribution, recordContribution } from '../contribution.js';
import type { EntityState } from '../entity.js';
import { type Observation, plmnKey } from '../observation.js';
import { DIAMETER_CMD } from '../operations.js';
import { MINUTE_MS } from '../time.js';
import type { RuleContext } from './context.js';

/** A MAP location update whose VLR number (inside the payload) belongs to another network than the SCCP caller. */
export function vlrMismatch(observation: Observation, context: RuleContext, subscriberHash: number | null): Contribution | null {
  const { vlrGt } = observation;
  if (!observation.interconnect || observation.protocol === 'DIAMETER' || !observation.locationUpdating) return null;
  if (vlrGt === undefined) return null;
  const vlr = context.numbering.resolveGt(vlrGt);
  const vlrCountry = vlr.plmn ? (context.numbering.countryOfPlmn(vlr.plmn) ?? vlr.country) : vlr.country;
  const networkDiffers = vlr.plmn !== null && observation.sourcePlmn !== null && plmnKey(vlr.plmn) !== plmnKey(observation.sourcePlmn);
  const countryDiffers = vlrCountry !== null && observation.sourceCountry !== null && vlrCountry !== observation.sourceCountry;
  if (!networkDiffers && !countryDiffers) return null;
  return recordContribution(
    'gt-spoofing',
    observation,
    {
      rule: 'location update whose VLR GT maps to another network or country than the calling GT',
      explanation: `sent a location update naming VLR ${vlrGt}${vlrCountry ? ` (${vlrCountry})` : ''}, which is not in its own network; a genuine VLR registers subscribers under its own address`,
      vlrGt,
      vlrPlmn: vlr.plmn,
      vlrCountry,
      callingPlmn: observation.sourcePlmn,
      callingCountry: observation.sourceCountry,
    },
    subscriberHash,
  );
}

/** A Diameter ULR/AIR whose Visited-PLMN-Id is not the PLMN of its own Origin-Realm. */
export function visitedPlmnMismatch(observation: Observation, subscriberHash: number | null): Contribution | null {
  const { visitedPlmn } = observation;
  if (!observation.interconnect || observation.protocol !== 'DIAMETER') return null;
  if (observation.operation !== DIAMETER_CMD.ulr && observation.operation !== DIAMETER_CMD.air) return null;
  if (visitedPlmn === undefined || observation.sourcePlmn === null) return null;
  if (plmnKey(visitedPlmn) === plmnKey(observation.sourcePlmn)) return null;
  return recordContribution(
    'gt-spoofing',
    observation,
    {
      rule: 'Diameter ULR/AIR whose Visited-PLMN-Id differs from the PLMN of the Origin-Realm',
      explanation: `sent a Diameter request claiming visited network ${visitedPlmn} from a realm of ${observation.sourcePlmn}; a genuine MME only registers subscribers in its own network`,
      visitedPlmn,
      realmPlmn: observation.sourcePlmn,
    },
    subscriberHash,
  );
}

/**
 * A source established on one interconnect (≥ N transactions over ≥ M minutes) that suddenly arrives on another:
 * the same GT injected through a different carrier. The new ingress becomes the one tracked from then on.
 */
export function ingressSwitch(
  observation: Observation,
  entity: EntityState,
  context: RuleContext,
  subscriberHash: number | null,
): Contribution | null {
  const { ingress, count } = observation;
  if (!observation.interconnect || ingress === undefined) return null;
  if (entity.ingress === ingress) {
    entity.ingressTransactions += count;
    entity.ingressLast = Math.max(entity.ingressLast, observation.time);
    return null;
  }
  const { ingressMinTransactions, ingressMinMinutes } = context.config.gtSpoofing;
  const previous = entity.ingress;
  const established =
    previous !== undefined &&
    entity.ingressTransactions >= ingressMinTransactions &&
    entity.ingressLast - entity.ingressSince >= ingressMinMinutes * MINUTE_MS;
  const evidence = {
    rule: 'source established on one ingress arrived on another',
    explanation: `arrived on ingress "${ingress}" after ${entity.ingressTransactions} transactions over ${Math.round((entity.ingressLast - entity.ingressSince) / MINUTE_MS)} minutes on "${previous}"; the same address injected through another carrier suggests spoofing`,
    previousIngress: previous ?? null,
    newIngress: ingress,
    transactionsOnPrevious: entity.ingressTransactions,
    minutesOnPrevious: Math.round((entity.ingressLast - entity.ingressSince) / MINUTE_MS),
    thresholds: { transactions: ingressMinTransactions, minutes: ingressMinMinutes },
  };
  entity.ingress = ingress;
  entity.ingressTransactions = count;
  entity.ingressSince = observation.time;
  entity.ingressLast = observation.time;
  return established ? recordContribution('gt-spoofing', observation, evidence, subscriberHash) : null;
}
