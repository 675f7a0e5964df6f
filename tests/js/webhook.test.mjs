// The Mava webhook cases (webhook.cases.mjs) in Node, from the packed package, on deliveries the
// sandbox's sender made.
import { test } from "node:test";
import { inspect } from "node:util";
import * as sdk from "mava-sdk";
import { cases } from "./webhook.cases.mjs";
import { makeWebhookData } from "./webhook-data.mjs";

const data = { ...makeWebhookData(), inspect };
for (const [name, run] of Object.entries(cases)) test(name, { timeout: 60_000 }, () => run(sdk, data));
