/**
 * parseConfig: nginx.conf text to the MainConfig the engine runs, or a
 * ConfigError worded as `nginx -t` words it.
 */
import type { ParseContext, RawMain } from "./confTree";
import { isArgCountValid, type DirectiveCall } from "./directiveCall";
import { DIRECTIVES, UNSUPPORTED_DIRECTIVES, UPSTREAM_DIRECTIVES } from "./directives";
import { checkUpstreams } from "./upstreamDirectives";
import { addMapEntry } from "./mapDirectives";
import { DIRECTIVES_IN_IF } from "./ifDirective";
import { UnsupportedDirectiveError } from "./errors";
import { ConfLexer, type Statement } from "./lexer";
import { mergeConfig } from "./merge";
import { ConfigError, type MainConfig } from "./types";

/**
 * Parses, checks and merges an nginx.conf. `confPath` labels the file in
 * messages (`nginx.conf`, or `$PREFIX/conf/nginx.conf` for the runner);
 * Lua chunk names always use its basename, as in `content_by_lua(nginx.conf:26)`.
 * Throws ConfigError (or its UnsupportedDirectiveError subclass).
 */
export function parseConfig(text: string, confPath: string): MainConfig {
  const lexer = new ConfLexer(text, confPath);
  const chunkFile = confPath.slice(confPath.lastIndexOf("/") + 1);
  const main: RawMain = {
    workerProcesses: null,
    errorLogLevels: [],
    hasEvents: false,
    http: null,
    seen: new Set(),
  };
  parseBlock(lexer, { kind: "main", main }, chunkFile);
  if (!main.hasEvents) {
    throw new ConfigError('no "events" section in configuration', {
      file: confPath,
      line: 0,
    });
  }
  const config = mergeConfig(main);
  if (config.http && main.http) checkUpstreams(config.http, main.http.upstreams);
  return config;
}

function parseBlock(
  lexer: ConfLexer,
  ctx: ParseContext,
  chunkFile: string,
): void {
  for (;;) {
    const statement = lexer.readStatement();
    if (statement.kind === "eof") {
      if (ctx.kind !== "main") {
        throw lexer.error('unexpected end of file, expecting "}"');
      }
      return;
    }
    if (statement.kind === "block-end") {
      if (ctx.kind === "main") throw lexer.error('unexpected "}"');
      // nginx checks an upstream block where it ends, so its errors name that line.
      if (ctx.upstream) ctx.upstream.endSrc = { file: lexer.file, line: lexer.line };
      return;
    }
    const inner = applyDirective(lexer, ctx, statement, chunkFile);
    if (inner) parseBlock(lexer, inner, chunkFile);
  }
}

/**
 * Checks one statement in ngx_conf_handler's order (known, allowed here,
 * block or `;`, argument count), then runs its handler.
 */
function applyDirective(
  lexer: ConfLexer,
  ctx: ParseContext,
  statement: Statement & { kind: "directive" },
  chunkFile: string,
): ParseContext | void {
  const name = statement.args[0].value;
  const line = statement.line;
  if (ctx.kind === "map" && ctx.map) {
    // A map block holds `key value;` pairs, not directives.
    if (statement.end !== ";") throw lexer.error(`unexpected "${statement.end}"`, line);
    addMapEntry(ctx.map, { name, args: statement.args.slice(1), src: { file: lexer.file, line }, chunkFile, lexer });
    return;
  }
  // Inside an upstream block, `server` and the balancer settings are the
  // upstream module's own directives.
  if (ctx.kind === "if" && !DIRECTIVES_IN_IF.has(name) && DIRECTIVES.has(name)) {
    // Other directives in an if block make a nested configuration, which
    // the simulator does not build.
    throw new UnsupportedDirectiveError(`${name}" inside "if`, { file: lexer.file, line });
  }
  const spec = (ctx.kind === "upstream" ? UPSTREAM_DIRECTIVES.get(name) : undefined) ?? DIRECTIVES.get(name);
  if (!spec) {
    if (UNSUPPORTED_DIRECTIVES.has(name)) {
      throw new UnsupportedDirectiveError(name, { file: lexer.file, line });
    }
    throw lexer.error(`unknown directive "${name}"`, line);
  }
  if (!spec.contexts.includes(ctx.kind)) {
    throw lexer.error(`"${name}" directive is not allowed here`, line);
  }
  if (!spec.isBlock && statement.end !== ";") {
    throw lexer.error(`directive "${name}" is not terminated by ";"`, line);
  }
  if (spec.isBlock && statement.end !== "{") {
    throw lexer.error(`directive "${name}" has no opening "{"`, line);
  }
  const args = statement.args.slice(1);
  if (!isArgCountValid(spec.args, args.length)) {
    throw lexer.error(
      `invalid number of arguments in "${name}" directive`,
      line,
    );
  }
  const call: DirectiveCall = {
    name,
    args,
    src: { file: lexer.file, line },
    chunkFile,
    lexer,
  };
  return spec.handle(ctx, call);
}
