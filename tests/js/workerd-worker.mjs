// A Worker that uses the package the way a Cloudflare user would; bundled by workerd.test.mjs.
import { Mava, ValidationError, validate } from "mava-sdk";

export default {
  async fetch(_request, env) {
    try {
      const mava = new Mava({ apiKey: env.MAVA_API_KEY, baseUrl: env.MAVA_BASE_URL });
      const { categories } = await mava.getCategories();
      const { agents } = await mava.getAgents();
      const { mavaCustomerId } = await mava.identify({ emailAddress: "worker@example.com" });
      const ticket = await mava.createTicket({ customer: { email: "worker@example.com" }, message: { content: "from a Worker" } });
      const updated = await mava.updateTicket({ ticketId: ticket._id, priority: 3 });
      const sent = await mava.sendMessage({ ticketId: ticket._id, content: "from workerd" });
      const page = await mava.fetchTickets({ startDate: "2026-01-01", endDate: "2027-01-01", limit: 10 });
      let validationError = null;
      try {
        await mava.createTicket({ customer: { walletAddress: "0x12" } });
      } catch (e) {
        validationError = e instanceof ValidationError ? e.name : String(e);
      }
      const issueCodes = validate.mava.createTicket({ customer: { walletAddress: "0x12" } }).map((i) => i.code);
      return Response.json({
        categories: categories.length, agents: agents.length, mavaCustomerId, ticketId: ticket._id,
        updated: updated.message, messageContent: sent.message.content, count: page.count, validationError, issueCodes,
      });
    } catch (e) {
      return Response.json({ error: String(e), stack: e.stack }, { status: 500 });
    }
  },
};
