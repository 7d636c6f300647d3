// Lookup throughput on one core. Run `npm run bench` in packages/numbering (builds dist/ first).
// Inputs are fresh string copies, as strings decoded from records would be, so no string hash is cached.
const importStart = performance.now();
const { countryOfGt, createNumbering, distanceKm, loadReferenceData, loadReferenceDataFromStrings, EXAMPLE_REFERENCE_DIR } =
  await import('../dist/index.js');
const importMs = performance.now() - importStart;
const { DigitTrie } = await import('../dist/digit-trie.js');
const { countryOfGtUncached } = await import('../dist/e164.js');
const loadStart = performance.now();
createNumbering(loadReferenceData(EXAMPLE_REFERENCE_DIR));
const loadMs = performance.now() - loadStart;

const DISTINCT_GTS = 20_000;
const CALLS = 1_000_000;

// mulberry32: deterministic inputs from run to run.
let seed = 42;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const digits = (n) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const fresh = (s) => Buffer.from(s).toString('latin1');

// A traffic-like mix: shared codes (+1, +44, +7, +61) are the slow path for libphonenumber.
const TEMPLATES = [
  () => `4477${digits(8)}`, () => `447797${digits(6)}`, () => `4420${digits(8)}`,
  () => `1${pick(['212', '202', '415', '416', '604', '876', '242', '787'])}${digits(7)}`,
  () => `49151${digits(8)}`, () => `336${digits(8)}`, () => `614${digits(8)}`, () => `6421${digits(7)}`,
  () => `2250${digits(9)}`, () => `919${digits(9)}`, () => `7916${digits(7)}`, () => `8869${digits(8)}`,
  () => pick(['44', '4477', '1416', '1876', '61', '7701', '882']) + digits(Math.floor(random() * 3)),
];
const gts = Array.from({ length: DISTINCT_GTS }, () => pick(TEMPLATES)());
// A new array of fresh copies per measurement, so one measurement never hands the next pre-hashed strings.
const gtCallOrder = Array.from({ length: CALLS }, () => Math.floor(random() * gts.length));
const freshGtCalls = () => gtCallOrder.map((i) => fresh(gts[i]));

function measure(label, calls, run) {
  run(Math.min(calls, 10_000)); // warm up the JIT
  const start = performance.now();
  run(calls);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(58)} ${Math.round(calls / seconds).toLocaleString('en-US').padStart(12)} /s`);
}

let sink = 0;
const consume = (value) => {
  if (value) sink++;
};

console.log(`node ${process.version}, ${DISTINCT_GTS.toLocaleString('en-US')} distinct GTs, ${CALLS.toLocaleString('en-US')} calls`);
console.log(`import ${importMs.toFixed(0)} ms (libphonenumber metadata, centroids); example reference data ${loadMs.toFixed(0)} ms\n`);

measure('countryOfGt uncached (libphonenumber + fallbacks)', DISTINCT_GTS, (n) => {
  for (let i = 0; i < n; i++) consume(countryOfGtUncached(gts[i % gts.length]).country);
});
measure('countryOfGt uncached, +44/+1 only', DISTINCT_GTS, (n) => {
  const shared = gts.filter((gt) => gt.startsWith('44') || gt.startsWith('1'));
  for (let i = 0; i < n; i++) consume(countryOfGtUncached(shared[i % shared.length]).country);
});
let gtCalls = freshGtCalls();
measure('countryOfGt cached', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(countryOfGt(gtCalls[i % CALLS]).country);
});

// 10,000 GT ranges of 5 to 10 digits under the same calling codes as the traffic.
const prefixes = new Set();
for (let attempt = 0; prefixes.size < 10_000 && attempt < 1_000_000; attempt++) {
  const gt = pick(gts);
  prefixes.add(gt.slice(0, 5 + Math.floor(random() * 6)));
}
const rows = [...prefixes].map((prefix, i) => `${prefix},234-${String(i % 100).padStart(2, '0')},Operator ${i},,${i % 50 === 0}`);
const reference = loadReferenceDataFromStrings({
  'gt-ranges.csv': ['prefix,plmn,operator,country,leased', ...rows].join('\n'),
  'allowlist.csv': ['prefix,reporter,operations', ...[...prefixes].slice(0, 500).map((p, i) => `${p},${i % 2 ? '*' : '234-15'},2;7;71`)].join('\n'),
});

const trie = new DigitTrie();
const byLength = new Map();
for (const row of reference.gtRanges) {
  trie.set(row.prefix, row);
  if (!byLength.has(row.prefix.length)) byLength.set(row.prefix.length, new Map());
  byLength.get(row.prefix.length).set(row.prefix, row);
}
const lengths = [...byLength.keys()].sort((a, b) => b - a);
function longestByLength(gt) {
  for (const length of lengths) {
    if (gt.length < length) continue;
    const row = byLength.get(length).get(gt.slice(0, length));
    if (row !== undefined) return row;
  }
  return undefined;
}
gtCalls = freshGtCalls();
measure('longest prefix, digit trie (10,000 ranges)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(trie.longestMatch(gtCalls[i % CALLS]));
});
gtCalls = freshGtCalls();
measure('longest prefix, Map per prefix length (10,000 ranges)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(longestByLength(gtCalls[i % CALLS]));
});

const numbering = createNumbering(reference);
gtCalls = freshGtCalls();
measure('resolveGt (cached, trie behind it)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(numbering.resolveGt(gtCalls[i % CALLS]).country);
});
const uncachedNumbering = createNumbering(reference, { cacheEntries: 1 });
gtCalls = freshGtCalls();
measure('resolveGt with a 1-entry cache (trie + countryOfGt cache)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(uncachedNumbering.resolveGt(gtCalls[i % CALLS]).country);
});

const realms = Array.from({ length: 2_000 }, (_, i) =>
  i % 4 === 0 ? `diameter${i}.example.net` : `epc.mnc${String(i % 1000).padStart(3, '0')}.mcc${pick(['234', '262', '310', '302', '505'])}.3gppnetwork.org`,
);
const realmCalls = Array.from({ length: CALLS }, () => fresh(pick(realms)));
measure('resolveRealm (cached)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(numbering.resolveRealm(realmCalls[i % CALLS]).plmn);
});
measure('resolveRealm with a 1-entry cache', CALLS / 4, (n) => {
  for (let i = 0; i < n; i++) consume(uncachedNumbering.resolveRealm(realmCalls[i % CALLS]).plmn);
});

const reporters = ['234-15', '234-015', '262-01', '310-410'].map(fresh);
gtCalls = freshGtCalls();
measure('isAllowlisted (500 rows)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(numbering.isAllowlisted(gtCalls[i % CALLS], reporters[i & 3], i & 1 ? 71 : 22));
});

const countries = ['GB', 'FR', 'DE', 'US', 'CA', 'AU', 'NZ', 'CI', 'IN', 'JM', 'JE', 'RU'].map(fresh);
measure('distanceKm (memoised)', CALLS, (n) => {
  for (let i = 0; i < n; i++) consume(distanceKm(countries[i % 12], countries[(i * 7) % 12]));
});

console.log(`\n(${sink} truthy results)`);
