/**
 * Loads Monaco from the bundled monaco-editor package (never from a CDN,
 * which @monaco-editor/react uses by default) with the editor features,
 * Monaco's Lua grammar and our nginx grammar. No language service worker
 * (TypeScript, CSS, JSON, HTML) is bundled: nginx and Lua need only the
 * generic editor worker.
 */
import { loader } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/lua/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import {
  NGINX_LANGUAGE_ID,
  nginxLanguageConfiguration,
  nginxMonarch,
} from "./nginxLanguage";

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

monaco.languages.register({ id: NGINX_LANGUAGE_ID, aliases: ["nginx"] });
monaco.languages.setLanguageConfiguration(
  NGINX_LANGUAGE_ID,
  nginxLanguageConfiguration,
);
monaco.languages.setMonarchTokensProvider(NGINX_LANGUAGE_ID, nginxMonarch);

loader.config({ monaco });

export { monaco };
