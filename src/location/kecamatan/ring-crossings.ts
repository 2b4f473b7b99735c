/**
 * Whether a polygon's rings cross or touch: the check @turf/boolean-valid does not make (it
 * accepts a bowtie). A sweep over segments sorted by their west end compares only segments whose
 * longitude spans overlap, so a kecamatan boundary of thousands of short edges costs about
 * n log n instead of n².
 */

interface Segment {
  ring: number;
  /** The segment from position `index` to `index + 1` of its ring. */
  index: number;
  ax: number; ay: number; bx: number; by: number;
  minX: number; maxX: number; minY: number; maxY: number;
}

/** Pairs compared before giving up: a zigzag of long edges would otherwise be quadratic. */
const MAX_PAIRS = 20_000_000;

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** For a point known to be collinear with a segment: whether it lies on it. */
const onSegment = (s: Segment, x: number, y: number) => x >= s.minX && x <= s.maxX && y >= s.minY && y <= s.maxY;

/** Whether two segments share any point (crossing, touching, or overlapping along a line). */
function meet(s: Segment, t: Segment): boolean {
  const d1 = orientation(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const d2 = orientation(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  const d3 = orientation(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const d4 = orientation(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (d1 === 0 && onSegment(t, s.ax, s.ay)) || (d2 === 0 && onSegment(t, s.bx, s.by))
    || (d3 === 0 && onSegment(s, t.ax, t.ay)) || (d4 === 0 && onSegment(s, t.bx, t.by));
}

/**
 * Neighbours along a ring share one vertex by construction; they are wrong only when they fold
 * back over each other (a spike): collinear, and both leaving the shared vertex the same way.
 */
function foldBack(s: Segment, t: Segment, lastIndex: number): boolean {
  const [first, second] = s.index < t.index ? [s, t] : [t, s];
  // The closing segment's end is the first segment's start.
  const wraps = first.index === 0 && second.index === lastIndex;
  const [vx, vy, px, py, qx, qy] = wraps
    ? [first.ax, first.ay, first.bx, first.by, second.ax, second.ay]
    : [first.bx, first.by, first.ax, first.ay, second.bx, second.by];
  if (orientation(vx, vy, px, py, qx, qy) !== 0) return false;
  return (px - vx) * (qx - vx) + (py - vy) * (qy - vy) > 0;
}

function segmentsOf(rings: number[][][]): { segments: Segment[]; lastIndex: number[] } {
  const segments: Segment[] = [];
  const lastIndex = rings.map((ring) => ring.length - 2);
  for (const [r, ring] of rings.entries()) {
    for (let i = 0; i + 1 < ring.length; i += 1) {
      const [ax = NaN, ay = NaN] = ring[i]!;
      const [bx = NaN, by = NaN] = ring[i + 1]!;
      segments.push({
        ring: r, index: i, ax, ay, bx, by,
        minX: Math.min(ax, bx), maxX: Math.max(ax, bx), minY: Math.min(ay, by), maxY: Math.max(ay, by),
      });
    }
  }
  return { segments: segments.sort((a, b) => a.minX - b.minX), lastIndex };
}

function describe(s: Segment, t: Segment): string {
  const near = `near [${s.ax}, ${s.ay}]`;
  if (s.ring !== t.ring) return `ring ${Math.max(s.ring, t.ring)} touches or crosses ring ${Math.min(s.ring, t.ring)} ${near}`;
  const [i, j] = [Math.min(s.index, t.index), Math.max(s.index, t.index)];
  return `ring ${s.ring} crosses or touches itself: edge from position ${i} meets edge from position ${j} ${near}`;
}

/**
 * The first place where a polygon's rings (outer ring, then holes; each closed, without repeated
 * consecutive positions) cross themselves or each other, in words; null when none do.
 */
export function firstCrossing(rings: number[][][]): string | null {
  const { segments, lastIndex } = segmentsOf(rings);
  let active: Segment[] = [];
  let pairs = 0;
  for (const s of segments) {
    active = active.filter((t) => t.maxX >= s.minX);
    for (const t of active) {
      pairs += 1;
      if (pairs > MAX_PAIRS) return 'has too many long edges to check for crossings: simplify it';
      if (t.maxY < s.minY || s.maxY < t.minY) continue;
      const last = lastIndex[s.ring]!;
      const neighbours = s.ring === t.ring
        && (Math.abs(s.index - t.index) === 1 || (Math.min(s.index, t.index) === 0 && Math.max(s.index, t.index) === last));
      if (neighbours ? foldBack(s, t, last) : meet(s, t)) return describe(s, t);
    }
    active.push(s);
  }
  return null;
}
