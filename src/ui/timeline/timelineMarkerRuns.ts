/**
 * Marker outlines for runs of marks: marks of one kind in neighbouring
 * pixel columns are filled as one marker stretched sideways, which covers
 * the same pixels as a mark per column with far fewer path operations.
 */
import type { TraceEvent } from "../../engine/trace/events";
import {
  markerPolygon,
  markerRadius,
  markerStyle,
  type MarkerShape,
} from "./timelineMarkers";

/**
 * Marks of one kind at most this many pixels apart (and no further apart
 * than the marker is wide) are drawn as one run, so a run only fills the
 * notches between the tips of marks that overlap.
 */
export const RUN_GAP_PX = 3;

/** Returns how wide a marker of `shape` is, in CSS pixels. */
export function markerWidth(shape: MarkerShape): number {
  const polygon = markerPolygon(shape);
  if (!polygon) return 2 * markerRadius(shape);
  const xs = polygon.map(([dx]) => dx);
  return Math.max(...xs) - Math.min(...xs);
}

/** Returns the convex hull of `points`, counter-clockwise (monotone chain). */
function convexHull(points: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Array<[number, number]>) => {
    const chain: Array<[number, number]> = [];
    for (const point of list) {
      while (
        chain.length >= 2 &&
        cross(chain[chain.length - 2], chain[chain.length - 1], point) <= 0
      ) {
        chain.pop();
      }
      chain.push(point);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** A stretched polygon's vertex: offset, and whether it moves with the run's end. */
type RunVertex = [dx: number, dy: number, isAtEnd: boolean];

const runOutlines = new Map<MarkerShape, RunVertex[]>();

/**
 * Returns the outline of a marker polygon stretched sideways by any length
 * above zero: the convex hull of the polygon at the run's start and end
 * has the same vertices for every such length, so it is computed once.
 */
function runOutline(shape: MarkerShape, polygon: Array<[number, number]>): RunVertex[] {
  const cached = runOutlines.get(shape);
  if (cached) return cached;
  const stretch = 1000;
  const hull = convexHull(
    polygon.flatMap(([dx, dy]): Array<[number, number]> => [
      [dx, dy],
      [dx + stretch, dy],
    ]),
  );
  const outline = hull.map(([x, y]): RunVertex => {
    const isAtEnd = x > stretch / 2;
    return [isAtEnd ? x - stretch : x, y, isAtEnd];
  });
  runOutlines.set(shape, outline);
  return outline;
}

/**
 * Adds to the current path the area that one `kind` marker covers when
 * it is drawn at every x from `from` to `to`: the marker stretched
 * sideways, which is what a mark in each pixel column draws.
 */
export function traceMarkerRun(
  ctx: CanvasRenderingContext2D,
  kind: TraceEvent["kind"],
  from: number,
  to: number,
  y: number,
): void {
  const style = markerStyle(kind);
  const polygon = markerPolygon(style.shape);
  if (!polygon) {
    const radius = markerRadius(style.shape);
    ctx.moveTo(from + radius, y - radius);
    ctx.roundRect(from - radius, y - radius, to - from + 2 * radius, 2 * radius, radius);
    return;
  }
  if (to === from) {
    polygon.forEach(([dx, dy], index) =>
      index === 0 ? ctx.moveTo(from + dx, y + dy) : ctx.lineTo(from + dx, y + dy),
    );
  } else {
    runOutline(style.shape, polygon).forEach(([dx, dy, isAtEnd], index) => {
      const x = (isAtEnd ? to : from) + dx;
      if (index === 0) ctx.moveTo(x, y + dy);
      else ctx.lineTo(x, y + dy);
    });
  }
  ctx.closePath();
}
