/**
 * The simulated world: reporting operators, their roaming partners, SMS hubs, an allowlisted agreement, attacker
 * and near-miss sources, and subscriber populations. Every operator name is FICTIONAL; PLMN ids use real MCCs
 * (so that MCC → country works) with MNCs chosen for the simulation. The world is constant: it does not depend
 * on the seed, so reference data written once fits every run.
 */

export type TimeEncoding = { kind: 'epoch' } | { kind: 'rfc3339'; offsetMinutes: number };

/** One row of gt-ranges.csv. */
export interface GtRangeRow {
  readonly prefix: string;
  readonly plmn: string | null;
  readonly operator: string;
  readonly country: string;
  readonly leased: boolean;
}

/** One row of realms.csv (Diameter realms that do not encode a PLMN). */
export interface RealmRow {
  readonly realm: string;
  readonly plmn: string | null;
  readonly operator: string;
  readonly country: string;
}

/** One row of allowlist.csv. */
export interface AllowlistRow {
  readonly prefix: string;
  readonly reporter: string;
  readonly operations: readonly number[] | '*';
  /** Why the agreement exists (a comment in the CSV). */
  readonly note: string;
}

/** A mobile network with its node GTs and Diameter realm: a reporter or a roaming partner. */
export interface Network {
  readonly key: string;
  readonly name: string;
  readonly country: string;
  readonly plmn: string;
  /** The GT range of the operator's nodes (one gt-ranges.csv row). */
  readonly prefix: string;
  readonly hlrs: readonly string[];
  /** Combined MSC/VLR node GTs. */
  readonly vlrs: readonly string[];
  readonly sgsns: readonly string[];
  readonly gsmScf: string;
  readonly smsc: string;
  readonly realm: string;
  /** True when `realm` is not a 3GPP realm and must be listed in realms.csv. */
  readonly realmListed: boolean;
  /** Ingress label of all the operator's SS7 nodes as seen by the reporters. */
  readonly ingress: string;
  /** Ingress (Diameter peer) label of the operator's realm. */
  readonly diameterIngress: string;
}

export interface Partner extends Network {
  /** A second SMSC GT reserved for scripted (campaign or near-miss) traffic; never used by benign flows. */
  readonly spareSmsc: string;
}

export interface Reporter extends Network {
  /** Short tag used in record ids. */
  readonly tag: string;
  /** GMSC used for internal SendRoutingInfo (ingress `internalIngress`). */
  readonly gmscInternal: string;
  /** GMSC that sends SendRoutingInfo out to partners (a category-1 operation the reporter itself sends). */
  readonly gmscIntl: string;
  /** Ingress label of internal (own-network) signalling towards the monitoring point. */
  readonly internalIngress: string;
  /** Share of the benign volume. */
  readonly weight: number;
  readonly timeMap: TimeEncoding;
  readonly timeDiameter: TimeEncoding;
  /** Whether records carry a `firewall` verdict (the reporter runs a signalling firewall in monitor mode). */
  readonly firewall: boolean;
  /** Whether every record carries `count` explicitly (others omit it when it is 1). */
  readonly explicitCount: boolean;
  /** Own subscriber index space: [0, outboundRoamers) roam abroad, [homeStart, homeEnd) stay home. */
  readonly outboundRoamers: number;
  readonly homeStart: number;
  readonly homeEnd: number;
  /** Inbound roamers per partner network (index space per partner). */
  readonly inboundRoamersPerPartner: number;
  /** Where outbound roamers go, by partner key. */
  readonly roamingTo: Readonly<Record<string, number>>;
  /** Where inbound roamers come from, by partner key. */
  readonly roamersFrom: Readonly<Record<string, number>>;
  /** Partners whose HLRs the international GMSC queries with SendRoutingInfo (at most 2 countries). */
  readonly sriOutTo: readonly string[];
}

