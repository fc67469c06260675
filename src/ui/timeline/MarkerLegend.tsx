import {
  LEGEND_STYLES,
  markerPolygon,
  markerRadius,
  type MarkerStyle,
} from "./timelineMarkers";

function MarkerIcon({ style }: { style: MarkerStyle }) {
  const polygon = markerPolygon(style.shape);
  const isRing = style.shape === "ring";
  return (
    <svg width="12" height="14" viewBox="-6 -7 12 14" aria-hidden="true">
      {polygon ? (
        <polygon points={polygon.map((point) => point.join(",")).join(" ")} fill={style.color} />
      ) : (
        <circle
          r={markerRadius(style.shape)}
          fill={isRing ? "none" : style.color}
          stroke={isRing ? style.color : "none"}
          strokeWidth={1.5}
        />
      )}
    </svg>
  );
}

/** Shows the shapes of the timeline's point markers and what each means. */
export function MarkerLegend() {
  return (
    <span className="timeline-legend" data-testid="marker-legend">
      {LEGEND_STYLES.map((style) => (
        <span key={style.label} className="legend-item" data-testid="marker-legend-item">
          <MarkerIcon style={style} />
          {style.label}
        </span>
      ))}
    </span>
  );
}
