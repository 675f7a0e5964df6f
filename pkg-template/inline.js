// Entry for tools that may not ship a separate .wasm file: esbuild, Rollup, Vite, Jest,
// `require`, and Node through node.js. The module's bytes are in the bundle (base64, written by
// scripts/build.mjs) and compiled synchronously, so loading needs no file system, no fetch, no
// asset URL a bundler must follow, no top-level await and no init call; the same file runs in
// browsers, Node, Deno, Bun and test runners, as ES module (index.js) and CommonJS (index.cjs).
import "./environment.js";
import { initSync } from "./mava_sdk.js";
import base64 from "./wasm-base64.js";

/** The wasm bytes: the platform's base64 decoder where it has one (Node's Buffer: 0.7 ms here,
 *  where the atob loop takes 11 ms), else atob. */
function decode(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const NodeBuffer = globalThis.Buffer;
  if (typeof NodeBuffer?.from === "function") return NodeBuffer.from(text, "base64");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

initSync({ module: new WebAssembly.Module(decode(base64)) });

export * from "./sdk.js";