export interface Hub {
  readonly key: string;
  readonly name: string;
  readonly country: string;
  readonly prefix: string;
  readonly gts: readonly string[];
  readonly ingress: string;
}

/** A source used only by scripted traffic (attack campaigns, near misses, agreements). */
export interface ScriptedSource {
  readonly entity: string;
  readonly entityType: 'gt' | 'realm';
  readonly ingress: string;
  /** Country of the source, for documentation and tests. */
  readonly country: string;
  /** PLMN of the source when the reference data (or the realm) gives one. */
  readonly plmn: string | null;
  readonly description: string;
}

export interface World {
  readonly reporters: readonly Reporter[];
  readonly partners: readonly Partner[];
  readonly hubs: readonly Hub[];
  readonly gtRanges: readonly GtRangeRow[];
  readonly realms: readonly RealmRow[];
  readonly allowlist: readonly AllowlistRow[];
  /** Named sources of scripted traffic (see campaigns.ts). */
  readonly sources: Readonly<Record<ScriptedSourceKey, ScriptedSource>>;
}

export type ScriptedSourceKey =
  | 'cat1Map'
  | 'cat1Diameter'
  | 'cat2Own'
  | 'cat2Roamer'
  | 'velocity'
  | 'harvesting'
  | 'scanningMap'
  | 'scanningDiameter'
  | 'spoofVlr'
  | 'spoofVisitedPlmn'
  | 'spoofIngress'
  | 'leasedRange'
  | 'leasingCountries'
  | 'volume'
  | 'nearHarvestCount'
  | 'nearHarvestRatio'
  | 'nearScanning'
  | 'nearIngress'
  | 'nearLeasing'
  | 'nearVolume'
  | 'allowedAti'
  | 'allowedTasman';

/** `epc.mncXXX.mccYYY.3gppnetwork.org` of a PLMN id (MNC zero-padded to three digits). */
export function realmOf(plmn: string): string {
  const [mcc, mnc] = plmn.split('-');
  return `epc.mnc${(mnc ?? '').padStart(3, '0')}.mcc${mcc}.3gppnetwork.org`;
}

/** GT of node `n` in a range: the prefix followed by n, zero-padded to `length` digits in total. */
function node(prefix: string, n: number, length: number): string {
  return prefix + String(n).padStart(length - prefix.length, '0');
}

interface NetworkSpec {
  key: string;
  name: string;
  country: string;
  plmn: string;
  prefix: string;
  length: number;
  ingress: string;
  diameterIngress: string;
  realm?: string;
}

function network(spec: NetworkSpec): Network {
  const n = (i: number): string => node(spec.prefix, i, spec.length);
  return {
    key: spec.key,
    name: spec.name,
    country: spec.country,
    plmn: spec.plmn,
    prefix: spec.prefix,
    hlrs: [n(101), n(102)],
    vlrs: [n(201), n(202), n(203)],
    sgsns: [n(301)],
    gsmScf: n(401),
    smsc: n(501),
    realm: spec.realm ?? realmOf(spec.plmn),
    realmListed: spec.realm !== undefined,
    ingress: spec.ingress,
    diameterIngress: spec.diameterIngress,
  };
}

function partner(spec: NetworkSpec): Partner {
  return { ...network(spec), spareSmsc: node(spec.prefix, 502, spec.length) };
}

const Z: TimeEncoding = { kind: 'rfc3339', offsetMinutes: 0 };
const EPOCH: TimeEncoding = { kind: 'epoch' };

