/**
 * Finds the nginx.conf lines that run errors point at, so the editor can
 * mark them: `in nginx.conf:3` in a configuration error, and a Lua chunk
 * position such as `content_by_lua(nginx.conf:12):2:` in an error-log
 * entry. Line 1 of an inline Lua chunk is the directive's own line, so
 * chunk line M of a chunk at config line N is config line N + M - 1.
 */

/** A line of nginx.conf to mark, with the message to show on it. */
export interface SourceMarker {
  /** 1-based line of nginx.conf. */
  line: number;
  message: string;
  severity: "error" | "warning";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Maps `(nginx.conf:N):M:` to a config line, or null if absent. */
function chunkLine(message: string, confPath: string): number | null {
  const pattern = new RegExp(`\\(${escapeRegExp(confPath)}:(\\d+)\\):(\\d+):`);
  const match = pattern.exec(message);
  if (!match) return null;
  return Number(match[1]) + Number(match[2]) - 1;
}

/** Marks the line a startup error (nginx -t or init_by_lua) names. */
export function startupErrorMarker(
  startupError: string,
  confPath: string,
): SourceMarker | null {
  const message = startupError.split("\n")[0];
  const fromChunk = chunkLine(message, confPath);
  if (fromChunk !== null) return { line: fromChunk, message, severity: "error" };
  const pattern = new RegExp(`${escapeRegExp(confPath)}:(\\d+)`);
  const match = pattern.exec(message);
  if (!match) return null;
  return { line: Number(match[1]), message, severity: "error" };
}

/** Marks Lua errors (level error and above) that name a config line. */
export function errorLogMarkers(
  entries: ReadonlyArray<{ level: string; message: string }>,
  confPath: string,
): SourceMarker[] {
  const serious = new Set(["error", "crit", "alert", "emerg"]);
  const markers: SourceMarker[] = [];
  for (const entry of entries) {
    if (!serious.has(entry.level)) continue;
    const line = chunkLine(entry.message, confPath);
    if (line === null) continue;
    markers.push({
      line,
      message: entry.message.split("\n")[0],
      severity: "error",
    });
  }
  return markers;
}

/** A source position as race findings carry it. */
interface RaceSource {
  chunkName: string;
  line: number;
}

/** Maps a chunk name such as `content_by_lua(nginx.conf:12)` and a chunk line to a config line. */
function configLine(source: RaceSource | null, confPath: string): number | null {
  if (!source) return null;
  return chunkLine(`${source.chunkName}:${source.line}:`, confPath);
}

/**
 * Marks the read and the write of each race as warnings, with what
 * happened and what to use instead.
 */
export function raceMarkers(
  races: ReadonlyArray<{
    kind: string;
    dict: string;
    key: string;
    readSource: RaceSource | null;
    writeSource: RaceSource | null;
    suggestion: string;
  }>,
  confPath: string,
): SourceMarker[] {
  const markers: SourceMarker[] = [];
  for (const race of races) {
    const what = `${race.kind} on ${race.dict}["${race.key}"]`;
    const read = configLine(race.readSource, confPath);
    const write = configLine(race.writeSource, confPath);
    if (read !== null) {
      markers.push({ line: read, message: `${what}: read here, then a yield. ${race.suggestion}`, severity: "warning" });
    }
    if (write !== null) {
      markers.push({ line: write, message: `${what}: written back here after the yield. ${race.suggestion}`, severity: "warning" });
    }
  }
  return markers;
}
