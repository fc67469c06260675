/**
 * Errors of the configuration stage beyond nginx's own, and the text the
 * runner reports when a configuration cannot start.
 */
import { ConfigError, type SourceRef } from "./types";

/**
 * A directive that real nginx accepts but the simulator cannot run (such
 * as `proxy_pass` or `if`). Its message names the simulator as the cause,
 * because nginx itself would accept the configuration.
 */
export class UnsupportedDirectiveError extends ConfigError {
  readonly isUnsupported = true;
  constructor(
    readonly directive: string,
    src: SourceRef,
  ) {
    super(
      `"${directive}" directive is not supported by this simulator ` +
        `in ${src.file}:${src.line}`,
      src,
    );
    this.name = "UnsupportedDirectiveError";
  }
}

/**
 * Formats a configuration error as `nginx -t` prints it, which is what the
 * oracle records as `startup_error`:
 * `nginx: [emerg] <message>\nnginx: configuration file <path> test failed`.
 * An UnsupportedDirectiveError is prefixed `simulator: ` instead, because
 * real nginx would accept that configuration.
 */
export function formatStartupError(error: ConfigError, confPath: string): string {
  if (error instanceof UnsupportedDirectiveError) {
    return `simulator: ${error.message}`;
  }
  return (
    `nginx: [emerg] ${error.message}\n` +
    `nginx: configuration file ${confPath} test failed`
  );
}
