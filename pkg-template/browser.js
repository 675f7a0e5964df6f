// Entry for browsers and bundlers: fetches and compiles the wasm beside this file (streaming
// when the server labels it application/wasm) before the package's exports are used
// (top-level await; bundlers rewrite the URL to the asset), then instantiates it.
import { initSync } from "./mava_sdk.js";

const url = new URL("./mava_sdk_bg.wasm", import.meta.url);
const response = await fetch(url);
if (!response.ok) throw new Error(`mava-sdk: loading ${url} failed with HTTP ${response.status}`);
const module = await WebAssembly.compileStreaming(response.clone()).catch(async () => WebAssembly.compile(await response.arrayBuffer()));
initSync({ module });

export * from "./sdk.js";
