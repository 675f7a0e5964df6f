// The run-time half of the type tests (compiled and run by check.mjs in the scratch project):
//  1. consumer.ts's `exercise` with stub fetches: every input the types accept passes the
//     package's own validation and reaches the (stub) API;
//  2. consumer.ts's `errors`: each error class, its fields checked against their declared types;
//  3. negative.ts's `negatives`: every call the types reject also throws or rejects at run time
//     with ValidationError (TypeError for a method the client doesn't have).
// Prints one JSON line `{ ok, … }` and exits 1 on any failure.
import { Mava, Mavibot, ValidationError } from "mava-sdk";
import { errors, exercise, mavaOptions, mavibotOptions } from "./consumer.js";
import { mavaFetch, mavibotFetch, requests, respond } from "./fixtures.js";
import { negatives } from "./negative.js";

declare const process: { exitCode?: number }; // Node's, without depending on @types/node

const failures: string[] = [];

// 1. Valid inputs.
const mava = new Mava(mavaOptions(mavaFetch));
const bot = new Mavibot(mavibotOptions(mavibotFetch));
let seen = 0;
try {
  seen = (await exercise(mava, bot)).length;
} catch (e) {
  failures.push(`exercise: ${e instanceof ValidationError ? `${e.message} ${JSON.stringify(e.issues)}` : String((e as Error)?.stack ?? e)}`);
}
const mavaCalls = new Set(requests.filter((r) => r.includes("/api/") && !r.includes("mavibot-key")).map((r) => r));
const mavibotActions = new Set(requests.filter((r) => r.includes("/api/mavibot-key/")).map((r) => r.split("/").pop()));

// 2. Errors.
let errorCount = 0;
try {
  errorCount = (await errors(respond)).length;
} catch (e) {
  failures.push(`errors: ${String((e as Error)?.stack ?? e)}`);
}

// 3. Wrong calls.
const neverFetch = async (request: Request): Promise<Response> => {
  throw new Error(`a rejected call was sent: ${request.method} ${request.url}`);
};
const calls: Array<() => unknown> = [];
negatives(new Mava({ apiKey: "k", fetch: neverFetch }), new Mavibot({ apiKey: "k", fetch: neverFetch }), (call) => calls.push(call));
const describe = (call: () => unknown): string => call.toString().replace(/^\(\) => /, "");
const rejected = (e: unknown): boolean => e instanceof ValidationError || e instanceof TypeError;
for (const call of calls) {
  let outcome: unknown;
  try {
    outcome = call();
    if (outcome instanceof Promise) {
      outcome = await outcome.then((v) => ({ resolved: v }), (e: unknown) => ({ threw: e }));
    } else if (outcome !== null && typeof outcome === "object" && Symbol.asyncIterator in outcome) {
      const it = outcome as unknown as AsyncIterator<unknown>;
      outcome = await it.next().then((v) => ({ resolved: v }), (e: unknown) => ({ threw: e }));
    } else if (Array.isArray(outcome) && outcome.length > 0) {
      outcome = { threw: new ValidationError("validator reported issues") }; // validate.*: issues are its rejection
    } else {
      outcome = { resolved: outcome };
    }
  } catch (e) {
    outcome = { threw: e };
  }
  const o = outcome as { threw?: unknown; resolved?: unknown };
  if (!("threw" in o) || !rejected(o.threw)) {
    const what = "threw" in o ? `threw ${String(o.threw)}` : `succeeded`;
    failures.push(`accepted at run time though the types reject it (${what}): ${describe(call)}`);
  }
}

const summary = {
  ok: failures.length === 0,
  validCalls: { mavaRequests: mavaCalls.size, mavibotActions: mavibotActions.size, fieldsRead: seen },
  errorClasses: errorCount,
  negativesRun: calls.length,
  failures,
};
console.log(JSON.stringify(summary));
process.exitCode = failures.length === 0 ? 0 : 1;
