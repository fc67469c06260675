/**
 * A Monarch tokenizer for nginx.conf whose `*_by_lua_block { ... }` bodies
 * are handed to Monaco's Lua tokenizer as an embedded language.
 *
 * Monarch can leave an embedded language only at a match of a rule in the
 * host state, so the host states count braces: each `{` in the Lua body
 * pushes `luaNested`, each `}` pops it, and the `}` at depth zero ends the
 * embedding. After a brace on a line the host rules below tokenize the rest
 * of that line with a small Lua-like rule set, and the next line goes back
 * to the real Lua tokenizer.
 */
import type { languages } from "monaco-editor/editor/editor.api";

/** The language id registered with Monaco. */
export const NGINX_LANGUAGE_ID = "nginx";

/** Brackets, comments and auto-closing for the nginx language. */
export const nginxLanguageConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: "#" },
  brackets: [
    ["{", "}"],
    ["(", ")"],
  ],
  autoClosingPairs: [
    { open: "{", close: "}" },
    { open: "(", close: ")" },
    { open: '"', close: '"', notIn: ["string"] },
    { open: "'", close: "'", notIn: ["string"] },
  ],
};

const LUA_KEYWORDS = [
  "and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
  "return", "then", "true", "until", "while",
];

// NOTE: a `{` or `}` inside a Lua string or comment at the start of a line
// segment still counts as a brace, so such a body can end the embedding
// early. nginx's own Lua block parser skips strings and comments.
const braceRule = (atDepthZero: boolean): languages.IMonarchLanguageRule => [
  /[{}]/,
  {
    cases: {
      "\\{": { token: "delimiter.curly.lua", next: "@luaNested" },
      "\\}": atDepthZero
        ? { token: "delimiter.curly", next: "@pop", nextEmbedded: "@pop" }
        : { token: "delimiter.curly.lua", next: "@pop" },
      // Never taken; it makes Monarch search this state's braces for the
      // end of the embedded Lua.
      "~[^\\s\\S]": { token: "", nextEmbedded: "@pop" },
    },
  },
];

/** Lua-like rules for the rest of a line after a brace in a Lua body. */
const luaRestOfLine: languages.IMonarchLanguageRule[] = [
  [/--.*$/, "comment.lua"],
  [/"([^"\\]|\\.)*"/, "string.lua"],
  [/'([^'\\]|\\.)*'/, "string.lua"],
  [/\d+(\.\d+)?/, "number.lua"],
  [
    /[a-zA-Z_]\w*/,
    { cases: { "@luaKeywords": "keyword.lua", "@default": "identifier.lua" } },
  ],
  [/[^{}"'\w-]+|-/, ""],
  [/["']/, "string.lua"],
];

/** The Monarch grammar of the nginx language. */
export const nginxMonarch: languages.IMonarchLanguage = {
  defaultToken: "",
  tokenPostfix: ".nginx",
  luaKeywords: LUA_KEYWORDS,
  tokenizer: {
    root: [
      [/#.*$/, "comment"],
      [
        /(\w+_by_lua_block)(\s*)(\{)/,
        [
          "keyword.directive",
          "",
          { token: "delimiter.curly", next: "@luaBlock", nextEmbedded: "lua" },
        ],
      ],
      [/\w+_by_lua(_file)?\b/, "keyword.directive", "@arguments"],
      // Monarch requires every group of a group-array rule to match (an
      // optional group that is undefined crashes its tokenizer), so the
      // modifier form and the plain form are two rules.
      [
        /(location)(\s+)(=|\^~|~\*|~)(?=\s)/,
        ["keyword", "", "operator"],
        "@arguments",
      ],
      [/location\b/, "keyword", "@arguments"],
      [/[a-z_][\w]*/, "keyword", "@arguments"],
      [/[{}]/, "delimiter.curly"],
      [/\s+/, ""],
    ],
    arguments: [
      [/;/, "delimiter", "@pop"],
      [/(?=\{)/, "", "@pop"],
      [/#.*$/, "comment"],
      [/"/, "string", "@doubleQuoted"],
      [/'/, "string", "@singleQuoted"],
      [/\$\{?\w+\}?/, "variable"],
      [/\b\d+[kKmMgGsh]?\b/, "number"],
      [/\b(on|off)\b/, "constant"],
      [/[^\s;{"'$#]+/, "attribute.value"],
      [/\s+/, ""],
    ],
    doubleQuoted: [
      [/\$\{?\w+\}?/, "variable"],
      [/[^"\\$]+/, "string"],
      [/\\./, "string.escape"],
      [/"/, "string", "@pop"],
      [/\$/, "string"],
    ],
    singleQuoted: [
      [/\$\{?\w+\}?/, "variable"],
      [/[^'\\$]+/, "string"],
      [/\\./, "string.escape"],
      [/'/, "string", "@pop"],
      [/\$/, "string"],
    ],
    luaBlock: [braceRule(true), ...luaRestOfLine],
    luaNested: [braceRule(false), ...luaRestOfLine],
  },
};
