import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse";
import { ByteQueue } from "../lua/ngx/cosocket";
import { listeningServers, parseRequest } from "./socketConnection";

function input(text: string): ByteQueue {
  const q = new ByteQueue();
  q.push(new TextEncoder().encode(text));
  return q;
}

describe("parseRequest", () => {
  it("parses an HTTP/1.0 request line and headers", () => {
    const q = input("GET /hello?x=1 HTTP/1.0\r\nHost: backend\r\n\r\n");
    const parsed = parseRequest(q);
    expect(parsed?.method).toBe("GET");
    expect(parsed?.target).toBe("/hello?x=1");
    expect(parsed?.version).toEqual([1, 0]);
    expect(parsed?.headers).toEqual([["Host", "backend"]]);
    expect(parsed?.body).toBeNull();
    expect(q.length).toBe(0);
  });

  it("waits until the header and the Content-Length body are complete", () => {
    const q = input("POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
    expect(parseRequest(q)).toBeNull();
    q.push(new TextEncoder().encode("cdeGET"));
    expect(parseRequest(q)?.body).toBe("abcde");
    expect(new TextDecoder().decode(q.peek())).toBe("GET");
  });

  it("accepts bare LF line ends", () => {
    expect(parseRequest(input("GET / HTTP/1.1\nHost: a\n\n"))?.headers).toEqual([
      ["Host", "a"],
    ]);
  });

  it("marks a malformed request line", () => {
    expect(parseRequest(input("HELLO\r\n\r\n"))?.version).toBeNull();
  });
});

describe("listeningServers", () => {
  const config = parseConfig(
    `events {}
http {
    server { listen 127.0.0.1:8081; server_name a; }
    server { listen 8082; server_name b; }
}`,
    "/usr/local/openresty/nginx/conf/nginx.conf",
  );

  it("finds a server by its address and port", () => {
    const names = listeningServers(config.http, "127.0.0.1", 8081).map((s) => s.serverNames[0]);
    expect(names).toEqual(["a"]);
  });

  it("reaches a wildcard listener through any loopback address", () => {
    expect(listeningServers(config.http, "127.0.0.2", 8082)).toHaveLength(1);
  });

  it("finds nothing on other ports and other hosts", () => {
    expect(listeningServers(config.http, "127.0.0.1", 8083)).toHaveLength(0);
    expect(listeningServers(config.http, "127.0.0.2", 8081)).toHaveLength(0);
    expect(listeningServers(config.http, "10.0.0.1", 8082)).toHaveLength(0);
  });
});
