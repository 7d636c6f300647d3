/**
 * Outcome profiles: how often each kind of benign transaction succeeds, and with which error. Rates are in the
 * range operators report (a few per cent absent subscribers, under 1 % unknown subscribers), far from the 50 %
 * scanning-error ratio of detection-v1.md.
 */
import { DIAMETER_RESULT as DR, MAP_ERROR as ME } from './codes.js';
import { Alias, type Rng } from './prng.js';
import type { Result } from './record.js';

export interface Outcome {
  readonly result: Result;
  readonly errorCode: number | undefined;
}

function ok(): Outcome {
  return { result: 'ok', errorCode: undefined };
}
function err(code: number): Outcome {
  return { result: 'error', errorCode: code };
}
function other(result: Result): Outcome {
  return { result, errorCode: undefined };
}

function profile(entries: ReadonlyArray<readonly [Outcome, number]>): Alias<Outcome> {
  return new Alias(entries);
}

export const OUTCOMES = {
  updateLocation: profile([
    [ok(), 0.975],
    [err(ME.roamingNotAllowed), 0.012],
    [err(ME.unknownSubscriber), 0.003],
    [other('timeout'), 0.01],
  ]),
  mobility: profile([
    [ok(), 0.985],
    [err(ME.systemFailure), 0.005],
    [other('timeout'), 0.007],
    [other('reject'), 0.003],
  ]),
  sriSm: profile([
    [ok(), 0.93],
    [err(ME.absentSubscriberSM), 0.05],
    [err(ME.unknownSubscriber), 0.008],
    [err(ME.systemFailure), 0.002],
    [other('timeout'), 0.01],
  ]),
  mtFsm: profile([
    [ok(), 0.95],
    [err(ME.absentSubscriberSM), 0.02],
    [err(ME.subscriberBusyForMtSms), 0.01],
    [err(ME.smDeliveryFailure), 0.015],
    [other('timeout'), 0.005],
  ]),
  hlrToVlr: profile([
    [ok(), 0.985],
    [err(ME.systemFailure), 0.005],
    [other('reject'), 0.005],
    [other('timeout'), 0.005],
  ]),
  roamingNumber: profile([
    [ok(), 0.96],
    [err(ME.absentSubscriber), 0.03],
    [other('timeout'), 0.01],
  ]),
  subscriberInfo: profile([
    [ok(), 0.95],
    [err(ME.absentSubscriber), 0.04],
    [other('timeout'), 0.01],
  ]),
  interrogation: profile([
    [ok(), 0.96],
    [err(ME.systemFailure), 0.02],
    [other('timeout'), 0.02],
  ]),
  s6a: profile([
    [ok(), 0.978],
    [err(DR.roamingNotAllowed), 0.008],
    [err(DR.userUnknown), 0.004],
    [err(DR.unableToDeliver), 0.003],
    [other('timeout'), 0.007],
  ]),
  air: profile([
    [ok(), 0.97],
    [err(DR.authenticationDataUnavailable), 0.012],
    [err(DR.userUnknown), 0.004],
    [err(DR.roamingNotAllowed), 0.007],
    [other('timeout'), 0.007],
  ]),
  cap: profile([
    [ok(), 0.99],
    [other('abort'), 0.01],
  ]),
} as const;

export function outcome(rng: Rng, table: Alias<Outcome>): Outcome {
  return table.draw(rng);
}
