// Entry for Node (ESM and require), Deno and Bun: compiles the wasm synchronously from the
// file beside this one, so importing the package needs no await and no init call.
import { readFileSync } from "node:fs";
import { initSync } from "./mava_sdk.js";

initSync({ module: readFileSync(new URL("./mava_sdk_bg.wasm", import.meta.url)) });

export * from "./sdk.js";
