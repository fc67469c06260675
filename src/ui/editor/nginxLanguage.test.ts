import type { languages } from "monaco-editor/editor/editor.api";
import { describe, expect, it } from "vitest";
import { EXAMPLES } from "../examples";
import { nginxMonarch } from "./nginxLanguage";

type Rule = languages.IMonarchLanguageRule;

/** Rules whose action is one token per regex group. */
function groupArrayRules(): Array<{ state: string; regex: RegExp }> {
  const found: Array<{ state: string; regex: RegExp }> = [];
  for (const [state, rules] of Object.entries(nginxMonarch.tokenizer)) {
    for (const rule of rules as Rule[]) {
      if (!Array.isArray(rule)) continue;
      const [regex, action] = rule as [RegExp | string, unknown];
      if (!Array.isArray(action) || !(regex instanceof RegExp)) continue;
      // Monarch matches a rule at the current position only.
      found.push({ state, regex: new RegExp(`^(?:${regex.source})`, regex.flags) });
    }
  }
  return found;
}

const LOCATION_LINES = [
  "location / {",
  "location /t {",
  "location @x {",
  "location = /t {",
  "location ^~ /static/ {",
  "location ~* \\.php$ {",
  "location ~ ^/api {",
  "    location /nested {",
];

const exampleLines = EXAMPLES.flatMap((example) => example.nginxConf.split("\n"));

describe("nginxMonarch", () => {
  it("has group-array rules to check", () => {
    expect(groupArrayRules().length).toBeGreaterThan(0);
  });

  it.each(LOCATION_LINES)("defines every group on %s", (line) => {
    for (const { state, regex } of groupArrayRules()) {
      for (let position = 0; position < line.length; position++) {
        const match = regex.exec(line.slice(position));
        if (!match) continue;
        const undefinedGroups = match
          .slice(1)
          .flatMap((group, index) => (group === undefined ? [index + 1] : []));
        expect({ state, regex: regex.source, undefinedGroups }).toEqual({
          state,
          regex: regex.source,
          undefinedGroups: [],
        });
      }
    }
  });

  it("defines every group on the examples' configs", () => {
    let matches = 0;
    for (const line of exampleLines) {
      for (const { regex } of groupArrayRules()) {
        for (let position = 0; position < line.length; position++) {
          const match = regex.exec(line.slice(position));
          if (!match) continue;
          matches++;
          expect(match.slice(1)).not.toContain(undefined);
        }
      }
    }
    expect(matches).toBeGreaterThan(0);
  });

  it("marks the location modifier as an operator", () => {
    const rule = groupArrayRules().find(({ regex }) => regex.source.includes("location"));
    expect(rule?.regex.exec("location ~* \\.php$ {")?.[3]).toBe("~*");
    expect(rule?.regex.exec("location /t {")).toBeNull();
  });
});
