/**
 * The input of a directive handler and the checks handlers share: flags,
 * numbers and "is duplicate", worded as nginx's ngx_conf_file.c words them.
 */
import type { ConfLexer, Word } from "./lexer";
import type { ContextKind, ParseContext } from "./confTree";
import type { ConfigError, SourceRef } from "./types";

/** A statement as it is passed to a handler. */
export interface DirectiveCall {
  name: string;
  /** The arguments after the name. */
  args: Word[];
  /** The statement's source position; its line is nginx's error line. */
  src: SourceRef;
  /** The basename of the configuration file, used in chunk names. */
  chunkFile: string;
  lexer: ConfLexer;
}

/**
 * The number of arguments after the name: a list of allowed counts, or a
 * minimum (nginx's NGX_CONF_1MORE, NGX_CONF_2MORE, NGX_CONF_ANY).
 */
export type ArgCount = number[] | { min: number };

export interface DirectiveSpec {
  contexts: ContextKind[];
  args: ArgCount;
  /** Takes a `{ ... }` block instead of ending with `;`. */
  isBlock?: boolean;
  /**
   * Applies the directive. A block directive returns the context its body
   * is parsed in, or nothing when it read the block itself (Lua blocks).
   */
  handle(ctx: ParseContext, call: DirectiveCall): ParseContext | void;
}

/** Builds a ConfigError worded `<message> in <file>:<line>`. */
export function callError(call: DirectiveCall, message: string): ConfigError {
  return call.lexer.error(message, call.src.line);
}

/**
 * Builds the error nginx words `"name" directive <reason>`, which is how it
 * reports a handler's returned string such as "is duplicate".
 */
export function directiveError(
  call: DirectiveCall,
  reason: string,
): ConfigError {
  return callError(call, `"${call.name}" directive ${reason}`);
}

/** Marks a set-once directive as seen, throwing "is duplicate" if it was. */
export function markOnce(seen: Set<string>, call: DirectiveCall): void {
  if (seen.has(call.name)) throw directiveError(call, "is duplicate");
  seen.add(call.name);
}

/** Parses `on` or `off` as ngx_conf_set_flag_slot does. */
export function parseFlag(call: DirectiveCall): boolean {
  const value = call.args[0].value;
  if (value.toLowerCase() === "on") return true;
  if (value.toLowerCase() === "off") return false;
  throw callError(
    call,
    `invalid value "${value}" in "${call.name}" directive, ` +
      'it must be "on" or "off"',
  );
}

/** Parses a non-negative integer as ngx_conf_set_num_slot does. */
export function parseNumber(call: DirectiveCall, index = 0): number {
  const value = call.args[index].value;
  if (!/^\d+$/.test(value)) throw directiveError(call, "invalid number");
  return Number(value);
}

/** Tells whether `count` arguments satisfy the rule. */
export function isArgCountValid(rule: ArgCount, count: number): boolean {
  return Array.isArray(rule) ? rule.includes(count) : count >= rule.min;
}

/**
 * Builds a directive that is checked (contexts, argument count, `check`,
 * and "is duplicate") and otherwise has no effect on the simulation.
 */
export function ignoredDirective(
  contexts: ContextKind[],
  args: ArgCount,
  check?: (call: DirectiveCall) => void,
): DirectiveSpec {
  return {
    contexts,
    args,
    handle(ctx, call) {
      markOnce(ctx.level?.seen ?? ctx.main.seen, call);
      check?.(call);
    },
  };
}
