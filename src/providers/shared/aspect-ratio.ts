/**
 * The ratio of `ratios` (`W:H` strings) nearest to width:height, compared on a log scale so that
 * 2:1 and 1:2 are equally far from 1:1. The first of equally near ratios wins; unreadable
 * entries are skipped; `1:1` when none can be compared.
 *
 * @example
 * nearestAspectRatio(1536, 1024, ['1:1', '3:2', '16:9']); // '3:2'
 */
export function nearestAspectRatio(
  width: number,
  height: number,
  ratios: readonly string[],
): string {
  const target = Math.log(width / height);
  let best = '1:1';
  let bestDistance = Infinity;
  for (const ratio of ratios) {
    const [w, h] = ratio.split(':').map(Number);
    if (!w || !h) continue;
    const distance = Math.abs(Math.log(w / h) - target);
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}
