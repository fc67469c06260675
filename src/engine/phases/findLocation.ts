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

function search(locations: Location[], uri: string): Location | null {
  let longest: Location | null = null;
  for (const loc of locations) {
    if (loc.modifier === "=" && loc.pattern === uri) return loc;
    if ((loc.modifier === "" || loc.modifier === "^~") && uri.startsWith(loc.pattern)) {
      if (!longest || loc.pattern.length > longest.pattern.length) longest = loc;
    }
  }
  if (longest) {
    const nested = search(longest.locations, uri);
    if (nested && (nested.modifier === "=" || nested.modifier === "^~")) return nested;
    if (longest.modifier === "^~") return nested ?? longest;
  }
  for (const loc of locations) {
    if (loc.modifier === "~" || loc.modifier === "~*") {
      if (locationRegex(loc).test(uri)) return loc;
    }
  }
  return longest;
}

/** Finds the location that serves `uri`, or null (nginx then answers 404). */
export function findLocation(server: Server, uri: string): Location | null {
  return search(server.locations, uri);
}

/** Finds a named location (`location @name`). */
export function findNamedLocation(server: Server, name: string): Location | null {
  return server.locations.find((l) => l.modifier === "@" && l.pattern === name) ?? null;
}
