/**
 * A bucket width for a time range: whole minutes, so that the range gives at most `maxPoints` buckets. 18.16 has
 * no toStartOfInterval, so buckets are `intDiv(epoch, width) * width`, which every version computes the same way.
 */
export function bucketSeconds(range: { from: number; to: number }, maxPoints: number): number {
  const minutes = Math.max(1, Math.ceil((range.to - range.from) / 60 / maxPoints));
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
  return (nice.find((width) => width >= minutes) ?? Math.ceil(minutes / 1440) * 1440) * 60;
}
