import type { Protocol, Result, SignallingSummary } from '@gtwatch/schema';

/** GSMA FS.11 (MAP) / FS.19-analogue (Diameter) category as defined in detection-v1.md; 0 = uncategorised. */
export type Category = 0 | 1 | 2 | 3;

export const DIAMETER_APP = {
  base: 0,
  cx: 16777216,
  sh: 16777217,
  s6a: 16777251,
  s13: 16777252,
  slg: 16777255,
  slh: 16777291,
} as const;

function expand(spec: ReadonlyArray<number | readonly [number, number]>): number[] {
  return spec.flatMap((item) => {
    if (typeof item === 'number') return [item];
    const [from, to] = item;
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

// MAP local operation codes are 0–255, so categories are one byte lookup per record.
const MAP_CATEGORY = new Uint8Array(256);
const MAP_CAT1 = expand([5, 6, 9, 20, 21, 22, 24, 25, 26, [28, 35], [39, 43], [50, 52], 55, 58, 62, 65, 68, 69, 71, 72, [76, 81], [84, 86]]);
const MAP_CAT2 = [3, 4, 7, 8, 18, 37, 60, 61, 70, 83];
const MAP_CAT3 = expand([2, [10, 14], 17, 19, 23, 44, 45, 46, 53, 56, 57, 59, 66, 67, 89]);
for (const op of MAP_CAT1) MAP_CATEGORY[op] = 1;
for (const op of MAP_CAT2) MAP_CATEGORY[op] = 2;
for (const op of MAP_CAT3) MAP_CATEGORY[op] = 3;

// Flags per MAP operation code, looked up once per record instead of hashing into sets.
const LOCATION_REVEALING = 1;
const LOCATION_UPDATING = 2;
const MAP_FLAGS = new Uint8Array(256);
for (const op of [22, 24, 58, 62, 70, 71, 83, 85]) MAP_FLAGS[op] = (MAP_FLAGS[op] ?? 0) | LOCATION_REVEALING;
for (const op of [2, 23]) MAP_FLAGS[op] = (MAP_FLAGS[op] ?? 0) | LOCATION_UPDATING;
const MAP_SCANNING_ERRORS = new Set([1, 5, 6, 27, 35, 36, 49]);
const DIAMETER_SCANNING_ERRORS = new Set([5001, 5420, 3002, 3003]);

export const MAP_OPS = {
  updateLocation: 2,
  updateGprsLocation: 23,
  mtForwardSm: 44,
  sriForSm: 45,
} as const;

export const DIAMETER_CMD = {
  ulr: 316,
  clr: 317,
  air: 318,
  idr: 319,
  dsr: 320,
  pur: 321,
  rsr: 322,
  nor: 323,
  plr: 8388620,
  rir: 8388622,
} as const;

// IDR-Flags bit 3 (EPS location) and bit 4 (current location): the Diameter equivalent of a PSI location query.
const IDR_LOCATION_FLAGS = 24;

function diameterCategory(application: number, command: number): Category {
  if (application === DIAMETER_APP.sh && command >= 306 && command <= 309) return 1;
  if (application === DIAMETER_APP.cx && command >= 300 && command <= 305) return 1;
  if (command === DIAMETER_CMD.plr || command === DIAMETER_CMD.rir) return 1;
  if (application !== DIAMETER_APP.base && application !== DIAMETER_APP.s6a && application !== DIAMETER_APP.s13) {
    return 1;
  }
  if (application === DIAMETER_APP.s6a) {
    switch (command) {
      case DIAMETER_CMD.clr:
      case DIAMETER_CMD.idr:
      case DIAMETER_CMD.dsr:
      case DIAMETER_CMD.rsr:
        return 2;
      case DIAMETER_CMD.ulr:
      case DIAMETER_CMD.air:
      case DIAMETER_CMD.pur:
      case DIAMETER_CMD.nor:
        return 3;
    }
  }
  return 0;
}

/**
 * CAP operation codes name different operations than MAP's (CAP 0 is InitialDP), and detection-v1.md lists MAP codes
 * only, so CAP records are uncategorised: they still count for scanning, volume and ingress checks.
 */
export function categoryOf(record: SignallingSummary): Category {
  return categoryOfOperation(record.protocol, record.operation, record.protocol === 'DIAMETER' ? record.application : 0);
}

export function isLocationRevealing(record: SignallingSummary): boolean {
  const diameter = record.protocol === 'DIAMETER';
  return revealsLocation(record.protocol, record.operation, diameter ? record.application : 0, diameter ? record.idrFlags : undefined);
}

export function isLocationUpdating(record: SignallingSummary): boolean {
  return updatesLocation(record.protocol, record.operation);
}

/** An answer that reveals whether a subscriber or node exists: what a scan is looking for. */
export function isScanningError(record: SignallingSummary): boolean {
  return revealsExistence(record.protocol, record.result, record.errorCode);
}

// The same four judgements on a record's fields already read: the enricher reads each field of a record once, because
// records come in many shapes (optional fields) and every property read on them is a megamorphic lookup.

/**
 * One number for a protocol and an operation code: operations are below 2^24 (the input contract), so the protocol's
 * index above them makes the key exact, and maps keyed by it need no string per record.
 */
export function operationKey(protocol: Protocol, operation: number): number {
  return (protocol === 'MAP' ? 0 : protocol === 'CAP' ? 1 : 2) * 0x1000000 + operation;
}

export function categoryOfOperation(protocol: Protocol, operation: number, application: number): Category {
  if (protocol === 'DIAMETER') return diameterCategory(application, operation);
  if (protocol === 'CAP') return 0;
  return (MAP_CATEGORY[operation] ?? 0) as Category;
}

export function revealsLocation(protocol: Protocol, operation: number, application: number, idrFlags: number | undefined): boolean {
  if (protocol !== 'DIAMETER') return protocol === 'MAP' && ((MAP_FLAGS[operation] ?? 0) & LOCATION_REVEALING) !== 0;
  if (operation === DIAMETER_CMD.idr) return ((idrFlags ?? 0) & IDR_LOCATION_FLAGS) !== 0;
  if (application === DIAMETER_APP.sh) return operation === 306;
  return operation === DIAMETER_CMD.plr || operation === DIAMETER_CMD.rir;
}

export function updatesLocation(protocol: Protocol, operation: number): boolean {
  if (protocol === 'DIAMETER') return operation === DIAMETER_CMD.ulr;
  return protocol === 'MAP' && ((MAP_FLAGS[operation] ?? 0) & LOCATION_UPDATING) !== 0;
}

export function revealsExistence(protocol: Protocol, result: Result, errorCode: number | undefined): boolean {
  if (result === 'ok' || errorCode === undefined) return false;
  return protocol === 'DIAMETER' ? DIAMETER_SCANNING_ERRORS.has(errorCode) : MAP_SCANNING_ERRORS.has(errorCode);
}

const MAP_NAMES: Record<number, string> = {
  2: 'updateLocation', 3: 'cancelLocation', 4: 'provideRoamingNumber', 5: 'noteSubscriberDataModified',
  6: 'resumeCallHandling', 7: 'insertSubscriberData', 8: 'deleteSubscriberData', 9: 'sendParameters',
  10: 'registerSS', 11: 'eraseSS', 12: 'activateSS', 13: 'deactivateSS', 14: 'interrogateSS',
  15: 'authenticationFailureReport', 17: 'registerPassword', 18: 'getPassword', 19: 'processUnstructuredSS-Data',
  20: 'releaseResources', 21: 'mt-ForwardSM-VGCS', 22: 'sendRoutingInfo', 23: 'updateGprsLocation',
  24: 'sendRoutingInfoForGprs', 25: 'failureReport', 26: 'noteMsPresentForGprs', 28: 'performHandover',
  29: 'sendEndSignal', 30: 'performSubsequentHandover', 31: 'provideSIWFSNumber', 32: 'sIWFSSignallingModify',
  33: 'processAccessSignalling', 34: 'forwardAccessSignalling', 35: 'noteInternalHandover', 36: 'cancelVcsgLocation',
  37: 'reset', 38: 'forwardCheckSS-Indication', 39: 'prepareGroupCall', 40: 'sendGroupCallEndSignal',
  41: 'processGroupCallSignalling', 42: 'forwardGroupCallSignalling', 43: 'checkIMEI', 44: 'mt-ForwardSM',
  45: 'sendRoutingInfoForSM', 46: 'mo-ForwardSM', 47: 'reportSM-DeliveryStatus', 48: 'noteSubscriberPresent',
  49: 'alertServiceCentreWithoutResult', 50: 'activateTraceMode', 51: 'deactivateTraceMode',
  52: 'traceSubscriberActivity', 53: 'updateVcsgLocation', 54: 'beginSubscriberActivity', 55: 'sendIdentification',
  56: 'sendAuthenticationInfo', 57: 'restoreData', 58: 'sendIMSI', 59: 'processUnstructuredSS-Request',
  60: 'unstructuredSS-Request', 61: 'unstructuredSS-Notify', 62: 'anyTimeSubscriptionInterrogation',
  63: 'informServiceCentre', 64: 'alertServiceCentre', 65: 'anyTimeModification', 66: 'readyForSM', 67: 'purgeMS',
  68: 'prepareHandover', 69: 'prepareSubsequentHandover', 70: 'provideSubscriberInfo', 71: 'anyTimeInterrogation',
  72: 'ss-InvocationNotification', 73: 'setReportingState', 74: 'statusReport', 75: 'remoteUserFree',
  76: 'registerCC-Entry', 77: 'eraseCC-Entry', 78: 'secureTransportClass1', 79: 'secureTransportClass2',
  80: 'secureTransportClass3', 81: 'secureTransportClass4', 83: 'provideSubscriberLocation',
  84: 'sendGroupCallInfo', 85: 'sendRoutingInfoForLCS', 86: 'subscriberLocationReport', 87: 'ist-Alert',
  88: 'ist-Command', 89: 'noteMM-Event',
};

const DIAMETER_NAMES: Record<number, string> = {
  257: 'Capabilities-Exchange', 280: 'Device-Watchdog', 300: 'User-Authorization', 301: 'Server-Assignment',
  302: 'Location-Info', 303: 'Multimedia-Auth', 304: 'Registration-Termination', 305: 'Push-Profile',
  306: 'User-Data', 307: 'Profile-Update', 308: 'Subscribe-Notifications', 309: 'Push-Notification',
  316: 'Update-Location', 317: 'Cancel-Location', 318: 'Authentication-Information', 319: 'Insert-Subscriber-Data',
  320: 'Delete-Subscriber-Data', 321: 'Purge-UE', 322: 'Reset', 323: 'Notify', 324: 'ME-Identity-Check',
  8388620: 'Provide-Location', 8388621: 'Location-Report', 8388622: 'LCS-Routing-Info',
};

export function operationName(protocol: SignallingSummary['protocol'], operation: number): string {
  if (protocol === 'CAP') return `cap-operation-${operation}`;
  const name = protocol === 'DIAMETER' ? DIAMETER_NAMES[operation] : MAP_NAMES[operation];
  return name ?? `${protocol === 'DIAMETER' ? 'command' : 'operation'}-${operation}`;
}
