import { z } from 'zod';

/** UInt64/Int64 arrive as JSON strings, smaller integers as numbers; sums of UInt8 columns as UInt64 strings too. */
export const int = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
export const num = z.union([z.number(), z.string()]).transform(Number);
export const epoch = int.transform((seconds) => new Date(seconds * 1000).toISOString());
export const flag = z.union([z.number(), z.string()]).transform((value) => Number(value) === 1);
export const jsonText = z.string().transform((text) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
});
