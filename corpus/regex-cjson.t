# ngx.re.* against real nginx. lua-cjson is not part of Debian's nginx
# packages that the recordings use, so cjson has no blocks here.

=== TEST 1: ngx.re.match returns the match, groups and named groups
--- config
location = /t {
    content_by_lua_block {
        local m = ngx.re.match("hello, 1234", "(?<first>[0-9])([0-9]+)(x)?")
        ngx.say(m[0], " ", m[1], " ", m[2], " ", tostring(m[3]), " ", m.first)
        ngx.say(ngx.re.match("hello", "[0-9]+") == nil)
    }
}
--- request
GET /t

=== TEST 2: ngx.re.find returns byte positions and honours ctx.pos
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.find("hello, 1234", "[0-9]+"))
        ngx.say(ngx.re.find("hello, 1234", "([a-z]+), ([0-9]+)", "jo", nil, 2))
        local ctx = { pos = 4 }
        local from, to = ngx.re.find("abcabc", "b", "", ctx)
        ngx.say(from, " ", to, " ", ctx.pos)
        ngx.say(ngx.re.find("日本語abc", "abc", "u"))
    }
}
--- request
GET /t

=== TEST 3: ngx.re.gmatch iterates over every match, empty ones too
--- config
location = /t {
    content_by_lua_block {
        local it = ngx.re.gmatch("a1b22c333", "[0-9]+")
        ngx.say(type(it))
        for m in it do ngx.say(m[0]) end
        local n = 0
        for m in ngx.re.gmatch("abc", "x*") do n = n + 1 end
        ngx.say("empty matches: ", n)
    }
}
--- request
GET /t

=== TEST 4: ngx.re.sub and gsub with templates and functions
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.gsub("hello world", "o", "[$0]"))
        ngx.say(ngx.re.sub("hello world", "(\\w+) (\\w+)", "$2 ${1}$$"))
        ngx.say(ngx.re.gsub("hello world", "[lo]+", function(m) return m[0]:upper() end))
        ngx.say(ngx.re.gsub("abc", "b*", "-"))
        ngx.say(ngx.re.gsub("abc", "z", "-"))
    }
}
--- request
GET /t

=== TEST 5: invalid regexes and templates return nil and a message
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.match("a", "("))
        ngx.say(ngx.re.find("a", "a)"))
        ngx.say(ngx.re.gsub("abc", "b", "${name}"))
        ngx.say(ngx.re.gsub("abc", "b", "$"))
        ngx.say(pcall(ngx.re.match, "a", "a", "z"))
    }
}
--- request
GET /t

=== TEST 6: options i m s x a and inline groups
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.match("HeLLo", "hello", "i")[0])
        ngx.say(ngx.re.match("a\nb", "^b$", "m")[0])
        ngx.say(ngx.re.match("a\nb", "a.b", "s")[0] == "a\nb")
        ngx.say(ngx.re.match("a\nb", "a.b") == nil)
        ngx.say(ngx.re.match("hello world", "hello \\s world  # comment", "x")[0])
        ngx.say(ngx.re.match("xabc", "abc", "a") == nil, " ", ngx.re.match("abcx", "abc", "a")[0])
        ngx.say(ngx.re.match("ABC", "a(?i)bc") == nil, " ", ngx.re.match("aBC", "a(?i)bc")[0])
    }
}
--- request
GET /t

=== TEST 7: PCRE-only syntax: anchors, atomic groups, POSIX classes
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.match("foo\n", "foo$") ~= nil, " ", ngx.re.match("foo\n", "foo\\z") == nil)
        ngx.say(ngx.re.match("aaa", "a++a") == nil, " ", ngx.re.match("aaa", "(?>a+)") [0])
        ngx.say(ngx.re.match("x Ab9_", "[[:alpha:]]+[[:digit:]]")[0])
        ngx.say(ngx.re.match("tab\there", "\\h")[0] == "\t")
        ngx.say(ngx.re.match("abab", "(?P<x>ab)(?P=x)")[0])
        ngx.say(ngx.re.match("\\Qa.b\\E", "\\Qa.b\\E") == nil, " ", ngx.re.match("a.b", "\\Qa.b\\E")[0])
    }
}
--- request
GET /t

=== TEST 8: bytes and UTF-8: without u a byte is a character
--- config
location = /t {
    content_by_lua_block {
        ngx.say(#ngx.re.match("é", ".")[0])
        ngx.say(#ngx.re.match("é", ".", "u")[0])
        ngx.say(ngx.re.match("ÉCOLE", "é", "i") == nil)
        ngx.say(ngx.re.match("ÉCOLE", "é", "iu")[0])
        ngx.say(ngx.re.gsub("añb", "[^a-z]", "?"))
        ngx.say(ngx.re.gsub("añb", "[^a-z]", "?", "u"))
    }
}
--- request
GET /t

=== TEST 9: duplicate names with D and the res table argument
--- config
location = /t {
    content_by_lua_block {
        local m = ngx.re.match("ab", "(?<x>a)|(?<x>b)", "D")
        ngx.say(type(m.x), " ", #m.x, " ", m.x[1])
        local m2 = ngx.re.match("b", "(?<x>a)|(?<x>b)", "D")
        ngx.say(m2.x[1], " ", tostring(m2[1]), " ", m2[2])
        ngx.say(ngx.re.match("ab", "(?<x>a)(?<x>b)"))
        local res = { "old", "old", "old", extra = 1 }
        local m3 = ngx.re.match("xy", "(x)(y)", "", nil, res)
        ngx.say(m3 == res, " ", res[0], res[1], res[2], " ", res[3], " ", res.extra)
    }
}
--- request
GET /t

=== TEST 10: ngx.re.split from lua-resty-core
--- config
location = /t {
    content_by_lua_block {
        local split = require("ngx.re").split
        local function show(t) ngx.say(#t, ": ", table.concat(t, "|")) end
        show(split("a,b,,c,,", ","))
        show(split("a,b,c,d", ",", nil, nil, 2))
        show(split("a1b2c", "([0-9])"))
        show(split("abc", ""))
        show(split(",a,", ","))
    }
}
--- request
GET /t

=== TEST 11: regex DFA mode returns the longest alternative
--- config
location = /t {
    content_by_lua_block {
        ngx.say(ngx.re.match("abcd", "a|ab|abc")[0])
        ngx.say(ngx.re.match("abcd", "a|ab|abc", "d")[0])
    }
}
--- request
GET /t
