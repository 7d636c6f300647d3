/**
 * The project's tables. Portable DDL only: it must run unchanged on Debian's ClickHouse 18.16 and on current
 * servers, so no TTL, CODEC, DateTime64, LowCardinality, Map, SimpleAggregateFunction, IPv4/IPv6 or
 * `ADD COLUMN IF NOT EXISTS`. `{db}` is replaced with the quoted database name when a migration runs.
 *
 * Every table is a `ReplacingMergeTree(version)` whose sort key identifies one fact, so a replayed batch (a retried
 * insert, a consumer re-reading from its committed offset, a scorer rebuilding its windows) writes rows that collapse
 * into one on merge. Read with `FINAL` (or `argMax(…, version) … GROUP BY` the key) for exact answers before merges.
 */

export const TABLES = {
  schemaMigrations: 'schema_migrations',
  trafficMinute: 'traffic_minute',
  trafficHour: 'traffic_hour',
  entityScores: 'entity_scores',
  alerts: 'alerts',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];

// Enum8 literals shared by the DDL and the row schemas; keep each list in step with its @gtwatch/schema source.
export const ENTITY_TYPE_ENUM = "Enum8('gt' = 1, 'realm' = 2)";
export const PROTOCOL_ENUM = "Enum8('MAP' = 1, 'CAP' = 2, 'DIAMETER' = 3)";
export const SEVERITY_ENUM = "Enum8('low' = 1, 'medium' = 2, 'high' = 3, 'critical' = 4)";
/** The alert statuses of migration 3, frozen: an applied migration's text must never change (its checksum is kept). */
const ALERT_STATUS_ENUM_V3 = "Enum8('open' = 1, 'update' = 2, 'resolved' = 3)";
/** Since migration 4: operators' withdrawals of false positives (`gtwatch alerts withdraw`). */
export const ALERT_STATUS_ENUM = "Enum8('open' = 1, 'update' = 2, 'resolved' = 3, 'withdrawn' = 4)";
export const TLP_ENUM = "Enum8('clear' = 1, 'green' = 2, 'amber' = 3, 'amber+strict' = 4, 'red' = 5)";

