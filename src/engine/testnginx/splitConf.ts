/**
 * Splits a whole nginx.conf into the three sections a Test::Nginx block
 * sets (`--- main_config`, `--- http_config`, `--- config`), the inverse
 * of generateNginxConf. Statements the generated layout already writes
 * are dropped. The first server's `listen` and `server_name` give way to
 * the layout's own, and further server blocks go to http_config. The
 * split works on whole lines, so Lua code keeps its exact spelling.
 */
import { ConfLexer } from "../config/lexer";
import { PLACEHOLDER_BASE_PORT } from "../config/values";

/** The three sections, and what the split had to leave out or move. */
export interface SplitConf {
  mainConfig: string;
  httpConfig: string;
  config: string;
  warnings: string[];
}

/** A statement's first and last line (1-based) and its words. */
interface Span {
  name: string;
  words: string;
  from: number;
  to: number;
}

/** Statements of the generated layout, word for word, by level. */
const LAYOUT_MAIN = new Set([
  "daemon off",
  "master_process on",
  "pid logs/nginx.pid",
  "error_log logs/error.log info",
  "worker_processes 1",
]);
const LAYOUT_HTTP = new Set([
  "access_log off",
  "default_type text/plain",
  "client_body_temp_path tmp/body",
  "proxy_temp_path tmp/proxy",
  "fastcgi_temp_path tmp/fastcgi",
  "uwsgi_temp_path tmp/uwsgi",
  "scgi_temp_path tmp/scgi",
  'lua_package_path "/usr/share/lua/5.1/?.lua;;"',
  'lua_package_path "${prefix}html/?.lua;/usr/share/lua/5.1/?.lua;;"',
  // The playground layout's path for --- user_files (generatePlaygroundConf).
  'lua_package_path "${prefix}html/?.lua;;"',
]);

/** The layout's events block, with its whitespace collapsed. */
const LAYOUT_EVENTS = "events { worker_connections 1024; }";

/** Main-level directives the layout sets, which may not appear twice. */
const LAYOUT_MAIN_NAMES = new Set(["daemon", "master_process", "pid", "load_module"]);

/** http-level directives the layout sets that also work in a server. */
const MOVED_TO_SERVER = new Set([
  "default_type",
  "client_body_temp_path",
  "proxy_temp_path",
  "fastcgi_temp_path",
  "uwsgi_temp_path",
  "scgi_temp_path",
]);

function skipBlock(lexer: ConfLexer, name: string): void {
  if (name.endsWith("_by_lua_block")) {
    lexer.readLuaBlock();
    return;
  }
  for (;;) {
    const statement = lexer.readStatement();
    if (statement.kind === "block-end") return;
    if (statement.kind === "eof") throw lexer.error('unexpected end of file, expecting "}"');
    if (statement.end === "{") skipBlock(lexer, statement.args[0].value);
  }
}

/**
 * Reads one level's statements. `descend` is called for blocks whose body
 * is split further (http, server); it must read up to the closing `}`.
 */
function readLevel(lexer: ConfLexer, descend: (name: string) => boolean): Span[] {
  const spans: Span[] = [];
  for (;;) {
    const statement = lexer.readStatement();
    if (statement.kind !== "directive") return spans;
    const name = statement.args[0].value;
    const from = statement.args[0].line;
    const previous = spans[spans.length - 1];
    if (previous && previous.to >= from) {
      throw new Error(
        `line ${from} holds two statements; put each statement on its own line`,
      );
    }
    const words = statement.args.map((word) =>
      word.isQuoted ? `"${word.value}"` : word.value,
    ).join(" ");
    if (statement.end === "{" && !descend(name)) skipBlock(lexer, name);
    spans.push({ name, words, from, to: lexer.line });
  }
}

/** The lines of `spans`, with the indent they share removed. */
function linesOf(lines: string[], spans: Span[]): string {
  const kept: string[] = [];
  for (const span of spans) {
    for (let line = span.from; line <= span.to; line++) kept.push(lines[line - 1]);
  }
  const indents = kept
    .filter((line) => line.trim() !== "")
    .map((line) => /^[ \t]*/.exec(line)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return kept.map((line) => line.slice(indent).trimEnd()).join("\n");
}

/** Turns the simulator's fixed ports back into Test::Nginx's variables. */
export function portsToVariables(text: string): string {
  return text.replace(/(?<!\d)180([89])(\d)(?!\d)/g, (match) => {
    const offset = Number(match) - PLACEHOLDER_BASE_PORT;
    if (offset < 0 || offset > 9) return match;
    return offset === 0 ? "$TEST_NGINX_SERVER_PORT" : `$TEST_NGINX_RAND_PORT_${offset}`;
  });
}

/**
 * Splits `text` into block sections. Throws an Error when two statements
 * share a line or the text does not parse; warnings list what was dropped.
 */
export function splitConf(text: string): SplitConf {
  const lines = text.split("\n");
  const lexer = new ConfLexer(text, "nginx.conf");
  const main: Span[] = [];
  const http: Span[] = [];
  const server: Span[] = [];
  const moved: Span[] = [];
  const warnings: string[] = [];
  let servers = 0;

  const readServer = (): Span[] =>
    readLevel(lexer, () => false).filter(
      (span) => span.name !== "listen" && span.name !== "server_name",
    );
  const readHttp = () => {
    const spans = readLevel(lexer, (name) => {
      if (name !== "server") return false;
      servers++;
      if (servers === 1) server.push(...readServer());
      return servers === 1;
    });
    let isFirstServerSeen = false;
    for (const span of spans) {
      if (span.name === "server" && !isFirstServerSeen) {
        isFirstServerSeen = true;
        continue;
      }
      if (LAYOUT_HTTP.has(span.words)) continue;
      if (MOVED_TO_SERVER.has(span.name)) {
        moved.push(span);
        warnings.push(`"${span.words}" was moved into the server block`);
        continue;
      }
      http.push(span);
    }
  };

  const mainSpans = readLevel(lexer, (name) => {
    if (name === "http") readHttp();
    return name === "http";
  });
  for (const span of mainSpans) {
    if (span.name === "http" || LAYOUT_MAIN.has(span.words)) continue;
    if (span.name === "events") {
      const written = lines.slice(span.from - 1, span.to).join(" ");
      if (written.replace(/\s+/g, " ").trim() === LAYOUT_EVENTS) continue;
      warnings.push("the events block was left out (the layout sets worker_connections 1024)");
      continue;
    }
    if (LAYOUT_MAIN_NAMES.has(span.name)) {
      warnings.push(`"${span.words}" was left out (the layout sets ${span.name} itself)`);
      continue;
    }
    main.push(span);
  }
  if (servers === 0) warnings.push("there is no server block, so --- config is empty");
  return {
    mainConfig: portsToVariables(linesOf(lines, main)),
    httpConfig: portsToVariables(linesOf(lines, http)),
    config: portsToVariables(
      [linesOf(lines, moved), linesOf(lines, server)]
        .filter((part) => part !== "")
        .join("\n"),
    ),
    warnings,
  };
}
