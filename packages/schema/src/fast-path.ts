/**
 * A hand-written validator for the common case, SignallingSummarySchema remaining the definition.
 *
 * Why: zod's parser costs ~2–5 µs per record on the reference machine (2.3 µs even with `z.compile`), more than
 * JSON.parse itself; this costs a fraction of that. It returns the same output zod would (same keys, same
 * order, `time` normalised, `count` defaulted) or undefined, in which case the caller asks zod, so it can only
 * ever be wrong by accepting what zod rejects. test/fast-path.test.ts checks on random and boundary input that
 * it accepts exactly what zod accepts, with a byte-identical output.
 */
import { DNS_NAME_MAX_LENGTH, DNS_NAME_PATTERN, GT_PATTERN, PLMN_PATTERN, rfc3339ToEpochMs, SUBSCRIBER_PATTERN } from './formats.js';
import { DIRECTIONS, FIREWALL_VERDICTS, RESULTS, rfc3339Schema, type SignallingSummary } from './summary.js';

type JsonObject = Record<string, unknown>;
type Check = (value: unknown) => boolean;

// The very pattern zod checks, so the two cannot drift apart.
const RFC3339_PATTERN = rfc3339Schema.def.pattern as RegExp;
const DIRECTION_SET: ReadonlySet<unknown> = new Set(DIRECTIONS);
const RESULT_SET: ReadonlySet<unknown> = new Set(RESULTS);
const FIREWALL_SET: ReadonlySet<unknown> = new Set(FIREWALL_VERDICTS);

function isIntIn(value: unknown, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

const isInt: Check = (value) => Number.isSafeInteger(value);
const isSsn: Check = (value) => isIntIn(value, 0, 255);
const isPlmn: Check = (value) => typeof value === 'string' && PLMN_PATTERN.test(value);
const isGt: Check = (value) => typeof value === 'string' && GT_PATTERN.test(value);
const isDnsName: Check = (value) =>
  typeof value === 'string' && value.length <= DNS_NAME_MAX_LENGTH && DNS_NAME_PATTERN.test(value);
const isIngress: Check = (value) => typeof value === 'string' && value.length <= 64;
const isSubscriber: Check = (value) => typeof value === 'string' && SUBSCRIBER_PATTERN.test(value);

function eventTime(value: unknown): number | undefined {
  if (typeof value === 'string') return RFC3339_PATTERN.test(value) ? rfc3339ToEpochMs(value) : undefined;
  return Number.isSafeInteger(value) ? (value as number) : undefined;
}

function requiredCommon(input: JsonObject): JsonObject | undefined {
  if (input.schemaVersion !== 1) return undefined;
  const id = input.id;
  if (typeof id !== 'string' || id.length < 1 || id.length > 128) return undefined;
  const time = eventTime(input.time);
  if (time === undefined || !isPlmn(input.reporter)) return undefined;
  if (!DIRECTION_SET.has(input.direction) || !RESULT_SET.has(input.result)) return undefined;
  return { schemaVersion: 1, id, time, reporter: input.reporter, direction: input.direction, result: input.result };
}

// Straight-line code with literal property names: a loop over a table of field names made every load and store
// megamorphic and cost more than all the checks together. The order of the stores is the zod shape's order,
// which fixes the output's key order.
function addDiameterOptional(input: JsonObject, output: JsonObject): boolean {
  const { originHost, destinationRealm, visitedPlmn, idrFlags } = input;
  if (originHost !== undefined) {
    if (!isDnsName(originHost)) return false;
    output.originHost = originHost;
  }
  if (destinationRealm !== undefined) {
    if (!isDnsName(destinationRealm)) return false;
    output.destinationRealm = destinationRealm;
  }
  if (visitedPlmn !== undefined) {
    if (!isPlmn(visitedPlmn)) return false;
    output.visitedPlmn = visitedPlmn;
  }
  if (idrFlags !== undefined) {
    if (!isInt(idrFlags)) return false;
    output.idrFlags = idrFlags;
  }
  return true;
}

function addSccpOptional(input: JsonObject, output: JsonObject): boolean {
  const { callingSsn, calledSsn, ingress, subscriber, subscriberPlmn } = input;
  if (callingSsn !== undefined) {
    if (!isSsn(callingSsn)) return false;
    output.callingSsn = callingSsn;
  }
  if (calledSsn !== undefined) {
    if (!isSsn(calledSsn)) return false;
    output.calledSsn = calledSsn;
  }
  if (ingress !== undefined) {
    if (!isIngress(ingress)) return false;
    output.ingress = ingress;
  }
  if (subscriber !== undefined) {
    if (!isSubscriber(subscriber)) return false;
    output.subscriber = subscriber;
  }
  if (subscriberPlmn !== undefined) {
    if (!isPlmn(subscriberPlmn)) return false;
    output.subscriberPlmn = subscriberPlmn;
  }
  return true;
}

function addPayloadOptional(input: JsonObject, output: JsonObject): boolean {
  const { vlrGt, scAddress, errorCode, locationReturned, firewall } = input;
  if (vlrGt !== undefined) {
    if (!isGt(vlrGt)) return false;
    output.vlrGt = vlrGt;
  }
  if (scAddress !== undefined) {
    if (!isGt(scAddress)) return false;
    output.scAddress = scAddress;
  }
  if (errorCode !== undefined) {
    if (!isInt(errorCode)) return false;
    output.errorCode = errorCode;
  }
  if (locationReturned !== undefined) {
    if (typeof locationReturned !== 'boolean') return false;
    output.locationReturned = locationReturned;
  }
  if (firewall !== undefined) {
    if (!FIREWALL_SET.has(firewall)) return false;
    output.firewall = firewall;
  }
  return true;
}

function addCount(input: JsonObject, output: JsonObject): boolean {
  const count = input.count;
  if (count === undefined) output.count = 1;
  else if (isIntIn(count, 1, Number.MAX_SAFE_INTEGER)) output.count = count;
  else return false;
  return true;
}

function addProtocolFields(input: JsonObject, output: JsonObject): boolean {
  const { protocol, operation } = input;
  if (protocol === 'MAP' || protocol === 'CAP') {
    if (!isIntIn(operation, 0, 255) || !isGt(input.callingGt) || !isGt(input.calledGt)) return false;
      output.protocol = protocol;
    output.operation = operation;
    output.callingGt = input.callingGt;
    output.calledGt = input.calledGt;
    return true;
  }
  if (protocol !== 'DIAMETER') return false;
  if (!isIntIn(operation, 0, 16_777_215) || !isInt(input.application) || !isDnsName(input.originRealm)) return false;
  output.protocol = protocol;
  output.operation = operation;
  output.application = input.application;
  output.originRealm = input.originRealm;
  return true;
}

/** The validated record, or undefined when zod must decide (and explain). */
export function fastParseSummary(input: JsonObject): SignallingSummary | undefined {
  const output = requiredCommon(input);
  if (output === undefined) return undefined;
  if (!addDiameterOptional(input, output) || !addSccpOptional(input, output) || !addPayloadOptional(input, output)) {
    return undefined;
  }
  if (!addCount(input, output) || !addProtocolFields(input, output)) return undefined;
  return output as unknown as SignallingSummary;
}