export const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS {db}.schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
)
ENGINE = ReplacingMergeTree()
ORDER BY (version, checksum)
SETTINGS index_granularity = 8192`;

/**
 * Per source entity × minute × reporter × operation. `subscribers` is the producer's distinct count for that minute
 * (distinct counts do not add up across rows: sum them only as an upper bound). `errors` counts results other than
 * `ok`, `late` the records scored after the allowed lateness. `category` is the FS.11/FS.19 category (0 = none).
 * The sort key has no `entity_type`: GT digits and Diameter realms never share a protocol, and `protocol` is in it.
 */
export const TRAFFIC_MINUTE_DDL = `CREATE TABLE IF NOT EXISTS {db}.traffic_minute
(
    minute          DateTime,
    reporter        String,
    entity_type     ${ENTITY_TYPE_ENUM},
    entity          String,
    protocol        ${PROTOCOL_ENUM},
    operation       UInt32,
    transactions    UInt64,
    errors          UInt64,
    scanning_errors UInt64,
    subscribers     UInt32,
    late            UInt64,
    source_country  String,
    source_plmn     String,
    source_operator String,
    leased          UInt8,
    category        UInt8,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(minute)
ORDER BY (entity, minute, reporter, protocol, operation)
SETTINGS index_granularity = 8192`;

/**
 * Per source entity × minute × pattern: the pattern's score and severity for the entity in that minute, the alert it
 * feeds (`alert_id`, '' when none) and whether that alert is open. An entity's overall score in a minute is the
 * `max(score)` over its patterns; its open alerts are `sum(alert_open)`.
 */
export const ENTITY_SCORES_DDL = `CREATE TABLE IF NOT EXISTS {db}.entity_scores
(
    minute          DateTime,
    entity_type     ${ENTITY_TYPE_ENUM},
    entity          String,
    pattern         String,
    score           UInt8,
    severity        ${SEVERITY_ENUM},
    category        UInt8,
    alert_id        String,
    alert_open      UInt8,
    transactions    UInt64,
    subscribers     UInt32,
    source_country  String,
    source_plmn     String,
    source_operator String,
    leased          UInt8,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(minute)
ORDER BY (entity, minute, pattern)
SETTINGS index_granularity = 8192`;

/**
 * One row per alert event (CloudEvent). Event ids are unique and deterministic, so a replayed event has the same
 * (alert_id, event_id) and collapses. `sequence` orders an alert's events (event time in ms × 4 + status rank) for
 * `argMax`; `event_time` is the CloudEvent `time` in whole seconds. Nullable source fields are stored as ''.
 * Partitioned by month: alerts are few, and a replayed event keeps its event_time and so its partition.
 */
export const ALERTS_DDL = `CREATE TABLE IF NOT EXISTS {db}.alerts
(
    alert_id           String,
    event_id           String,
    event_source       String,
    type               String,
    status             ${ALERT_STATUS_ENUM_V3},
    pattern            String,
    category           Nullable(UInt8),
    severity           ${SEVERITY_ENUM},
    score              UInt8,
    tlp                ${TLP_ENUM},
    subject            String,
    source_type        ${ENTITY_TYPE_ENUM},
    source_id          String,
    source_country     String,
    source_plmn        String,
    source_operator    String,
    source_leased      UInt8,
    victim_plmns       Array(String),
    victim_countries   Array(String),
    victim_subscribers UInt32,
    reporters          Array(String),
    jurisdictions      Array(String),
    cross_border       UInt8,
    first_seen         DateTime,
    last_seen          DateTime,
    event_time         DateTime,
    sequence           UInt64,
    count              UInt64,
    operations         String,
    evidence           String,
    explanation        String,
    version            UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(event_time)
ORDER BY (alert_id, event_id)
SETTINGS index_granularity = 8192`;

/** Adding an Enum8 value is a metadata-only change on 18.16 and on current servers. */
export const ALERTS_STATUS_WITHDRAWN_DDL = `ALTER TABLE {db}.alerts MODIFY COLUMN status ${ALERT_STATUS_ENUM}`;

/**
 * `traffic_minute` summed per source entity × hour × reporter × protocol, recomputed from it (`rollupHours`, never
 * a materialized view: an MV sums each inserted block, so a replayed batch would count twice). It is what rankings
 * and totals over hours read, so it keeps only the dimensions they filter on: no `operation` (and so no `category`,
 * which belongs to the operation) — per-operation breakdowns are per source and read `traffic_minute`, whose sort key
 * starts with the entity. Without the operation an hour holds ~10× fewer rows than its minutes.
 *
 * Each rollup of an hour writes a complete *snapshot* of that hour — every row with the same `version` (see
 * rollup.ts) — and readers take, per hour, only the rows of its newest snapshot (`latestHourSnapshot`). That is
 * what makes the table exact:
 *
 * - the source attributes (country, PLMN, operator, leased, type) are part of the grouping and of the sort key, so a
 *   filter on them (`source_country = …`) selects exactly the minute rows it selects in `traffic_minute`, even when
 *   an entity's attributes changed within the hour;
 * - a row of an older snapshot whose key is absent from the newer one (e.g. the attributes changed on replay) is
 *   ignored by readers instead of being added; rows of the same key collapse on merge like any ReplacingMergeTree.
 *
 * `subscribers` is the largest per-minute distinct count among the hour's minute rows of that key: distinct counts
 * do not add across minutes or operations, so it is a lower bound of the hour's distinct subscribers, never a sum.
 * `last_minute` is the latest minute of those rows, so "the attributes as of a source's latest minute" can be read
 * from hours (argMax by it) and agree with the minute table.
 */
export const TRAFFIC_HOUR_DDL = `CREATE TABLE IF NOT EXISTS {db}.traffic_hour
(
    hour            DateTime,
    reporter        String,
    entity_type     ${ENTITY_TYPE_ENUM},
    entity          String,
    protocol        ${PROTOCOL_ENUM},
    source_country  String,
    source_plmn     String,
    source_operator String,
    leased          UInt8,
    transactions    UInt64,
    errors          UInt64,
    scanning_errors UInt64,
    subscribers     UInt32,
    late            UInt64,
    last_minute     DateTime,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (entity, hour, reporter, protocol, source_country, source_plmn, source_operator, leased, entity_type)
SETTINGS index_granularity = 8192`;
