/**
 * The known ways Debian 12's nginx 1.22.1 + lua-nginx-module 0.10.23 (what
 * scripts/diff-record runs) differs from OpenResty 1.27.1.2 (what the
 * simulator models), as one table of exact rewrites applied to the real
 * records before they are compared.
 *
 * Each rule matches one exact text and nothing else, so a record that
 * differs in any other way still fails the comparison. Differences that
 * change behaviour (such as a missing privileged agent) cannot be rewritten
 * and belong in corpus/known-differences.txt instead.
 */
import type { GoldenRecord } from "../engine/testnginx/record";

/** One exact rewrite of a real nginx record into OpenResty's terms. */
export interface DebianTranslation {
  id: string;
  /** The reason Debian's build differs here. */
  reason: string;
  /** `body`: text inside response bodies; `error_log`: a whole log line. */
  field: "body" | "error_log";
  /** The exact text Debian's nginx writes. */
  debian: string;
  /** OpenResty's text, or null when OpenResty writes no such log line. */
  openresty: string | null;
}

/** The translation table; keep it in step with the README section. */
export const DEBIAN_TRANSLATIONS: readonly DebianTranslation[] = [
  {
    id: "error-page-footer",
    reason:
      "nginx's own error pages end with the server's name and version: " +
      "nginx/1.22.1 on Debian, openresty/1.27.1.2 in OpenResty",
    field: "body",
    debian: "<hr><center>nginx/1.22.1</center>",
    openresty: "<hr><center>openresty/1.27.1.2</center>",
  },
  {
    id: "sleep-zero-warning",
    reason:
      "lua-nginx-module warns on ngx.sleep(0) when the nginx core lacks " +
      "OpenResty's delayed posted events patch, which Debian's nginx lacks",
    field: "error_log",
    debian:
      "[warn] ngx.sleep(0) called without delayed events patch, " +
      "this will hurt performance",
    openresty: null,
  },
];

/** A real record rewritten into OpenResty's terms, and the rules used. */
export interface TranslatedRecord {
  record: GoldenRecord;
  /** Ids of the rules that changed something, each once. */
  applied: string[];
}

function translateBody(
  body: string,
  rules: readonly DebianTranslation[],
  applied: Set<string>,
): string {
  let out = body;
  for (const rule of rules) {
    if (rule.field !== "body" || !out.includes(rule.debian)) continue;
    out = out.split(rule.debian).join(rule.openresty ?? "");
    applied.add(rule.id);
  }
  return out;
}

function translateLogLine(
  line: string,
  rules: readonly DebianTranslation[],
  applied: Set<string>,
): string | null {
  const rule = rules.find((r) => r.field === "error_log" && r.debian === line);
  if (!rule) return line;
  applied.add(rule.id);
  return rule.openresty;
}

/**
 * Rewrites a record recorded with Debian's nginx into what OpenResty
 * would have recorded, by the exact rules of `rules`. The input is not
 * changed.
 */
export function translateDebianRecord(
  record: GoldenRecord,
  rules: readonly DebianTranslation[] = DEBIAN_TRANSLATIONS,
): TranslatedRecord {
  const applied = new Set<string>();
  const responses = record.responses.map((response) => ({
    ...response,
    body: translateBody(response.body, rules, applied),
  }));
  const errorLog: string[] = [];
  for (const line of record.error_log) {
    const translated = translateLogLine(line, rules, applied);
    if (translated !== null) errorLog.push(translated);
  }
  return {
    record: { ...record, responses, error_log: errorLog },
    applied: [...applied],
  };
}
