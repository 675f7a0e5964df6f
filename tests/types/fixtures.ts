// Canned response bodies for the run-time half of the type tests, typed with the result types
// (so they also check that every result type can be built), and stub fetches that answer with
// them. Nothing here talks to a network.
import type { JsonValue, MavaResults, MavibotResults, Ticket } from "mava-sdk";

const ticket: Ticket = {
  _id: "64b7f0c2a1b2c3d4e5f60718",
  createdAt: "2026-01-02T03:04:05.000Z",
  updatedAt: "2026-01-02T03:04:05.000Z",
  status: "Open",
  priority: 2,
  sourceType: "web",
  resolutionTime: null,
  assignedTo: { _id: "64b7f0c2a1b2c3d4e5f6071a", name: "Bea" },
  category: null,
  tags: [{ _id: "64b7f0c2a1b2c3d4e5f6071c", name: "login" }],
  csat: { value: 5 },
  aiStatus: null,
  discordUsers: [{ discordAuthorId: "1234", name: "ann#1" }],
  attributes: [{ attributeId: "64b7f0c2a1b2c3d4e5f6071d", name: "Region", content: "EU" }],
  customer: { _id: "64b7f0c2a1b2c3d4e5f60719", email: "ann@example.com", attributes: [] },
  messages: [
    {
      _id: "64b7f0c2a1b2c3d4e5f6071e",
      content: "I cannot log in.",
      senderType: "customer",
      senderName: null,
      messageType: "ExternalMessage",
      createdAt: "2026-01-02T03:04:05.000Z",
      attachments: [],
    },
  ],
  emailSubjectLine: "Cannot log in",
};

export const mavaResults: MavaResults = {
  identify: { mavaCustomerId: "64b7f0c2a1b2c3d4e5f60719" },
  getCategories: { categories: [{ _id: "64b7f0c2a1b2c3d4e5f6071b", name: "Billing" }] },
  getAgents: { agents: [{ id: "64b7f0c2a1b2c3d4e5f6071a", email: null, username: "bea", walletAddress: "0x52908400098527886E0F7030069857D2E4169EE7" }] },
  createTicket: ticket,
  updateTicket: { message: "Ticket updated" },
  sendMessage: { message: { _id: "m1" }, ticket: { _id: ticket._id }, sender: { name: "API" } },
  fetchTickets: { tickets: [ticket], count: 3, pagination: { limit: 1, skip: 0, hasMore: true } },
};

const client = {
  id: 1,
  platform_id: "123",
  client_type: 1,
  name: "Ann",
  avatar: null,
  message_id: null,
  project_id: 7,
  created_at: 1767225600,
  updated_at: 1767225600,
  tag: null,
  group: "shop_bot",
  custom_answer: null,
} as const;

const ok = { status: "success" } as const;