const PARTNERS: readonly Partner[] = [
  partner({
    key: 'de',
    name: 'Rheinland Funk (fictional)',
    country: 'DE',
    plmn: '262-02',
    prefix: '4917200',
    length: 12,
    ingress: 'ipx-carrier-a',
    diameterIngress: 'dea-ipx-a',
  }),
  partner({
    key: 'fr',
    name: 'Gaule Telecom (fictional)',
    country: 'FR',
    plmn: '208-10',
    prefix: '3361000',
    length: 12,
    ingress: 'ipx-carrier-a',
    diameterIngress: 'dea-ipx-a',
  }),
  partner({
    key: 'es',
    name: 'Meseta Movil (fictional)',
    country: 'ES',
    plmn: '214-03',
    prefix: '3465600',
    length: 12,
    ingress: 'ipx-carrier-b',
    diameterIngress: 'dea-ipx-b',
  }),
  partner({
    key: 'in',
    name: 'Deccan Cellular (fictional)',
    country: 'IN',
    plmn: '404-45',
    prefix: '9198450',
    length: 12,
    ingress: 'ipx-carrier-c',
    diameterIngress: 'dea-ipx-c',
  }),
  partner({
    key: 'za',
    name: 'Highveld Cellular (fictional)',
    country: 'ZA',
    plmn: '655-07',
    prefix: '2784000',
    length: 12,
    ingress: 'ipx-carrier-c',
    diameterIngress: 'dea-ipx-c',
  }),
  partner({
    key: 'br',
    name: 'Cerrado Celular (fictional)',
    country: 'BR',
    plmn: '724-05',
    prefix: '5511970',
    length: 12,
    ingress: 'ipx-carrier-b',
    diameterIngress: 'dea-ipx-b',
  }),
  partner({
    key: 'jp',
    name: 'Sakura Mobile (fictional)',
    country: 'JP',
    plmn: '440-20',
    prefix: '8190200',
    length: 12,
    ingress: 'ipx-carrier-c',
    diameterIngress: 'dea-ipx-c',
    realm: 'diameter.sakura-mobile.example',
  }),
  partner({
    key: 'mx',
    name: 'Sierra Madre Movil (fictional)',
    country: 'MX',
    plmn: '334-020',
    prefix: '5255100',
    length: 12,
    ingress: 'ipx-carrier-b',
    diameterIngress: 'dea-ipx-b',
  }),
];

interface ReporterSpec extends NetworkSpec {
  tag: string;
  weight: number;
  timeMap: TimeEncoding;
  timeDiameter: TimeEncoding;
  firewall: boolean;
  explicitCount: boolean;
  subscribers: number;
  outboundRoamers: number;
  inboundRoamersPerPartner: number;
  roamingTo: Record<string, number>;
  roamersFrom: Record<string, number>;
  sriOutTo: string[];
}

/** Dedicated own-subscriber indices after the outbound roamer pool: velocity victims and the near-miss traveller. */
export const DEDICATED_SUBSCRIBERS = 64;

function reporter(spec: ReporterSpec): Reporter {
  const base = network(spec);
  const n = (i: number): string => node(spec.prefix, i, spec.length);
  return {
    ...base,
    tag: spec.tag,
    gmscInternal: n(601),
    gmscIntl: n(602),
    internalIngress: 'core-stp-1',
    weight: spec.weight,
    timeMap: spec.timeMap,
    timeDiameter: spec.timeDiameter,
    firewall: spec.firewall,
    explicitCount: spec.explicitCount,
    outboundRoamers: spec.outboundRoamers,
    homeStart: spec.outboundRoamers + DEDICATED_SUBSCRIBERS,
    homeEnd: spec.subscribers,
    inboundRoamersPerPartner: spec.inboundRoamersPerPartner,
    roamingTo: spec.roamingTo,
    roamersFrom: spec.roamersFrom,
    sriOutTo: spec.sriOutTo,
  };
}

