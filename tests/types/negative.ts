// Wrong uses of the package that must not compile. Each one is preceded by `// @ts-expect-error`:
// tsc fails on an expectation that no longer errors, so a loosened type breaks the build.
// The calls in `negatives` are also run (tests/types/run.ts): each must throw or reject with
// ValidationError (or TypeError for a method that doesn't exist), so the types reject nothing
// the run time accepts. `typeOnly` holds mistakes only a compiler can catch; it is never run.
// `node tests/types/check.mjs --explain` prints the compiler's message for each line.
import { Mava, Mavibot, openMavaWebhook, parseMavibotWebhook, validate } from "mava-sdk";
import type {
  ApiError, AuthenticationError, IterateProgress, JsonValue, MavaWebhookEvent, MavibotWebhookEvent, NetworkError,
  SdkRequest, Ticket, TicketPage, ValidationError, ValidationIssue, WebhookError,
} from "mava-sdk";

/** Records a wrong call, to be run: it must throw or reject (see run.ts). */
export type Fails = (call: () => unknown) => void;

const ID = "64b7f0c2a1b2c3d4e5f60718";
const FETCH = async (): Promise<Response> => new Response("{}");

export function negatives(mava: Mava, bot: Mavibot, fails: Fails): void {
  // ------------------------------------------------ client options
  // @ts-expect-error options are required
  fails(() => new Mava());
  // @ts-expect-error apiKey is required
  fails(() => new Mava({}));
  // @ts-expect-error apiKey is required
  fails(() => new Mavibot({ baseUrl: "https://chatter.mavibot.ai" }));
  // @ts-expect-error apiKey is a string
  fails(() => new Mava({ apiKey: 42 }));
  // @ts-expect-error unknown option (timeoutMs is the name)
  fails(() => new Mava({ apiKey: "k", timeout: 5000 }));
  // @ts-expect-error messageMethod is an option of Mava only
  fails(() => new Mavibot({ apiKey: "k", messageMethod: "POST" }));
  // @ts-expect-error messageMethod is PUT or POST
  fails(() => new Mava({ apiKey: "k", messageMethod: "PATCH" }));
  // @ts-expect-error rateLimit needs windowMs
  fails(() => new Mava({ apiKey: "k", rateLimit: { requests: 90 } }));
  // @ts-expect-error fetch is a function
  fails(() => new Mava({ apiKey: "k", fetch: "https://example.com" }));
  // @ts-expect-error maxRetries is a number
  fails(() => new Mava({ apiKey: "k", fetch: FETCH, maxRetries: "2" }));

  // ------------------------------------------------ Mava inputs
  // @ts-expect-error priority is 1, 2 or 3
  fails(() => mava.createTicket({ customerId: ID, priority: 4 }));
  // @ts-expect-error "Closed" is not a ticket status
  fails(() => mava.createTicket({ customerId: ID, status: "Closed" }));
  // @ts-expect-error "slack" is not a source type
  fails(() => mava.createTicket({ customerId: ID, sourceType: "slack" }));
  // @ts-expect-error customerId and customer exclude each other
  fails(() => mava.createTicket({ customerId: ID, customer: { email: "ann@example.com" } }));
  // @ts-expect-error one of customerId and customer is required
  fails(() => mava.createTicket({ priority: 1 }));
  // @ts-expect-error a customer needs an email or a walletAddress
  fails(() => mava.createTicket({ customer: { name: "Ann" } }));
  // @ts-expect-error message.content is required
  fails(() => mava.createTicket({ customerId: ID, message: {} }));
  // @ts-expect-error "Pdf" is not an attachment type
  fails(() => mava.createTicket({ customerId: ID, message: { content: "hi", attachments: [{ url: "https://a.b/c", fileName: "c", type: "Pdf" }] } }));
  // @ts-expect-error tags is an array
  fails(() => mava.createTicket({ customerId: ID, tags: ID }));
  // @ts-expect-error unknown field
  fails(() => mava.createTicket({ customerId: ID, subject: "Cannot log in" }));
  // @ts-expect-error options where the input belongs
  fails(() => mava.createTicket({ signal: AbortSignal.timeout(1000) }));
  // @ts-expect-error ticketId is required
  fails(() => mava.updateTicket({ status: "Open" }));
  // @ts-expect-error an update must change something
  fails(() => mava.updateTicket({ ticketId: ID }));
  // @ts-expect-error priority is a number
  fails(() => mava.updateTicket({ ticketId: ID, priority: "high" }));
  // @ts-expect-error content or attachments is required
  fails(() => mava.sendMessage({ ticketId: ID, messageType: "InternalNote" }));
  // @ts-expect-error "Note" is not a message type
  fails(() => mava.sendMessage({ ticketId: ID, content: "hi", messageType: "Note" }));
  // @ts-expect-error an attachment needs fileType
  fails(() => mava.sendMessage({ ticketId: ID, attachments: [{ fileName: "a.txt", url: "https://a.b/a.txt" }] }));
  // @ts-expect-error startDate is required
  fails(() => mava.fetchTickets({ endDate: "2026-02-01" }));
  // @ts-expect-error the query is required
  fails(() => mava.fetchTickets());
  // @ts-expect-error a date is a string or a Date
  fails(() => mava.fetchTickets({ startDate: 1767225600000, endDate: "2026-02-01" }));
  // @ts-expect-error "title" is not a sort field
  fails(() => mava.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01", sortBy: "title" }));
  // @ts-expect-error "Closed" is not a status filter
  fails(() => mava.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01", status: ["Open", "Closed"] }));
  // @ts-expect-error limit is a number
  fails(() => mava.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01", limit: "10" }));
  // @ts-expect-error csatValues are 1–5 or "no-rating"
  fails(() => mava.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01", csatValues: 6 }));
  // @ts-expect-error the field is spelled plaformUserId by the API
  fails(() => mava.identify({ platformUserId: "u1" }));
  // @ts-expect-error attribute values are strings
  fails(() => mava.identify({ customAttributes: [{ label: "Plan", value: 3 }] }));
  // @ts-expect-error getCategories takes no input, only options
  fails(() => mava.getCategories({ customerId: ID }));
  // @ts-expect-error unknown call option
  fails(() => mava.getAgents({ timeout: 5000 }));
  // @ts-expect-error the query needs its dates
  fails(() => mava.iterateTickets({ status: "Open" }));

  // ------------------------------------------------ methods of the other client
  // @ts-expect-error broadcast is a Mavibot method
  fails(() => mava.broadcast({ list: 1, message: "hi" }));
  // @ts-expect-error createTicket is a Mava method
  fails(() => bot.createTicket({ customerId: ID }));
  // @ts-expect-error call is a Mavibot method
  fails(() => mava.call("get_clients", {}));
  // @ts-expect-error iterateTickets is a Mava method
  fails(() => bot.iterateTickets({ startDate: "2026-01-01", endDate: "2026-02-01" }));
  // @ts-expect-error builders follow their client too
  fails(() => mava.build.broadcast({ list: 1, message: "hi" }));
  // @ts-expect-error so do validators
  fails(() => validate.mava.broadcast({ list: 1, message: "hi" }));

  // ------------------------------------------------ builders and validators
  // @ts-expect-error a builder validates like its method
  fails(() => mava.build.createTicket({}));
  // @ts-expect-error a validator needs the input
  fails(() => validate.mava.createTicket());
  // @ts-expect-error the webhook body is required
  fails(() => parseMavibotWebhook());
  // @ts-expect-error seen needs add (a Map has set)
  fails(() => openMavaWebhook("{}", "mava_wh_AAAA", { seen: new Map<string, boolean>() }));
  // @ts-expect-error seen is the only option
  fails(() => openMavaWebhook("{}", "mava_wh_AAAA", { dedupe: new Set<string>() }));

  // ------------------------------------------------ Mavibot inputs
  // @ts-expect-error a broadcast names its recipients (or says allClients: true)
  fails(() => bot.broadcast({ message: "hi" }));
  // @ts-expect-error one recipient mode only
  fails(() => bot.broadcast({ list: 1, clients: [1], message: "hi" }));
  // @ts-expect-error allClients excludes the recipient modes
  fails(() => bot.broadcast({ list: 1, message: "hi", allClients: true }));
  // @ts-expect-error platform_ids needs group_id
  fails(() => bot.broadcast({ platform_ids: ["p1"], message: "hi" }));
  // @ts-expect-error attachment_url needs attachment_type
  fails(() => bot.broadcast({ list: 1, attachment_url: "https://a.b/c.png" }));
  // @ts-expect-error a broadcast needs content
  fails(() => bot.broadcast({ list: 1 }));
  // @ts-expect-error allClients is a boolean
  fails(() => bot.broadcast({ message: "hi", allClients: "yes" }));
  // @ts-expect-error broadcast takes no extra fields
  fails(() => bot.broadcast({ list: 1, message: "hi", text: "hi" }));
  // @ts-expect-error a message names its client
  fails(() => bot.message({ message: "hi" }));
  // @ts-expect-error a message needs content
  fails(() => bot.message({ client_id: 1 }));
  // @ts-expect-error "gif" is not an attachment type
  fails(() => bot.message({ client_id: 1, attachment_type: "gif", attachment_url: "https://a.b/c.gif" }));
  // @ts-expect-error a button needs text
  fails(() => bot.message({ client_id: 1, message: "hi", buttons: [{ type: "inline" }] }));
  // @ts-expect-error "link" is not a button type
  fails(() => bot.message({ client_id: 1, message: "hi", buttons: [{ text: "Go", type: "link" }] }));
  // @ts-expect-error method is GET or POST
  fails(() => bot.message({ client_id: 1, message: "hi" }, { method: "PUT" }));
  // @ts-expect-error a whatsapp message needs the phone
  fails(() => bot.whatsappMessage({ message: "hi" }));
  // @ts-expect-error a callback names its client
  fails(() => bot.callback({ message: "start" }));
  // @ts-expect-error a callback needs its text
  fails(() => bot.callback({ client_id: 1 }));
  // @ts-expect-error client_id is a string or a number
  fails(() => bot.callback({ client_id: true, message: "start" }));
  // @ts-expect-error extra fields are JSON values
  fails(() => bot.callback({ client_id: 1, message: "start", then: () => 1 }));
  // @ts-expect-error vk_callback needs group_id
  fails(() => bot.vkCallback({ user_id: 1, message: "hi" }));
  // @ts-expect-error tg_callback needs user_id
  fails(() => bot.tgCallback({ message: "hi", group_id: "shop_bot" }));
  // @ts-expect-error whatsapp_callback needs the phone
  fails(() => bot.whatsappCallback({ message: "hi" }));
  // @ts-expect-error client_id is required
  fails(() => bot.getHistory({ limit: 10 }));
  // @ts-expect-error start_date and stop_date come together
  fails(() => bot.getHistory({ client_id: 1, start_date: "01.01.2026" }));
  // @ts-expect-error limit is a number
  fails(() => bot.getHistory({ client_id: 1, limit: "100" }));
  // @ts-expect-error load_clients takes the array itself
  fails(() => bot.loadClients({ platform_id: 1, group_id: 1, client_type: 1 }));
  // @ts-expect-error 4 is not a client type
  fails(() => bot.loadClients([{ platform_id: 1, group_id: 1, client_type: 4 }]));
  // @ts-expect-error the input is required (`{}` for all clients)
  fails(() => bot.getClients());
  // @ts-expect-error limit is a number
  fails(() => bot.getClients({ limit: "10" }));
  // @ts-expect-error save_variables names its client
  fails(() => bot.saveVariables({ variables: { a: 1 } }));
  // @ts-expect-error variables is required
  fails(() => bot.saveVariables({ client_id: 1 }));
  // @ts-expect-error variable values are JSON values
  fails(() => bot.saveVariables({ client_id: 1, variables: { at: 10n } }));
  // @ts-expect-error order_status is 0, 1 or 2
  fails(() => bot.getOrders({ client_id: 1, order_status: 3 }));
  // @ts-expect-error search_in is "order"
  fails(() => bot.findClientIdByVar({ var: "city", val: "Riga", search_in: "client" }));
  // @ts-expect-error create_order names its client
  fails(() => bot.createOrder({ name: "Order" }));
  // @ts-expect-error client_ids is an array
  fails(() => bot.deleteClients({ client_ids: 1 }));
  // @ts-expect-error recipient is required
  fails(() => bot.onlineChatClientId({ tag: "landing" }));
  // @ts-expect-error q is an object of conditions
  fails(() => bot.findClients({ q: "name" }));
  // @ts-expect-error connected_channels takes no input, only options
  fails(() => bot.connectedChannels({ list: 1 }));
  // @ts-expect-error reverse is a boolean
  fails(() => bot.iterateClients({ reverse: "yes" }));
  // @ts-expect-error call's params are JSON values
  fails(() => bot.call("some_action", { run: () => 1 }));
  // @ts-expect-error the action is a string
  fails(() => bot.call(42, {}));
  // @ts-expect-error method is GET or POST
  fails(() => bot.call("some_action", {}, { method: "PUT" }));
}

/** Mistakes with results, errors and read-only members: compile-time only, never run. */
export async function typeOnly(
  mava: Mava, bot: Mavibot, ticket: Ticket, page: TicketPage, progress: IterateProgress, v: ValidationError, a: ApiError,
  auth: AuthenticationError, n: NetworkError, issue: ValidationIssue, event: MavibotWebhookEvent, request: SdkRequest,
  mavaEvent: MavaWebhookEvent, w: WebhookError,
): Promise<void> {
  // @ts-expect-error a webhook ticket's priority is a string (the REST API's is a number)
  const webhookPriority: number = "priority" in mavaEvent.document ? mavaEvent.document.priority : 1;
  // @ts-expect-error a WebhookError's code is one of five
  const webhookCode: "TIMEOUT" = w.code;
  // @ts-expect-error a status is one of four literals
  const status: "Closed" = ticket.status;
  // @ts-expect-error priority is 1, 2 or 3
  const priority: 4 = ticket.priority;
  // @ts-expect-error no such field
  const title: string = ticket.title;
  // @ts-expect-error customer is null for telegram-group tickets
  const customer: string = ticket.customer._id;
  // @ts-expect-error resolutionTime is null while unresolved
  const resolution: number = ticket.resolutionTime;
  // @ts-expect-error the total is `count`
  const total: number = page.total;
  // @ts-expect-error Mavibot pages have no total
  const known: number = progress.total;
  // @ts-expect-error a ValidationError has no status
  const vStatus: number = v.status;
  // @ts-expect-error its code is VALIDATION_ERROR
  const vCode: "TIMEOUT" = v.code;
  // @ts-expect-error issue codes are a closed set
  const unknownCode: boolean = issue.code === "NOT_A_CODE";
  // @ts-expect-error an ApiError's code is a string
  const numericCode: boolean = a.code === 404;
  // @ts-expect-error an AuthenticationError is a 401
  const forbidden: 403 = auth.status;
  // @ts-expect-error a stack may be missing
  const stack: number = n.cause.stack.length;
  // @ts-expect-error a webhook client id is a string or a number
  const fixed: string = event.client.id.toFixed();
  // @ts-expect-error a GET has no body
  const body: string = request.body;
  // @ts-expect-error no DELETE requests
  const del: boolean = request.method === "DELETE";
  // @ts-expect-error JSON has no undefined
  const nothing: JsonValue = undefined;
  // @ts-expect-error getClients resolves to { status, clients }
  const clients: string[] = (await bot.getClients({})).clients;
  // @ts-expect-error getCategories resolves to { categories }
  const categories: string[] = (await mava.getCategories()).categories;
  // @ts-expect-error build is read-only
  mava.build = bot.build;
  // @ts-expect-error so are the validators
  validate.mava = validate.mavibot;
  // @ts-expect-error a builder of a call without input takes no argument
  mava.build.getAgents({});
  // @ts-expect-error Mava calls take no `method` (the run time accepts it today: reported)
  await mava.getAgents({ method: "POST" });
  // @ts-expect-error onProgress is a function (the run time fails only after the first page)
  mava.iterateTickets({ startDate: "2026-01-01", endDate: "2026-02-01" }, { onProgress: 5 });
  void [status, priority, title, customer, resolution, total, known, vStatus, vCode, unknownCode, numericCode, forbidden];
  void [stack, fixed, body, del, nothing, clients, categories, webhookPriority, webhookCode];
}
