/**
 * The nearest constellation point to a received symbol, by table: the plane around the constellation is cut into
 * small squares, each holding the point nearest its centre (as SpanDSP's V.17 receiver does), so a decision is one
 * lookup. A symbol within a fraction of a square of a decision boundary may go either way, as noise would take it.
 */

/** Squares per unit of the constellation's scale: a quarter of the V.27ter points' spacing at 4800 is ~1/3. */
const SQUARES_PER_UNIT = 16;

/** Tables are built once per constellation and choice of points, and shared by every demodulator. */
const tables = new Map<string, Int8Array>();

export class Slicer {
  private readonly table: Int8Array;
  private readonly size: number;
  private readonly reach: number;

  /** `points` are the constellation indices to choose from, `pointsRe`/`pointsIm` the constellation. */
  constructor(
    private readonly points: Int8Array,
    private readonly pointsRe: Float64Array,
    private readonly pointsIm: Float64Array,
  ) {
    let extent = 0;
    for (const k of points) extent = Math.max(extent, Math.abs(pointsRe[k]!), Math.abs(pointsIm[k]!));
    // one unit beyond the outermost points; a symbol further out (rare: the noise is then far above any pass mark)
    // is decided by search
    this.reach = Math.ceil(extent) + 1;
    this.size = 2 * this.reach * SQUARES_PER_UNIT;
    const key = [...points].map((k) => `${pointsRe[k]},${pointsIm[k]}`).join(' ');
    let table = tables.get(key);
    if (!table) {
      table = decisionTable(points, pointsRe, pointsIm, this.reach);
      tables.set(key, table);
    }
    this.table = table;
  }

  /** The index of the point nearest (re, im). */
  slice(re: number, im: number): number {
    const column = Math.floor((re + this.reach) * SQUARES_PER_UNIT);
    const row = Math.floor((im + this.reach) * SQUARES_PER_UNIT);
    if (column < 0 || row < 0 || column >= this.size || row >= this.size) {
      return nearestPoint(this.points, this.pointsRe, this.pointsIm, re, im);
    }
    return this.table[row * this.size + column]!;
  }
}

/**
 * The table of `slice` (row by row from −reach, `squaresPerUnit` squares per unit on each axis, each holding the first
 * of `points` nearest its centre), built a unit square at a time: only the points that can be nearest somewhere in the square are
 * searched for its small squares. A point q nearest the unit square's centre c bounds them: for any x in the square,
 * |x − c| ≤ h (half the diagonal), so the point nearest x lies within |c − q| + 2h of c. Kept in the constellation's
 * order, the candidates break ties as a search of every point does, so the table is the same, built ~10× sooner
 * (V.17 at 14400 has 128 points: the first receiver of a process no longer stalls the live calls beside it).
 */
export function decisionTable(
  points: Int8Array,
  pointsRe: Float64Array,
  pointsIm: Float64Array,
  reach: number,
  squaresPerUnit = SQUARES_PER_UNIT,
): Int8Array {
  const size = 2 * reach * squaresPerUnit;
  const table = new Int8Array(size * size);
  const candidates = new Int8Array(points.length);
  // 2h, and a hair more so that rounding in the distances cannot drop a point on the bound
  const twiceHalfDiagonal = Math.SQRT2 + 1e-9;
  for (let unitRow = 0; unitRow < 2 * reach; unitRow++) {
    const centreIm = unitRow + 0.5 - reach;
    for (let unitColumn = 0; unitColumn < 2 * reach; unitColumn++) {
      const centreRe = unitColumn + 0.5 - reach;
      const nearest = nearestPoint(points, pointsRe, pointsIm, centreRe, centreIm);
      const bound =
        (Math.sqrt((centreRe - pointsRe[nearest]!) ** 2 + (centreIm - pointsIm[nearest]!) ** 2) + twiceHalfDiagonal) **
        2;
      let count = 0;
      for (let i = 0; i < points.length; i++) {
        const k = points[i]!;
        if ((centreRe - pointsRe[k]!) ** 2 + (centreIm - pointsIm[k]!) ** 2 <= bound) candidates[count++] = k;
      }
      const within = candidates.subarray(0, count);
      for (let row = unitRow * squaresPerUnit; row < (unitRow + 1) * squaresPerUnit; row++) {
        const im = (row + 0.5) / squaresPerUnit - reach;
        for (let column = unitColumn * squaresPerUnit; column < (unitColumn + 1) * squaresPerUnit; column++) {
          const re = (column + 0.5) / squaresPerUnit - reach;
          table[row * size + column] = nearestPoint(within, pointsRe, pointsIm, re, im);
        }
      }
    }
  }
  return table;
}

function nearestPoint(
  points: Int8Array,
  pointsRe: Float64Array,
  pointsIm: Float64Array,
  re: number,
  im: number,
): number {
  let best = points[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  // indexed, not for…of: run cold while a table is built, an iterator would allocate a result per point
  for (let i = 0; i < points.length; i++) {
    const k = points[i]!;
    const dr = re - pointsRe[k]!;
    const di = im - pointsIm[k]!;
    const distance = dr * dr + di * di;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = k;
    }
  }
  return best;
}
