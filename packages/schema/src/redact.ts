/**
 * Privacy screening and dead-letter redaction (signalling-summary-v1.md "Privacy", reference/alerting.md §5.5).
 *
 * Every mask keeps a value's first 5 characters (for an IMSI its MCC+MNC, for an MSISDN its country code and
 * prefix, so the dead letter still says which network sent it) and puts one `*` per remaining character, so
 * masking never changes a text's length. Numbers are masked as their decimal string.
 *
 * A rejected record's copy is masked in three ways:
 * 1. the value under every forbidden key (`imsi`, `msisdn`, `imei`, `imeisv`, any case, any depth), leaf by leaf;
 * 2. a top-level `subscriber` that is not a valid pseudonym (all digits, but also e.g. `+44 7700…`);
 * 3. every run of 14 or more digits, wherever it is, after its first 5 digits. That shape covers IMSIs (14–15
 *    digits) and IMEIs (15–16) that a broken producer put under another name. It can also mask a 14–15 digit
 *    Global Title of a rejected record; that costs a little debugging detail in the dead letter only, never in
 *    processed data, and a record is rejected precisely because its producer is misbehaving.
 * Text that is not JSON gets 1. by a regex over `key: value` pairs instead (a best effort: a forbidden key's
 * value that is an object is then covered by 3. only), and 3. as is.
 */
import { SUBSCRIBER_PATTERN } from './formats.js';

/**
 * A forbidden key can only reach JSON.parse's output if the text spells it literally in quotes, or hides a
 * letter in a `\u` escape: no other JSON escape produces a letter. So this test has no false negatives, and
 * it stays cheap because typical records contain neither. (Keeping `\u` out of the regex makes it 3x faster:
 * V8 then scans for the quote alone.)
 */
const QUOTED_FORBIDDEN_KEY = /"(?:imsi|msisdn|imei|imeisv)"/i;

export function mightHoldForbiddenKey(text: string): boolean {
  return QUOTED_FORBIDDEN_KEY.test(text) || text.includes('\\u');
}

export function isForbiddenKey(key: string): boolean {
  const length = key.length;
  if (length !== 4 && length !== 6) return false;
  const lower = key.toLowerCase();
  return lower === 'imsi' || lower === 'imei' || lower === 'msisdn' || lower === 'imeisv';
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

const IDENTIFIER_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER_KEY.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

interface PendingEntry {
  key: string | number;
  value: unknown;
  parentPath: string;
}

function pushChildren(stack: PendingEntry[], container: Container, parentPath: string): void {
  // Pushed in reverse so that popping visits them in document order.
  if (Array.isArray(container)) {
    for (let i = container.length - 1; i >= 0; i--) stack.push({ key: i, value: container[i], parentPath });
    return;
  }
  const keys = Object.keys(container);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    stack.push({ key, value: container[key], parentPath });
  }
}

/**
 * Path of the first forbidden key in document order, or undefined. Iterative, because a 16 KiB record can
 * nest thousands of levels deep and recursion would overflow the stack.
 */
export function findForbiddenKey(root: unknown): string | undefined {
  if (!isContainer(root)) return undefined;
  const stack: PendingEntry[] = [];
  pushChildren(stack, root, '');
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const path = childPath(entry.parentPath, entry.key);
    if (typeof entry.key === 'string' && isForbiddenKey(entry.key)) return path;
    if (isContainer(entry.value)) pushChildren(stack, entry.value, path);
  }
  return undefined;
}

export function maskText(text: string): string {
  return text.length <= 5 ? text : text.slice(0, 5) + '*'.repeat(text.length - 5);
}

const LONG_DIGIT_RUN = /\d{14,}/g;
const HAS_LONG_DIGIT_RUN = /\d{14}/;

export function hasLongDigitRun(text: string): boolean {
  return HAS_LONG_DIGIT_RUN.test(text);
}

export function maskDigitRuns(text: string): string {
  return text.replace(LONG_DIGIT_RUN, maskText);
}

