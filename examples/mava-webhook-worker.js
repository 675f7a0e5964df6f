// Receives Mava's outgoing webhooks in a Cloudflare Worker: every delivery is verified and opened
// with the signing key, a retry or replay is answered 200 without being processed again (the ids
// are remembered in a KV namespace), and the event's type is logged.
//
// wrangler.toml:
//   [[kv_namespaces]]
//   binding = "MAVA_WEBHOOKS_SEEN"
//   id = "<the namespace's id>"
// and the key from Mava's dashboard (Admin → API & Webhooks) as a secret:
//   wrangler secret put MAVA_WEBHOOK_SIGNING_KEY
// Point Mava's webhook URL at https://<your worker>/webhooks/mava.
import { openMavaWebhook, ValidationError, WebhookError } from "mava-sdk";

/** How long ids are remembered: Mava retries within seconds; a week also keeps out replays of last week's deliveries. */
const REMEMBER_SECONDS = 7 * 24 * 60 * 60;

/**
 * A `seen` store on a KV namespace. KV is eventually consistent between locations: a retry that
 * lands in another location within about a minute may not see the first delivery yet. Where an
 * event must never be handled twice, keep the ids in a Durable Object instead.
 */
export function kvSeen(kv) {
  return {
    has: async (id) => (await kv.get(`mava-webhook:${id}`)) !== null,
    add: (id) => kv.put(`mava-webhook:${id}`, "1", { expirationTtl: REMEMBER_SECONDS }),
  };
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/webhooks/mava") return new Response("Not Found", { status: 404 });
    if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } });

    let event;
    try {
      event = await openMavaWebhook(await request.text(), env.MAVA_WEBHOOK_SIGNING_KEY, { seen: kvSeen(env.MAVA_WEBHOOKS_SEEN) });
    } catch (e) {
      // Not a delivery at all.
      if (e instanceof ValidationError) return new Response("Bad Request", { status: 400 });
      // Not signed with this key (or changed on the way): never processed.
      if (e instanceof WebhookError && e.code === "INVALID_SIGNATURE") return new Response("Unauthorized", { status: 401 });
      // The key is not set up (INVALID_SIGNING_KEY), KV failed (SEEN_FAILED), or an authentic
      // payload could not be read (DECRYPT_FAILED): log it, and let Mava retry.
      console.error(`Mava webhook not processed: ${e.name} ${e.code}: ${e.message}`);
      return new Response("Internal Server Error", { status: 500 });
    }

    // A retry of a delivery already handled, or a replay of one: answer as Mava expects, do nothing.
    if (event.duplicate) return new Response("duplicate");

    console.log(`Mava webhook ${event.webhookId}: ${event.type}`);
    // Handle the event here: event.document is the Ticket (ticket.created), Message or Customer.
    // Its ids are already remembered, so if handling can fail and should be retried by Mava,
    // do it in a queue (env.QUEUE.send(event)) rather than failing the response.
    return new Response("ok");
  },
};
