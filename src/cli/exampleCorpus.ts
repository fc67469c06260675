/**
 * Turns each UI example into a Test::Nginx file of the differential corpus
 * (corpus/example-<id>.t), so the example's configuration and request run
 * against real nginx as well as in the simulator.
 *
 * The oracle layout writes the main, events, http and server scaffolding
 * itself, so an example's nginx.conf is split back into the three parts a
 * block can set: `--- main_config`, `--- http_config` and `--- config`.
 * The split works on whole lines of the original text, so Lua code keeps
 * its exact spelling.
 *
 * `npx tsx src/cli/exampleCorpus.ts` rewrites the files; a test fails when
 * they no longer match the examples.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfLexer, type Statement } from "../engine/config/lexer";
import type { Example } from "../ui/examples/example";
import { EXAMPLES } from "../ui/examples/index";

/** The three configuration sections of an oracle-layout block. */
export interface ConfSections {
  mainConfig: string;
  httpConfig: string;
  config: string;
}

/** Main-level lines the oracle layout already writes, word for word. */
const LAYOUT_MAIN_LINES = new Set([
  "daemon off;",
  "master_process on;",
  "pid logs/nginx.pid;",
  "error_log logs/error.log info;",
]);

/** Server-level directives the layout replaces with its own listen socket. */
const LAYOUT_SERVER_DIRECTIVES = new Set(["listen", "server_name"]);

/** The events block the layout writes. */
const LAYOUT_EVENTS = "worker_connections 1024;";

/** A statement's first and last line (1-based) in the source text. */
interface Span {
  name: string;
  from: number;
  to: number;
  isBlock: boolean;
}

/** The opening and closing lines of a block whose body is split further. */
function braceLines(span: Span): Span[] {
  return [
    { ...span, to: span.from },
    { ...span, from: span.to },
  ];
}

/** Skips to the `}` that closes a block and returns the line it is on. */
function skipBlock(lexer: ConfLexer, name: string): number {
  if (name.endsWith("_by_lua_block")) {
    lexer.readLuaBlock();
    return lexer.line;
  }
  for (;;) {
    const statement = lexer.readStatement();
    if (statement.kind === "block-end") return statement.line;
    if (statement.kind === "eof") {
      throw lexer.error('unexpected end of file, expecting "}"');
    }
    if (statement.end === "{") skipBlock(lexer, statement.args[0].value);
  }
}

/** Reads the statements of one block level, up to its `}` or the end. */
function readLevel(lexer: ConfLexer, onBlock?: (span: Span) => void): Span[] {
  const spans: Span[] = [];
  for (;;) {
    const statement: Statement = lexer.readStatement();
    if (statement.kind !== "directive") return spans;
    const name = statement.args[0].value;
    const from = statement.args[0].line;
    const isBlock = statement.end === "{";
    let to = statement.line;
    const previous = spans[spans.length - 1];
    if (previous && previous.to >= from) {
      throw new Error(
        `"${name}" starts on line ${from}, which the statement before ` +
          "it also uses; put each statement on its own lines",
      );
    }
    if (isBlock && onBlock && (name === "http" || name === "server")) {
      const span = { name, from, to: from, isBlock };
      onBlock(span);
      to = lexer.line;
      spans.push({ ...span, to });
      continue;
    }
    if (isBlock) to = skipBlock(lexer, name);
    spans.push({ name, from, to, isBlock });
  }
}

/** Cuts the lines of `spans` out of `lines`, dropping the common indent. */
function linesOf(lines: string[], spans: Span[], dropped: Span[]): string {
  if (spans.length === 0) return "";
  const from = spans[0].from;
  const to = spans[spans.length - 1].to;
  const keptLines: string[] = [];
  for (let line = from; line <= to; line++) {
    if (dropped.some((span) => line >= span.from && line <= span.to)) continue;
    keptLines.push(lines[line - 1]);
  }
  const indents = keptLines
    .filter((line) => line.trim() !== "")
    .map((line) => /^ */.exec(line)![0].length);
  const indent = Math.min(...indents);
  return keptLines.map((line) => line.slice(indent).trimEnd()).join("\n");
}

function spanText(lines: string[], span: Span): string {
  return lines
    .slice(span.from - 1, span.to)
    .map((line) => line.trim())
    .join(" ");
}

