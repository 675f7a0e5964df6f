// Runs before the wasm glue, which needs TextEncoder and TextDecoder as it loads: a test
// environment that hides them (Jest's "jsdom") gets this message instead of a ReferenceError.
const missing = ["TextEncoder", "TextDecoder"].filter((name) => typeof globalThis[name] !== "function");
if (missing.length > 0) {
  throw new Error(
    `mava-sdk needs the global ${missing.join(" and ")}, which this environment hides. ` +
      `Under Jest, use testEnvironment "jest-fixed-jsdom" instead of "jsdom" (see the package README).`,
  );
}