const REPORTERS: readonly Reporter[] = [
  reporter({
    key: 'gb',
    tag: 'gb15',
    name: 'Britannia Mobile (fictional)',
    country: 'GB',
    plmn: '234-15',
    prefix: '4478360',
    length: 12,
    ingress: 'intl-stp-1',
    diameterIngress: 'dea-1',
    weight: 0.27,
    timeMap: Z,
    timeDiameter: EPOCH,
    firewall: true,
    explicitCount: false,
    subscribers: 18_000_000,
    outboundRoamers: 40_000,
    inboundRoamersPerPartner: 20_000,
    roamingTo: {
      es: 0.28,
      fr: 0.22,
      de: 0.2,
      in: 0.1,
      za: 0.05,
      jp: 0.05,
      br: 0.04,
      mx: 0.06,
    },
    roamersFrom: {
      de: 0.22,
      fr: 0.22,
      es: 0.18,
      in: 0.14,
      za: 0.06,
      jp: 0.07,
      br: 0.05,
      mx: 0.06,
    },
    sriOutTo: ['fr', 'es'],
  }),
  reporter({
    key: 'us',
    tag: 'us410',
    name: 'Prairie Wireless (fictional)',
    country: 'US',
    plmn: '310-410',
    prefix: '1312555',
    length: 11,
    ingress: 'intl-stp-1',
    diameterIngress: 'dea-1',
    weight: 0.3,
    timeMap: EPOCH,
    timeDiameter: EPOCH,
    firewall: false,
    explicitCount: true,
    subscribers: 60_000_000,
    outboundRoamers: 60_000,
    inboundRoamersPerPartner: 30_000,
    roamingTo: {
      mx: 0.35,
      jp: 0.12,
      de: 0.12,
      fr: 0.12,
      es: 0.1,
      br: 0.08,
      in: 0.06,
      za: 0.05,
    },
    roamersFrom: {
      mx: 0.33,
      jp: 0.13,
      de: 0.12,
      fr: 0.1,
      es: 0.08,
      br: 0.1,
      in: 0.1,
      za: 0.04,
    },
    sriOutTo: ['mx', 'jp'],
  }),
  reporter({
    key: 'ca',
    tag: 'ca720',
    name: 'Laurentian Wireless (fictional)',
    country: 'CA',
    plmn: '302-720',
    prefix: '1604555',
    length: 11,
    ingress: 'intl-stp-1',
    diameterIngress: 'dea-1',
    weight: 0.14,
    timeMap: { kind: 'rfc3339', offsetMinutes: -480 },
    timeDiameter: { kind: 'rfc3339', offsetMinutes: -480 },
    firewall: false,
    explicitCount: false,
    subscribers: 9_000_000,
    outboundRoamers: 20_000,
    inboundRoamersPerPartner: 10_000,
    roamingTo: {
      mx: 0.3,
      fr: 0.2,
      es: 0.12,
      de: 0.12,
      jp: 0.1,
      br: 0.06,
      in: 0.06,
      za: 0.04,
    },
    roamersFrom: {
      mx: 0.2,
      fr: 0.2,
      de: 0.12,
      es: 0.1,
      jp: 0.12,
      br: 0.08,
      in: 0.14,
      za: 0.04,
    },
    sriOutTo: ['mx', 'fr'],
  }),
  reporter({
    key: 'au',
    tag: 'au01',
    name: 'Southern Cross Telecom (fictional)',
    country: 'AU',
    plmn: '505-01',
    prefix: '6141800',
    length: 12,
    ingress: 'intl-stp-1',
    diameterIngress: 'dea-1',
    weight: 0.17,
    timeMap: { kind: 'rfc3339', offsetMinutes: 660 },
    timeDiameter: EPOCH,
    firewall: false,
    explicitCount: false,
    subscribers: 15_000_000,
    outboundRoamers: 25_000,
    inboundRoamersPerPartner: 12_000,
    roamingTo: {
      jp: 0.22,
      in: 0.2,
      za: 0.1,
      de: 0.12,
      fr: 0.12,
      es: 0.1,
      br: 0.06,
      mx: 0.08,
    },
    roamersFrom: {
      jp: 0.2,
      in: 0.22,
      za: 0.1,
      de: 0.14,
      fr: 0.1,
      es: 0.08,
      br: 0.06,
      mx: 0.1,
    },
    sriOutTo: ['jp', 'in'],
  }),
  reporter({
    key: 'nz',
    tag: 'nz01',
    name: 'Kiwi Wave Mobile (fictional)',
    country: 'NZ',
    plmn: '530-01',
    prefix: '642100',
    length: 11,
    ingress: 'intl-stp-1',
    diameterIngress: 'dea-1',
    weight: 0.12,
    timeMap: { kind: 'rfc3339', offsetMinutes: 780 },
    timeDiameter: { kind: 'rfc3339', offsetMinutes: 780 },
    firewall: false,
    explicitCount: false,
    subscribers: 2_500_000,
    outboundRoamers: 8_000,
    inboundRoamersPerPartner: 5_000,
    roamingTo: {
      jp: 0.25,
      in: 0.12,
      za: 0.1,
      de: 0.13,
      fr: 0.13,
      es: 0.1,
      br: 0.07,
      mx: 0.1,
    },
    roamersFrom: {
      jp: 0.22,
      in: 0.14,
      za: 0.08,
      de: 0.16,
      fr: 0.12,
      es: 0.1,
      br: 0.06,
      mx: 0.12,
    },
    sriOutTo: ['jp', 'za'],
  }),
];