export const mavibotResults: MavibotResults = {
  callback: ok,
  vkCallback: ok,
  whatsappCallback: ok,
  okCallback: ok,
  tgCallback: ok,
  maxCallback: ok,
  sendCallbackByPlatformId: ok,
  emailCallback: ok,
  message: ok,
  whatsappMessage: ok,
  broadcast: ok,
  getHistory: {
    status: "success",
    result: [
      {
        id: 1, answered: true, client_replica: true, message_id: null, message_from_outside: 0, created_at: 1767225600, text: "hi",
        attachments: {}, delivered: true, error_message: null, manager_id: null, manager_email: null,
      },
    ],
  },
  clearHistory: ok,
  assignToUser: ok,
  loadClients: { status: "success", items: [{ platform_id: "79990000000", group_id: "", client_type: 13, status: "success", id: 5 }] },
  addToList: ok,
  removeFromList: ok,
  getClients: { status: "success", clients: [client, { ...client, id: 2 }] },
  deleteClients: ok,
  saveVariables: ok,
  getVariables: { "client.phone": "88888888888" },
  findClientIdByPlatformId: [
    { id: 1, tag: null, created_at: 1767225600, name: "Ann", avatar: null, platform_id: "123", group: "shop_bot", variables: {} },
  ],
  onlineChatClientId: { client_id: 36553 },
  whatsappClientId: { status: "success", client_id: 1 },
  findClientIdByPhone: { status: "success", client_id: 1 },
  findClientIdByEmail: { status: "success", client_id: 1 },
  findClientIdByVar: { status: "success", client_id: 1 },
  findLatestClientIdByVar: { status: "success", client_id: 1 },
  findAllClientIdByVar: { status: "success", client_ids: [1] },
  findAllClientIdBySeveralVars: { status: "success", client_ids: [93891114] },
  findClients: { status: "success", client_ids: [41203, 5622354] },
  getCurrentOrderId: { status: "success", order_id: 40632 },
  getOrders: { status: "success", order_id: [40338, 40340] },
  moveOrderToNextState: { status: "success", state_id: 37 },
  getOrderVars: { status: "success", result: { var_name1: "111" } },
  setOrderVars: ok,
  createOrder: { status: "success", order_id: 40654 },
  setOrderState: ok,
  getOrderState: { status: "success", state_id: 123456 },
  checkWhatsapp: ok,
  connectedChannels: {
    project_id: 1,
    telegram: [{ id: 23, name: "Shop", enabled: true, group_id: "shop_bot" }],
    whatsapp: [{ id: 24, group_id: 11, status: 1 }],
  },
  getMessages: [{ id: 1, name: "Start" }],
};

const json = (status: number, body: JsonValue, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** A fetch that always answers `status` with `body`. */
export const respond = (status: number, body: JsonValue, headers?: Record<string, string>) => async (): Promise<Response> =>
  json(status, body, headers);

/** Every request the stub fetches received, as `METHOD path`. */
export const requests: string[] = [];

/** A fetch that answers every Mava endpoint with the canned body. */
export async function mavaFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  requests.push(`${request.method} ${url.pathname}`);
  const route: Record<string, keyof MavaResults> = {
    "POST /api/identify": "identify",
    "GET /api/categories": "getCategories",
    "GET /api/agents": "getAgents",
    "POST /api/ticket": "createTicket",
    "PUT /api/ticket": "updateTicket",
    "PUT /api/message": "sendMessage",
    "POST /api/message": "sendMessage",
    "GET /api/tickets": "fetchTickets",
  };
  const name = route[`${request.method} ${url.pathname}`];
  if (name === undefined) return json(404, { error: "Not found" });
  if (name === "fetchTickets") {
    // Three tickets in pages of `limit`, for iterateTickets.
    const limit = Number(url.searchParams.get("limit") ?? 50);
    const skip = Number(url.searchParams.get("skip") ?? 0);
    const count = 3;
    const tickets = Array.from({ length: Math.max(0, Math.min(limit, count - skip)) }, () => ticket);
    return json(200, { tickets, count, pagination: { limit, skip, hasMore: skip + tickets.length < count } } as unknown as JsonValue);
  }
  return json(name === "createTicket" ? 201 : 200, mavaResults[name] as unknown as JsonValue);
}

/** A fetch that answers every Mavibot action with the canned body (any other action: `{ status: "success" }`). */
export async function mavibotFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  requests.push(`${request.method} ${url.pathname}`);
  const action = url.pathname.split("/").pop() ?? "";
  const name = action.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof MavibotResults;
  if (name === "getClients") {
    // Three clients in pages of `limit`, for iterateClients.
    const limit = Number(url.searchParams.get("limit") ?? 500);
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const clients = [1, 2, 3].slice(offset, offset + limit).map((id) => ({ ...client, id }));
    return json(200, { status: "success", clients });
  }
  const body = name in mavibotResults ? mavibotResults[name] : ok;
  return json(200, body as unknown as JsonValue);
}
