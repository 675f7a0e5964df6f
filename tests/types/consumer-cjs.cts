// A CommonJS consumer: `require("mava-sdk")` of the ES module package, which Node ≥ 20.19 runs
// (require(esm)) and TypeScript ≥ 5.8 types under `module: nodenext`. check.mjs compiles it
// with the nodenext config; attw's bundled TypeScript predates this, hence its one ignored rule.
import sdk = require("mava-sdk");
import type { Ticket } from "mava-sdk";

const mava: sdk.Mava = new sdk.Mava({ apiKey: "k" });
const bot = new sdk.Mavibot({ apiKey: "k", rateLimit: false });
async function ids(): Promise<string[]> {
  const page = await mava.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01" });
  const tickets: Ticket[] = page.tickets;
  const issues: sdk.ValidationIssue[] = sdk.validate.mavibot.broadcast({ message: "hi" });
  const clients = (await bot.getClients({})).clients;
  return [...tickets.map((t) => t._id), ...issues.map((i) => i.code), ...clients.map((c) => c.platform_id)];
}
function isApiError(e: unknown): e is sdk.ApiError {
  return e instanceof sdk.ApiError;
}
export = { ids, isApiError };