const HUBS: readonly Hub[] = [
  {
    key: 'ch-hub',
    name: 'Alpine Messaging Hub AG (fictional)',
    country: 'CH',
    prefix: '4179000',
    gts: ['417900000101', '417900000102', '417900000103'],
    ingress: 'ipx-carrier-d',
  },
  {
    key: 'lu-hub',
    name: 'Ardennes Interworking SA (fictional)',
    country: 'LU',
    prefix: '35269100',
    gts: ['352691000101', '352691000102', '352691000103'],
    ingress: 'ipx-carrier-e',
  },
];

function byKey<T extends { key: string }>(items: readonly T[], key: string): T {
  const item = items.find((candidate) => candidate.key === key);
  if (item === undefined) throw new Error(`unknown key ${key}`);
  return item;
}

export function partnerByKey(world: World, key: string): Partner {
  return byKey(world.partners, key);
}

export function reporterByKey(world: World, key: string): Reporter {
  return byKey(world.reporters, key);
}

function gtSource(
  entity: string,
  ingress: string,
  country: string,
  plmn: string | null,
  description: string,
): ScriptedSource {
  return { entity, entityType: 'gt', ingress, country, plmn, description };
}

function realmSource(
  entity: string,
  ingress: string,
  country: string,
  plmn: string,
  description: string,
): ScriptedSource {
  return { entity, entityType: 'realm', ingress, country, plmn, description };
}

