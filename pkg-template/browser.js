// Entry for browsers and bundlers: streams and compiles the wasm beside this file before the
// package's exports are used (top-level await; bundlers rewrite the URL to the asset).
import init from "./mava_sdk.js";

await init({ module_or_path: new URL("./mava_sdk_bg.wasm", import.meta.url) });

export * from "./sdk.js";
