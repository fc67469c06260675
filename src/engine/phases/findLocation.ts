/**
 * nginx's location lookup: an exact `=` match wins; otherwise the longest
 * matching prefix is remembered, and used at once if it has `^~`; otherwise
 * regex locations are tried in config order and the first match wins;
 * otherwise the longest prefix is used.
 */
import type { Location, Server } from "../config/types";

/** Converts an nginx (PCRE) location regex to a JavaScript RegExp. */
export function locationRegex(location: Location): RegExp {
  const flags = location.modifier === "~*" ? "i" : "";
  return new RegExp(location.pattern, flags);
}

/** A lookup's result: the location, and whether regexes may still win. */
interface Lookup {
  location: Location | null;
  /** An exact, `^~` or regex match: outer regex locations are not tried. */
  isFinal: boolean;
}

function search(locations: Location[], uri: string): Lookup {
  let longest: Location | null = null;
  for (const loc of locations) {
    if (loc.modifier === "=" && loc.pattern === uri) return { location: loc, isFinal: true };
    if ((loc.modifier === "" || loc.modifier === "^~") && uri.startsWith(loc.pattern)) {
      if (!longest || loc.pattern.length > longest.pattern.length) longest = loc;
    }
  }
  let best = longest;
  if (longest && longest.locations.length > 0) {
    // nginx looks into the nested locations of the longest prefix first;
    // their own regexes are tried there, and a deeper prefix wins.
    const nested = search(longest.locations, uri);
    if (nested.isFinal) return nested;
    if (nested.location) best = nested.location;
  }
  if (longest?.modifier === "^~") return { location: best, isFinal: true };
  for (const loc of locations) {
    if (loc.modifier === "~" || loc.modifier === "~*") {
      if (locationRegex(loc).test(uri)) return { location: loc, isFinal: true };
    }
  }
  return { location: best, isFinal: false };
}

/** Finds the location that serves `uri`, or null (nginx then answers 404). */
export function findLocation(server: Server, uri: string): Location | null {
  return search(server.locations, uri).location;
}

/** Finds a named location (`location @name`). */
export function findNamedLocation(server: Server, name: string): Location | null {
  return server.locations.find((l) => l.modifier === "@" && l.pattern === name) ?? null;
}