function buildSources(): Record<ScriptedSourceKey, ScriptedSource> {
  const de = byKey(PARTNERS, 'de');
  const es = byKey(PARTNERS, 'es');
  const fr = byKey(PARTNERS, 'fr');
  const nz = byKey(REPORTERS, 'nz');
  return {
    cat1Map: gtSource(
      '2250760000123',
      'ipx-carrier-f',
      'CI',
      '612-03',
      'location tracking: SendIMSI, ATI, SRI from a foreign GT',
    ),
    cat1Diameter: realmSource(
      'epc.mnc099.mcc470.3gppnetwork.org',
      'dea-ipx-f',
      'BD',
      '470-99',
      'Sh UDR and SLg PLR from a foreign realm',
    ),
    cat2Own: gtSource('371290000777', 'ipx-carrier-f', 'LV', '247-09', 'ISD, DSD, PSI, PSL against own subscribers'),
    cat2Roamer: gtSource(
      '6285600012345',
      'ipx-carrier-g',
      'ID',
      null,
      'PSI, ISD, CL against inbound roamers from a network that is not their home (unlisted range)',
    ),
    velocity: gtSource(
      '639170000201',
      'ipx-carrier-g',
      'PH',
      '515-66',
      'UpdateLocation hijack minutes after a genuine one in Europe',
    ),
    harvesting: gtSource('2250760000456', 'ipx-carrier-f', 'CI', '612-03', 'SRI-SM sweep without MT-ForwardSM'),
    scanningMap: gtSource(
      '96550012345',
      'ipx-carrier-g',
      'KW',
      null,
      'SRI-SM scan with mostly unknown-subscriber errors (unlisted range)',
    ),
    scanningDiameter: realmSource(
      'epc.mnc050.mcc419.3gppnetwork.org',
      'dea-ipx-f',
      'KW',
      '419-50',
      'AIR scan with mostly user-unknown results',
    ),
    spoofVlr: gtSource(
      '385980000311',
      'ipx-carrier-f',
      'HR',
      '219-05',
      'UpdateLocation naming a German VLR from a Croatian GT',
    ),
    spoofVisitedPlmn: realmSource(
      'epc.mnc077.mcc510.3gppnetwork.org',
      'dea-ipx-g',
      'ID',
      '510-77',
      'AIR/ULR with a Visited-PLMN-Id of another network',
    ),
    spoofIngress: gtSource(
      es.spareSmsc,
      es.ingress,
      'ES',
      es.plmn,
      'a partner SMSC GT that suddenly arrives on another carrier',
    ),
    leasedRange: gtSource(
      '447893699015',
      'ipx-carrier-g',
      'GB',
      '234-57',
      'ATI and SRI from a range leased to a third party',
    ),
    leasingCountries: gtSource(
      '423790000050',
      'ipx-carrier-f',
      'LI',
      '295-77',
      'PSI on inbound roamers of eight home countries',
    ),
    volume: gtSource('659100000088', 'ipx-carrier-g', 'SG', '525-09', 'A2P MT-ForwardSM flood after a steady baseline'),
    nearHarvestCount: gtSource(
      '372560000101',
      'ipx-carrier-e',
      'EE',
      '248-07',
      'HLR lookup service: 80 SRI-SM without MT-ForwardSM',
    ),
    nearHarvestRatio: gtSource(
      '372560000102',
      'ipx-carrier-e',
      'EE',
      '248-07',
      'HLR lookup service: 150 SRI-SM with 30% MT-ForwardSM',
    ),
    nearScanning: gtSource('351960000101', 'ipx-carrier-e', 'PT', '268-09', 'bulk SMS with 40% absent subscribers'),
    nearIngress: gtSource(
      de.spareSmsc,
      de.ingress,
      'DE',
      de.plmn,
      'partner SMSC that changes carrier after only 80 transactions',
    ),
    nearLeasing: gtSource(
      '352691009901',
      'ipx-carrier-e',
      'LU',
      null,
      'allowlisted location service: PSI on roamers of four home countries',
    ),
    nearVolume: gtSource(
      '467090000101',
      'ipx-carrier-d',
      'SE',
      '240-42',
      'IoT platform: steady device triggers, one burst of 190',
    ),
    // Dedicated gsmSCF GTs (node 402) so that no other flow shares the entity or its ingress.
    allowedAti: gtSource(
      node(fr.prefix, 402, 12),
      fr.ingress,
      'FR',
      fr.plmn,
      'bilateral agreement: ATI to Britannia Mobile',
    ),
    allowedTasman: gtSource(
      node(nz.prefix, 402, 11),
      'ipx-carrier-c',
      'NZ',
      nz.plmn,
      'bilateral agreement: ATI and PSI to Southern Cross Telecom',
    ),
  };
}