/**
 * Splits a whole nginx.conf into the oracle layout's sections. Throws when
 * the configuration needs something the layout cannot express: a second
 * server block, other events settings, or two statements on one line.
 */
export function splitConf(text: string): ConfSections {
  const lines = text.split("\n");
  const lexer = new ConfLexer(text, "nginx.conf");
  const keptSpans = { main: [] as Span[], http: [] as Span[], config: [] as Span[] };
  const dropped: Span[] = [];
  let servers = 0;

  const readServer = () => {
    servers++;
    if (servers > 1) {
      throw new Error("the oracle layout has one server block; found two");
    }
    for (const span of readLevel(lexer)) {
      const isLayout = LAYOUT_SERVER_DIRECTIVES.has(span.name);
      (isLayout ? dropped : keptSpans.config).push(span);
    }
  };
  const readHttp = () => {
    for (const span of readLevel(lexer, readServer)) {
      if (span.name === "server") dropped.push(...braceLines(span));
      else keptSpans.http.push(span);
    }
  };

  for (const span of readLevel(lexer, readHttp)) {
    const words = spanText(lines, span);
    if (span.name === "http") {
      dropped.push(...braceLines(span));
    } else if (LAYOUT_MAIN_LINES.has(words)) {
      dropped.push(span);
    } else if (span.name === "events") {
      const inner = words.replace(/^events\s*\{\s*|\s*\}$/g, "");
      if (inner !== LAYOUT_EVENTS) {
        throw new Error(`the oracle layout fixes events to "${LAYOUT_EVENTS}"`);
      }
      dropped.push(span);
    } else {
      keptSpans.main.push(span);
    }
  }
  return {
    mainConfig: linesOf(lines, keptSpans.main, dropped),
    httpConfig: linesOf(lines, keptSpans.http, dropped),
    config: linesOf(lines, keptSpans.config, dropped),
  };
}

/** Lists the URIs of `location = /uri` blocks, in config order. */
function exactLocations(config: string): string[] {
  const uris: string[] = [];
  for (const match of config.matchAll(/^location\s+=\s+(\S+)\s*\{/gm)) {
    uris.push(match[1]);
  }
  return uris;
}

function requestSections(example: Example, uri: string): string[] {
  const { method, body, headersText } = example.request;
  const out = ["--- request", `${method} ${uri}`];
  if (body !== "") out.push(body);
  if (headersText.trim() !== "") out.push("--- more_headers", headersText.trim());
  if (example.copies > 1) out.push(`--- concurrency ${example.copies}`);
  return out;
}

/**
 * Builds the corpus file of one example. TEST 1 sends the example's own
 * request; each further TEST sends the same request to another
 * `location = /uri` of the configuration, because the explanations invite
 * the reader to try those URIs.
 */
export function exampleTestFile(example: Example): string {
  const sections = splitConf(example.nginxConf);
  const confLines: string[] = [];
  if (sections.mainConfig) confLines.push("--- main_config", sections.mainConfig);
  if (sections.httpConfig) confLines.push("--- http_config", sections.httpConfig);
  confLines.push("--- config", sections.config);

  const own = example.request.uri;
  const ownPath = own.split("?")[0];
  const others = exactLocations(sections.config).filter((uri) => uri !== ownPath);
  const out = [
    `# The UI example "${example.id}" (src/ui/examples), written by`,
    "# `npx tsx src/cli/exampleCorpus.ts`: change the example, not this file.",
    "",
  ];
  [own, ...others].forEach((uri, index) => {
    const title = index === 0 ? example.title : `${example.title}, ${uri}`;
    out.push(`=== TEST ${index + 1}: ${title}`, ...confLines);
    out.push(...requestSections(example, uri), "");
  });
  return out.join("\n");
}

/** The corpus file name of an example. */
export function exampleFileName(example: Example): string {
  return `example-${example.id}.t`;
}

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  for (const example of EXAMPLES) {
    const file = path.join(root, "corpus", exampleFileName(example));
    writeFileSync(file, exampleTestFile(example));
    process.stdout.write(`wrote ${path.relative(root, file)}\n`);
  }
}

const isEntryPoint = process.argv[1]
  ?.replace(/\\/g, "/")
  .endsWith("cli/exampleCorpus.ts");
if (isEntryPoint) main();
