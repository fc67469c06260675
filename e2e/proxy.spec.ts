import { expect, test } from "@playwright/test";
import { PlaygroundPage } from "./pages/PlaygroundPage";

const PROXIED = `worker_processes 1;
events { worker_connections 1024; }
http {
map $arg_tier $tier_label {
default basic;
gold premium;
}
upstream backend {
server 127.0.0.1:8081;
}
server {
listen 8080;
location /api/ {
if ($arg_block = "1") {
return 403;
}
proxy_set_header X-Tier $tier_label;
proxy_pass http://backend/v1/;
}
}
server {
listen 8081;
location / {
content_by_lua_block { ngx.say("backend got ", ngx.var.request_uri, " for ", ngx.var.http_x_tier) }
}
}
}
`;

test.describe("proxy_pass, upstream, map and if", () => {
  test("a proxied request reaches the backend server block", async ({ page }) => {
    const playground = new PlaygroundPage(page);
    await playground.open();
    await playground.replaceConfig(PROXIED);
    await playground.uri.fill("/api/items?tier=gold");
    await playground.runAndWait();
    await expect(page.getByTestId("response-body")).toHaveText("backend got /v1/items?tier=gold for premium\n");
    const lanes = (await playground.timeline.getAttribute("data-rows")) ?? "";
    // The client's request and the proxy's own connection to the backend.
    expect(lanes).toContain("*1 GET /api/items?tier=gold");
    expect(lanes).toContain("GET /v1/items?tier=gold");
    await playground.screenshot("proxy-pass");

    await playground.uri.fill("/api/items?block=1");
    await playground.runAndWait();
    await expect(page.getByTestId("response-status")).toContainText("403 Forbidden");
  });
});
