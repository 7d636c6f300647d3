/** The number formed by three ASCII digits at `start`, or -1 when any of them is missing or not a digit. */
export function threeDigitsAt(text: string, start: number): number {
  const a = digitAt(text, start);
  const b = digitAt(text, start + 1);
  const c = digitAt(text, start + 2);
  if (a < 0 || b < 0 || c < 0) return -1;
  return a * 100 + b * 10 + c;
}

/** The digit at `index`, or -1; written so that NaN (index past the end) also gives -1. */
export function digitAt(text: string, index: number): number {
  const d = text.charCodeAt(index) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Whether `text` is one or more ASCII digits. */
export function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    if (digitAt(text, i) < 0) return false;
  }
  return true;
}
