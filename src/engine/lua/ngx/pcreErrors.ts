/**
 * Errors of the PCRE-to-JavaScript translation.
 */

/** A pattern PCRE itself would reject, with PCRE2's message and offset. */
export class PcreSyntaxError extends Error {
  readonly code = "PCRE_SYNTAX";
  constructor(
    readonly reason: string,
    /** Offset in code points where PCRE2 reports the error. */
    readonly offset: number,
  ) {
    super(reason);
  }
}

/** A valid PCRE construct that the simulator cannot reproduce. */
export class PcreUnsupportedError extends Error {
  readonly code = "PCRE_UNSUPPORTED";
  constructor(readonly construct: string) {
    super(`PCRE construct ${construct} is not supported by the simulator`);
  }
}
