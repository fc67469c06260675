/**
 * The `location` directive: its modifier, and nginx's rules for nesting
 * and for duplicate prefix and exact locations.
 */
import { emptyLevel, type RawLocation } from "./confTree";
import { callError, type DirectiveCall, type DirectiveSpec } from "./directiveCall";
import type { LocationModifier } from "./types";

const MODIFIERS: LocationModifier[] = ["=", "^~", "~", "~*"];

function parseLocationArgs(call: DirectiveCall): {
  modifier: LocationModifier;
  pattern: string;
} {
  const [first, second] = call.args.map((word) => word.value);
  if (second !== undefined) {
    const modifier = MODIFIERS.find((name) => name === first);
    if (!modifier) throw callError(call, `invalid location modifier "${first}"`);
    return { modifier, pattern: second };
  }
  if (first.startsWith("=")) return { modifier: "=", pattern: first.slice(1) };
  if (first.startsWith("~*")) return { modifier: "~*", pattern: first.slice(2) };
  if (first.startsWith("~")) return { modifier: "~", pattern: first.slice(1) };
  if (first.startsWith("@")) return { modifier: "@", pattern: first };
  return { modifier: "", pattern: first };
}

function isRegex(modifier: LocationModifier): boolean {
  return modifier === "~" || modifier === "~*";
}

/** Throws nginx's error when `child` may not be nested in `parent`. */
function checkNesting(
  parent: RawLocation,
  child: { modifier: LocationModifier; pattern: string },
  call: DirectiveCall,
): void {
  if (parent.modifier === "=") {
    throw callError(
      call,
      `location "${child.pattern}" cannot be inside the exact location ` +
        `"${parent.pattern}"`,
    );
  }
  if (parent.modifier === "@") {
    throw callError(
      call,
      `location "${child.pattern}" cannot be inside the named location ` +
        `"${parent.pattern}"`,
    );
  }
  if (child.modifier === "@") {
    throw callError(
      call,
      `named location "${child.pattern}" can be on the server level only`,
    );
  }
  if (!isRegex(child.modifier) && !child.pattern.startsWith(parent.pattern)) {
    throw callError(
      call,
      `location "${child.pattern}" is outside location "${parent.pattern}"`,
    );
  }
}

/** Returns a location's duplicate group, or null for regex locations. */
function duplicateGroup(modifier: LocationModifier): string | null {
  if (isRegex(modifier)) return null;
  if (modifier === "=") return "exact";
  if (modifier === "@") return "named";
  return "prefix";
}

/** The `location` block directive, allowed in server and location. */
export const locationDirective: DirectiveSpec = {
  contexts: ["server", "location"],
  args: [1, 2],
  isBlock: true,
  handle(ctx, call) {
    const { modifier, pattern } = parseLocationArgs(call);
    if (ctx.location) checkNesting(ctx.location, { modifier, pattern }, call);
    const siblings = ctx.location?.locations ?? ctx.server?.locations ?? [];
    const group = duplicateGroup(modifier);
    const isDuplicate = siblings.some(
      (other) =>
        group !== null &&
        duplicateGroup(other.modifier) === group &&
        other.pattern === pattern,
    );
    if (isDuplicate) throw callError(call, `duplicate location "${pattern}"`);
    const block: RawLocation = {
      ...emptyLevel(),
      modifier,
      pattern,
      echo: [],
      locations: [],
      src: call.src,
    };
    siblings.push(block);
    return { ...ctx, kind: "location", location: block, level: block };
  },
};
