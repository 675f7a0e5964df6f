// The fetch-option cases (fetch-option.cases.mjs) in Node, from the packed package.
import { test } from "node:test";
import * as sdk from "mava-sdk";
import { cases } from "./fetch-option.cases.mjs";

// A case that hangs (a race the transport lost) fails instead of stalling the run.
for (const [name, run] of Object.entries(cases)) test(name, { timeout: 10_000 }, () => run(sdk));
