/**
 * Test support: runs Lua code as a content_by_lua handler of a one-worker
 * simulated nginx and returns the response body and error log lines.
 */
import { runScenario } from "../../run";
import { SCENARIO_DEFAULTS } from "../../scenario";

/** Status, body and error log of one request to the handler. */
export interface ContentResult {
  status: number | null;
  body: string;
  /** Error log lines as "[level] message". */
  errorLog: string[];
}

/** Runs `code` in content_by_lua_block for one GET request. */
export function runContent(code: string): ContentResult {
  const nginxConf = `error_log logs/error.log notice;
events { worker_connections 1024; }
http {
    server {
        listen 8080;
        location = /t {
            content_by_lua_block {
${code}
            }
        }
    }
}
`;
  const result = runScenario({
    ...SCENARIO_DEFAULTS,
    files: {},
    nginxConf,
    steps: [
      {
        step: "request",
        request: { method: "GET", uri: "/t", headers: [], body: null, parallel: 1 },
      },
    ],
  });
  const response = result.responses[0];
  return {
    status: response.status,
    body: response.body ?? "",
    errorLog: result.errorLog.map((e) => `[${e.level}] ${e.message}`),
  };
}