function buildGtRanges(): GtRangeRow[] {
  const rows: GtRangeRow[] = [];
  for (const r of REPORTERS)
    rows.push({
      prefix: r.prefix,
      plmn: r.plmn,
      operator: r.name,
      country: r.country,
      leased: false,
    });
  for (const p of PARTNERS)
    rows.push({
      prefix: p.prefix,
      plmn: p.plmn,
      operator: p.name,
      country: p.country,
      leased: false,
    });
  for (const h of HUBS)
    rows.push({
      prefix: h.prefix,
      plmn: null,
      operator: h.name,
      country: h.country,
      leased: false,
    });
  rows.push(
    {
      prefix: '22507600',
      plmn: '612-03',
      operator: 'Lagune Telecom (fictional)',
      country: 'CI',
      leased: false,
    },
    {
      prefix: '3712900',
      plmn: '247-09',
      operator: 'Baltic Relay (fictional)',
      country: 'LV',
      leased: false,
    },
    {
      prefix: '6391700',
      plmn: '515-66',
      operator: 'Visayas Telecom (fictional)',
      country: 'PH',
      leased: false,
    },
    {
      prefix: '3859800',
      plmn: '219-05',
      operator: 'Adriatic Mobile (fictional)',
      country: 'HR',
      leased: false,
    },
    {
      prefix: '4478936',
      plmn: '234-57',
      operator: 'Thistle Telecom (fictional)',
      country: 'GB',
      leased: false,
    },
    {
      prefix: '447893699',
      plmn: '234-57',
      operator: 'Orbital Signalling Services (fictional; leased from Thistle Telecom)',
      country: 'GB',
      leased: true,
    },
    {
      prefix: '4237900',
      plmn: '295-77',
      operator: 'Alpen Location Services (fictional)',
      country: 'LI',
      leased: false,
    },
    {
      prefix: '6591000',
      plmn: '525-09',
      operator: 'Lion City A2P (fictional)',
      country: 'SG',
      leased: false,
    },
    {
      prefix: '3725600',
      plmn: '248-07',
      operator: 'NumberCheck OU (fictional)',
      country: 'EE',
      leased: false,
    },
    {
      prefix: '3519600',
      plmn: '268-09',
      operator: 'Tagus A2P (fictional)',
      country: 'PT',
      leased: false,
    },
    {
      prefix: '4670900',
      plmn: '240-42',
      operator: 'Nordic IoT Connect (fictional)',
      country: 'SE',
      leased: false,
    },
  );
  return rows;
}

function buildRealms(): RealmRow[] {
  return PARTNERS.filter((p) => p.realmListed).map((p) => ({
    realm: p.realm,
    plmn: p.plmn,
    operator: p.name,
    country: p.country,
  }));
}

function buildAllowlist(sources: Record<ScriptedSourceKey, ScriptedSource>): AllowlistRow[] {
  const gb = byKey(REPORTERS, 'gb');
  const au = byKey(REPORTERS, 'au');
  return [
    {
      prefix: sources.allowedAti.entity,
      reporter: gb.plmn,
      operations: [71],
      note: 'Gaule Telecom gsmSCF may send ATI to Britannia Mobile (VPN service)',
    },
    {
      prefix: sources.allowedTasman.entity,
      reporter: au.plmn,
      operations: [70, 71],
      note: 'Kiwi Wave gsmSCF may send PSI and ATI to Southern Cross (trans-Tasman agreement)',
    },
    {
      prefix: sources.nearLeasing.entity,
      reporter: gb.plmn,
      operations: [70],
      note: 'Ardennes location service may send PSI to Britannia Mobile (emergency location)',
    },
  ];
}

let cached: World | undefined;

/** The simulated world (constant, built once). */
export function buildWorld(): World {
  if (cached === undefined) {
    const sources = buildSources();
    cached = {
      reporters: REPORTERS,
      partners: PARTNERS,
      hubs: HUBS,
      gtRanges: buildGtRanges(),
      realms: buildRealms(),
      allowlist: buildAllowlist(sources),
      sources,
    };
  }
  return cached;
}

/** Longest-prefix lookup of a GT in the world's ranges (for tests and documentation; not on the hot path). */
export function rangeOfGt(world: World, gt: string): GtRangeRow | undefined {
  let best: GtRangeRow | undefined;
  for (const row of world.gtRanges) {
    if (gt.startsWith(row.prefix) && (best === undefined || row.prefix.length > best.prefix.length)) best = row;
  }
  return best;
}
