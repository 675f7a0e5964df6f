// Entry for Cloudflare Workers (workerd): the runtime compiles imported .wasm files as
// modules at deploy time (it forbids compiling wasm from bytes at run time).
import wasm from "./mava_sdk_bg.wasm";
import { initSync } from "./mava_sdk.js";

initSync({ module: wasm });

export * from "./sdk.js";
