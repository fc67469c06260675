import { DEBIAN_NGINX, getRequest, nginxConf, type Example } from "./example";

export const variablesExample: Example = {
  id: "var",
  title: "ngx.var across phases",
  explanation:
    "set $foo creates a variable of the request. Lua reads and writes it " +
    "through ngx.var.foo in every phase, and echo reads it again in the " +
    "content phase. Two copies of the request are sent at once, and the " +
    "access handler reads $foo, sleeps (which yields to the other request) " +
    "and writes it back. Both responses still show the full value, because " +
    "each request has its own variables: a get, yield, set sequence races " +
    "only on data that requests share, such as a shared dict.",
  nginxConf: nginxConf(
    "",
    `location = /t {
    set $foo "set";
    rewrite_by_lua_block {
        ngx.log(ngx.NOTICE, "rewrite reads $foo = ", ngx.var.foo)
        ngx.var.foo = ngx.var.foo .. " + rewrite"
    }
    access_by_lua_block {
        local before = ngx.var.foo
        ngx.sleep(0.01)
        ngx.var.foo = before .. " + access"
    }
    echo "foo = $foo";
}`,
  ),
  request: getRequest("/t"),
  copies: 2,
  verifiedAgainst: DEBIAN_NGINX,
};