/** True for an all-digit string or a non-negative integer: the shapes of a raw IMSI or MSISDN. */
export function isAllDigits(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0 && /^\d+$/.test(value);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

// defineProperty rather than assignment: JSON.parse makes `__proto__` an ordinary own key, which plain
// assignment would instead treat as the prototype setter and silently ignore.
function setOwn(container: Container, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

function maskLeaf(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'number') return maskText(String(value));
  return value;
}

function forEachEntry(container: Container, visit: (key: string | number, value: unknown) => void): void {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) visit(i, container[i]);
    return;
  }
  for (const key of Object.keys(container)) visit(key, container[key]);
}

/** Masks every leaf of a value in place (a container) or returns the masked leaf. */
function maskLeaves(value: unknown): unknown {
  if (!isContainer(value)) return maskLeaf(value);
  const pending: Container[] = [value];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const current = node;
    forEachEntry(current, (key, child) => {
      if (isContainer(child)) pending.push(child);
      else setOwn(current, key, maskLeaf(child));
    });
  }
  return value;
}

// A number's digit runs cannot be masked in the serialised text without making it invalid JSON, so such
// numbers become masked strings here; runs inside strings and keys are masked on the text afterwards.
function maskNumberWithLongRun(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  const text = String(value);
  return hasLongDigitRun(text) ? maskDigitRuns(text) : value;
}

function redactTree(root: Container): void {
  const pending: Container[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const current = node;
    forEachEntry(current, (key, child) => {
      if (typeof key === 'string' && isForbiddenKey(key)) setOwn(current, key, maskLeaves(child));
      else if (isContainer(child)) pending.push(child);
      else if (typeof child === 'number') setOwn(current, key, maskNumberWithLongRun(child));
    });
  }
}

function isPseudonym(value: unknown): boolean {
  return typeof value === 'string' && SUBSCRIBER_PATTERN.test(value);
}

function redactSubscriber(root: unknown): void {
  if (!isContainer(root) || Array.isArray(root) || !Object.hasOwn(root, 'subscriber')) return;
  if (!isPseudonym(root.subscriber)) setOwn(root, 'subscriber', maskLeaves(root.subscriber));
}

/**
 * The dead-letter copy of a record that parsed as JSON. `value` is JSON.parse's output for `text` and is
 * modified in place. The text is returned unchanged when nothing in it needs masking, which keeps the
 * producer's exact bytes for debugging.
 */
export function redactParsed(value: unknown, text: string, mayHoldForbiddenKey: boolean): string {
  const subscriberNeedsMask =
    isContainer(value) && !Array.isArray(value) && value.subscriber !== undefined && !isPseudonym(value.subscriber);
  if (!mayHoldForbiddenKey && !subscriberNeedsMask && !hasLongDigitRun(text)) return text;
  if (isContainer(value)) {
    redactTree(value);
    redactSubscriber(value);
  } else {
    value = maskNumberWithLongRun(value);
  }
  try {
    return maskDigitRuns(JSON.stringify(value));
  } catch {
    // JSON.stringify recurses and can overflow on pathologically deep input; the text route still masks.
    return redactText(text);
  }
}

// `key: value` pairs in text that is not JSON: the key optionally quoted (the same quote on both sides),
// `:` or `=`, then a quoted string (possibly cut off by truncation) or a bare token.
const TEXT_KEY_VALUE =
  /((["']?)(?<![A-Za-z0-9_])(?:imsi|msisdn|imeisv|imei)\2\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s,;{}[\]"']+)/gi;

function maskTextValue(value: string): string {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return maskText(value);
  const closed = value.length > 1 && value.endsWith(quote);
  const inner = value.slice(1, closed ? -1 : undefined);
  return quote + maskText(inner) + (closed ? quote : '');
}

/** Best-effort redaction of text that is not JSON (see the module comment). Length-preserving. */
export function redactText(text: string): string {
  const masked = text.replace(TEXT_KEY_VALUE, (_match, prefix: string, _quote: string, value: string) => {
    return prefix + maskTextValue(value);
  });
  return maskDigitRuns(masked);
}
