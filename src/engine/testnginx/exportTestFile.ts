/**
 * Writes a playground workspace as a Test::Nginx `.t` file with one block.
 * The block has the nginx.conf split into main_config, http_config and
 * config, the request (or `--- steps` when there are more), the headers
 * and the user files. Optionally the last run's responses and log lines
 * become `--- error_code`, `--- response_body` and `--- error_log`.
 */
import type { GoldenResponse } from "./record";
import { splitConf } from "./splitConf";

/** The request a workspace sends first. */
export interface ExportRequest {
  method: string;
  uri: string;
  body: string | null;
  /** Copies sent at once. */
  parallel: number;
}

/** The parts of a workspace a block can express. */
export interface ExportWorkspace {
  title: string;
  nginxConf: string;
  request: ExportRequest;
  /** `Name: value` lines sent with the request. */
  headers: string[];
  /** Steps after the request, in `--- steps` syntax; "" for none. */
  stepsText: string;
  /** Files under the prefix, keyed like `html/foo.lua`. */
  files: Record<string, string>;
}

/** A run's results, written as the block's expectations. */
export interface ExportExpectations {
  /** Responses in the order a block's record lists them. */
  responses: GoldenResponse[];
  /** Golden-style log lines, `[level] message`. */
  logLines: string[];
}

/** The `.t` text, and what it could not carry over. */
export interface ExportResult {
  text: string;
  warnings: string[];
}

const PREAMBLE = [
  "# Exported from OpenResty Playground. Run it with the playground",
  "# (`npm run sim -- FILE.t --check`). `--- concurrency`, `--- steps` and",
  "# `--- requests` are the playground's own sections: Test::Nginx (`prove`)",
  "# does not know them, so keep a block without them for it.",
  "use Test::Nginx::Socket::Lua 'no_plan';",
  "",
  "run_tests();",
  "",
  "__DATA__",
  "",
];

/** A line the block parser would read as a new section or block. */
const SECTION_LIKE = /^(?:---\s+\w|===)/m;

/** Quotes text as a Perl double-quoted string literal. */
export function perlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === '"' || ch === "$" || ch === "@") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** Returns true when text survives as the lines of a plain section. */
function isPlainText(text: string): boolean {
  return (
    text !== "" &&
    !text.includes("\r") &&
    !SECTION_LIKE.test(text) &&
    !/^\s*\n/.test(text) &&
    !/\n\s*\n$/.test(text) &&
    !/\n[ \t]+$/.test(text)
  );
}

function bodySection(responses: GoldenResponse[]): string[] {
  if (responses.length > 1) {
    const items = responses.map((response) => perlString(response.body));
    return ["--- response_body eval", `[${items.join(",\n ")}]`];
  }
  const body = responses[0].body;
  if (isPlainText(body) && body.endsWith("\n")) {
    return ["--- response_body", body.slice(0, -1)];
  }
  if (isPlainText(body)) return ["--- response_body chomp", body];
  return ["--- response_body eval", perlString(body)];
}

function statusSection(responses: GoldenResponse[]): string[] {
  const codes = responses.map((response) => response.status);
  if (codes.length === 1) return [`--- error_code: ${codes[0] ?? ""}`];
  const items = codes.map((code) => (code === null ? '""' : String(code)));
  return ["--- error_code eval", `[${items.join(", ")}]`];
}

/**
 * Reduces a log line to the part that does not depend on where the code
 * sits: the level, `[lua]` and chunk names such as
 * `content_by_lua(nginx.conf:17):2:` change when the config moves.
 */
export function logExpectation(line: string): string {
  const first = line.split("\n")[0].replace(/^\[\w+\] /, "");
  const parts = first.split(/nginx\.conf:\d+\)?(?::\d+)?: /);
  return parts[parts.length - 1].trim();
}

function logSection(logLines: string[]): string[] {
  const kept = new Set<string>();
  for (const line of logLines) {
    const expectation = logExpectation(line);
    if (expectation !== "" && !SECTION_LIKE.test(expectation)) kept.add(expectation);
  }
  return kept.size > 0 ? ["--- error_log", ...kept] : [];
}

function requestLine(request: ExportRequest): string {
  const copies = request.parallel > 1 ? `x${request.parallel} ` : "";
  return `${copies}${request.method} ${request.uri}`;
}

function requestSections(workspace: ExportWorkspace, warnings: string[]): string[] {
  const { request } = workspace;
  const body = request.body ?? "";
  if (body !== "" && !isPlainText(body + "\n")) {
    warnings.push(
      "the request body has blank edge lines or section-like lines, " +
        "which a .t request section cannot keep exactly",
    );
  }
  const bodyLines = body === "" ? [] : [body.replace(/\n$/, "")];
  if (workspace.stepsText.trim() === "") {
    const out = ["--- request", `${request.method} ${request.uri}`, ...bodyLines];
    if (request.parallel > 1) out.push(`--- concurrency ${request.parallel}`);
    return out;
  }
  if (workspace.headers.length > 0) {
    warnings.push("--- more_headers applies to every request step, not only the first");
  }
  return ["--- steps", requestLine(request), ...bodyLines, workspace.stepsText.trimEnd()];
}

function userFilesSection(files: Record<string, string>, warnings: string[]): string[] {
  const out: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    if (!path.startsWith("html/")) {
      warnings.push(`file "${path}" is outside html/, which --- user_files cannot write`);
      continue;
    }
    out.push(`>>> ${path.slice("html/".length)}`, content.replace(/\n+$/, ""));
  }
  return out.length > 0 ? ["--- user_files", ...out] : [];
}

/** Writes the workspace, and optionally a run's results, as a `.t` file. */
export function exportTestFile(
  workspace: ExportWorkspace,
  expectations?: ExportExpectations,
): ExportResult {
  const split = splitConf(workspace.nginxConf);
  const warnings = [...split.warnings];
  const title = workspace.title.replace(/\s+/g, " ").trim() || "workspace";
  const out = [...PREAMBLE, `=== TEST 1: ${title}`];
  if (split.mainConfig) out.push("--- main_config", split.mainConfig);
  if (split.httpConfig) out.push("--- http_config", split.httpConfig);
  out.push("--- config", split.config);
  out.push(...userFilesSection(workspace.files, warnings));
  out.push(...requestSections(workspace, warnings));
  if (workspace.headers.length > 0) out.push("--- more_headers", ...workspace.headers);
  if (expectations && expectations.responses.length > 0) {
    out.push(...statusSection(expectations.responses));
    out.push(...bodySection(expectations.responses));
  }
  if (expectations) out.push(...logSection(expectations.logLines));
  return { text: out.join("\n") + "\n", warnings };
}
