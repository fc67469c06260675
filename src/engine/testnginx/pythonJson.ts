/**
 * JSON text as Python's `json.dumps(value, sort_keys=True)` writes it
 * (`", "` and `": "` separators, non-ASCII as \u escapes). The oracle sorts
 * parallel responses by this text, so the simulator sorts by it too.
 */

function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code > 0x7e) out += escapeCodeUnits(ch);
    else out += ch;
  }
  return out + '"';
}

function escapeCodeUnits(ch: string): string {
  let out = "";
  for (let i = 0; i < ch.length; i++) {
    out += "\\u" + ch.charCodeAt(i).toString(16).padStart(4, "0");
  }
  return out;
}

/** Orders keys by UTF-16 code units, as Python orders ASCII keys. */
function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return JSON.stringify(value);
}

/** Serializes plain JSON data with sorted keys, as Python's json module does. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) {
    return "[" + value.map((item) => pythonJsonDumps(item)).join(", ") + "]";
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => compareKeys(a, b));
  const fields = entries.map(
    ([key, item]) => `${quote(key)}: ${pythonJsonDumps(item)}`,
  );
  return "{" + fields.join(", ") + "}";
}
