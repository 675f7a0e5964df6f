/**
 * Types of the `mava-sdk` package: typed, validated clients for the Mava support-desk API
 * ({@link Mava}) and the Mavibot chatbot API ({@link Mavibot}), validators that need no client
 * ({@link validate}), the Mava webhook receiver ({@link verifyMavaWebhook}, {@link openMavaWebhook}),
 * the Mavibot webhook parser ({@link parseMavibotWebhook}) and the errors every call can throw
 * ({@link SdkError} and its subclasses).
 *
 * Every input type is generated from the call descriptions the validators themselves use: enums
 * are literal unions, required fields are required, and the cross-field rules a type can state
 * are unions ("exactly one of `customerId` and `customer`"). What a type can't say (formats,
 * lengths, date ranges) is in each field's documentation and checked before any request.
 *
 * Needs TypeScript 5.0 or later (`require` gets the same declarations as CommonJS ones) and the
 * fetch types (`Request`, `Response`, `AbortSignal`) of `lib.dom`, `@types/node`,
 * `@cloudflare/workers-types`, Deno or Bun.
 *
 * @packageDocumentation
 */
import type {
  ClientType, FetchTicketsInput, GetClientsInput, IssueCode, MavaBuilders, MavaMethods, MavaValidators,
  MavibotBuilders, MavibotMethods, MavibotValidators, TicketPriority, TicketStatus,
} from "./calls.js";
export type * from "./calls.js";

/** Any value JSON can carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------- options

/** A client-side limit: at most `requests` per sliding window of `windowMs`. */
export interface RateLimitOptions {
  /** An integer from 1 to 1000000. */
  requests: number;
  /** An integer from 1 to 86400000 (a day). */
  windowMs: number;
  /** Shared state for many isolates using one key (e.g. a Durable Object); see the README. */
  store?: RateLimitStore;
}

/** Where many isolates that share one API key keep one rate-limit window. */
export interface RateLimitStore {
  /**
   * Resolves when one request may be sent; a rejection fails the call with `NetworkError`.
   * `key` is a fingerprint of the API key, never the key.
   */
  acquire(request: { key: string; requests: number; windowMs: number; signal: AbortSignal | undefined }): PromiseLike<unknown> | void;
}

/** Options of both clients. Unknown options are reported (`ValidationError`), not ignored. */
export interface ClientOptions {
  /** Required, non-empty. Never appears in errors, messages or logs. */
  apiKey: string;
  /** Origin of the API; no trailing slash needed. */
  baseUrl?: string;
  /** A WHATWG `fetch` used for every request (default: the global `fetch`); it gets one `Request`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Milliseconds per attempt before `TimeoutError` (default 30000, at most a day). */
  timeoutMs?: number;
  /** Retries after the first attempt, 0 to 10 (default 2). */
  maxRetries?: number;
  /** Backoff base in milliseconds, with full jitter (default 500). */
  retryBaseMs?: number;
  /** Backoff cap in milliseconds (default 8000). */
  retryMaxMs?: number;
  /**
   * A `Retry-After` longer than this is not waited for: the error is thrown at once, and a 429
   * holds the shared rate-limit window no longer than this (default 60000).
   */
  maxRetryAfterMs?: number;
  /**
   * Milliseconds a call may wait for its rate-limit slot (or the `rateLimit.store`) before it
   * fails with `TimeoutError` code `QUEUE_TIMEOUT` (default 300000, at most a day). Separate from
   * `timeoutMs`, which bounds each attempt once it is sent.
   */
  queueTimeoutMs?: number;
  /** `false` turns the client-side limit off; `true` uses the default. */
  rateLimit?: RateLimitOptions | boolean;
}

/** Options of a {@link Mava} client. */
export interface MavaOptions extends ClientOptions {
  /** `/api/message` method: `PUT` as the endpoint section documents (default), or `POST` as the docs' examples. */
  messageMethod?: "PUT" | "POST";
}

/** Options of a {@link Mavibot} client. */
export interface MavibotOptions extends ClientOptions {}

/** The optional last argument of every method. */
export interface CallOptions {
  /** Aborting it aborts the call with `AbortError`. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `queueTimeoutMs` for this call. */
  queueTimeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Allow repeating a create after a failure that may have reached the server. */
  retryCreates?: boolean;
}

/** The optional last argument of every {@link Mavibot} method and of `bot.call`. */
export interface MavibotCallOptions extends CallOptions {
  /** Send the action as GET or POST instead of its documented method (the service accepts both for many). */
  method?: "GET" | "POST";
}

/** Options of `iterateTickets` and `iterateClients`. */
export interface IterateOptions extends CallOptions {
  /** Called after each page. `total` is known for Mava (the `count` of the first page), `undefined` for Mavibot. */
  onProgress?: (progress: IterateProgress) => void;
}

/** What `onProgress` is told after each page. */
export interface IterateProgress {
  /** Items fetched so far. */
  fetched: number;
  /** Items in all pages, when the API says. */
  total: number | undefined;
}

/** What `build.*` returns: the request a method would send. */
export interface SdkRequest {
  method: "GET" | "POST" | "PUT";
  /** The full URL with the query string (a Mavibot URL holds the API key). */
  url: string;
  /** Lower-case header names (a Mava request holds the API key in `x-auth-token`). */
  headers: Record<string, string>;
  /** The JSON text, or `undefined` for GET. */
  body: string | undefined;
}

/** One broken rule of an input. */
export interface ValidationIssue {
  /** The field (`customer.walletAddress`, `message.attachments[2].url`), `""` for the whole input. */
  path: string;
  /** Stable UPPER_SNAKE code: the API's own where documented (`INVALID_LIMIT` …), else the SDK's. */
  code: IssueCode;
  /** Readable English, starting with the path. */
  message: string;
}

// ---------------------------------------------------------------- Mava results

/** `{ _id, name }` of an agent, category or tag on a ticket. */
export interface Ref {
  _id: string;
  name: string;
}

/** An active category (`getCategories`). */
export interface Category {
  _id: string;
  name: string;
}

/** An agent of the organisation (`getAgents`); `id` is what `assignedTo` takes. */
export interface Agent {
  id: string;
  /** `null` when the agent signed up with a wallet. */
  email: string | null;
  username: string | null;
  /** `null` when the agent signed up with e-mail. */
  walletAddress: string | null;
}

/** A custom attribute's value on a ticket or customer. */
export interface AttributeValue {
  attributeId: string;
  name: string;
  content: string;
}

/** Where a ticket came from: the documented values, or another the API may add. */
export type TicketSource = "web" | "discord" | "telegram" | "telegram-group" | "twitter" | "email" | (string & {});

/** A message of a ticket's thread (`includeMessages: true`). */
export interface TicketMessage {
  _id: string;
  content: string;
  senderType: "customer" | "agent" | "system";
  /** The Discord username when known. */
  senderName: string | null;
  messageType: "ExternalMessage" | "InternalNote" | (string & {});
  /** ISO 8601. */
  createdAt: string;
  /** Item shape not documented. */
  attachments: JsonValue[];
}

/** A ticket, as `createTicket` and `fetchTickets` return it. */
export interface Ticket {
  _id: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  status: TicketStatus;
  priority: TicketPriority;
  sourceType: TicketSource;
  /** Milliseconds from creation to resolution; `null` while unresolved. */
  resolutionTime: number | null;
  assignedTo: Ref | null;
  category: Ref | null;
  tags: Ref[];
  /** `null` without a rating (and for telegram-group tickets). */
  csat: { value: 1 | 2 | 3 | 4 | 5 } | null;
  /** E.g. `"resolved"`; `null` for telegram-group tickets. */
  aiStatus: string | null;
  /** Empty for tickets not from Discord. */
  discordUsers: Array<{ discordAuthorId: string; name: string }>;
  attributes: AttributeValue[];
  /** `null` for telegram-group tickets. */
  customer: { _id: string; email?: string | null; attributes: AttributeValue[] } | null;
  /** Only with `includeMessages: true` (and on a created ticket), oldest first. */
  messages?: TicketMessage[];
  emailSubjectLine?: string;
}

/** One page of `fetchTickets`. */
export interface TicketPage {
  tickets: Ticket[];
  /** Matching tickets across all pages. */
  count: number;
  pagination: { limit: number; skip: number; hasMore: boolean };
}

/** `identify`'s answer (shape undocumented): a new customer's id when none was sent. */
export interface IdentifyResult {
  mavaCustomerId?: string;
  [key: string]: JsonValue | undefined;
}
/** `getCategories`'s answer. */
export interface CategoryList {
  categories: Category[];
}
/** `getAgents`'s answer. */
export interface AgentList {
  agents: Agent[];
}
/** `updateTicket`'s answer. */
export interface UpdateTicketResult {
  message: string;
}
/** `sendMessage`'s answer; the inner shapes are not documented. */
export interface SentMessage {
  message: { [key: string]: JsonValue };
  ticket: { [key: string]: JsonValue };
  sender: { [key: string]: JsonValue };
}

/** What each {@link Mava} method resolves to (the methods name these types themselves). */
export interface MavaResults {
  identify: IdentifyResult;
  getCategories: CategoryList;
  getAgents: AgentList;
  createTicket: Ticket;
  updateTicket: UpdateTicketResult;
  sendMessage: SentMessage;
  fetchTickets: TicketPage;
}

// ---------------------------------------------------------------- Mavibot results

/** A success body whose other fields the docs don't give. */
export interface MavibotStatus {
  status?: string;
  [key: string]: JsonValue | undefined;
}

/** A Mavibot client record (`getClients`, `iterateClients`). */
export interface BotClient {
  id: number;
  platform_id: string;
  /** One of {@link ClientType}, or a messenger added since. */
  client_type: ClientType | (number & {});
  name: string | null;
  avatar: string | null;
  message_id: number | null;
  project_id: number;
  /** Unix seconds. */
  created_at: number;
  /** Unix seconds. */
  updated_at: number;
  tag: string | null;
  /** The bot the client is bound to (e.g. a VK group id). */
  group: string | null;
  [key: string]: JsonValue | undefined;
}

/** A message of a client's history (`getHistory`). */
export interface HistoryMessage {
  id: number;
  answered: boolean;
  /** Written by the client. */
  client_replica: boolean;
  /** The bot block it came from. */
  message_id: number | null;
  /** 0 ordinary, 1 API, 2 CRM, 3 callback, 5 telephony. */
  message_from_outside: 0 | 1 | 2 | 3 | 5 | (number & {});
  /** Unix seconds. */
  created_at: number;
  text: string;
  attachments: JsonValue;
  delivered: boolean;
  error_message: string | null;
  manager_id: number | null;
  manager_email: string | null;
  [key: string]: JsonValue | undefined;
}

/** A connected channel (`connectedChannels`); pass its `group_id` to `loadClients` and others. */
export interface Channel {
  id: number;
  name?: string;
  group_id: string | number;
  enabled?: boolean;
  /** WhatsApp only: 0 not started, 1 started, 2 asleep, 3 stopped. */
  status?: 0 | 1 | 2 | 3;
  [key: string]: JsonValue | undefined;
}

/** A success body: `status` is `"success"` (failures reported in a 200 body reject with `ApiError`). */
export type MavibotSuccess<T> = { status: "success" } & T;

/** A result of `loadClients`, one per loaded client. */
export interface LoadedClient {
  platform_id: string | number;
  group_id: string | number;
  client_type: ClientType | (number & {});
  status: string;
  /** The client id. */
  id: number;
}

/** A client found by `findClientIdByPlatformId`. */
export interface FoundClient {
  id: number;
  tag: string | null;
  created_at: number | string;
  name: string | null;
  avatar: string | null;
  platform_id: string;
  group: string | null;
  variables: { [name: string]: JsonValue };
}

/** `getHistory`'s answer. */
export type BotHistory = MavibotSuccess<{ result: HistoryMessage[] }>;
/** `loadClients`'s answer. */
export type LoadedClients = MavibotSuccess<{ items: LoadedClient[] }>;
/** `getClients`'s answer. */
export type BotClientList = MavibotSuccess<{ clients: BotClient[] }>;
/** `getVariables`'s answer: variable name → value (shape not documented). */
export type BotVariables = { [name: string]: JsonValue };
/** `onlineChatClientId`'s answer. */
export interface OnlineChatClientId {
  client_id: number;
}
/** `findClients` and `findAllClientIdBySeveralVars`'s answer. */
export type BotClientIds = MavibotSuccess<{ client_ids: number[] }>;
/** `getCurrentOrderId` and `createOrder`'s answer. */
export type BotOrderId = MavibotSuccess<{ order_id: number }>;
/** `getOrders`'s answer: the key is singular but holds every matching deal. */
export type BotOrderIds = MavibotSuccess<{ order_id: number[] }>;
/** `moveOrderToNextState` and `getOrderState`'s answer. */
export type BotOrderState = MavibotSuccess<{ state_id: number }>;
/** `getOrderVars`'s answer. */
export type BotOrderVars = MavibotSuccess<{ result: { [name: string]: JsonValue } }>;
/** `setOrderVars`'s answer. */
export type BotSetOrderVars = MavibotSuccess<{ [key: string]: JsonValue }>;
/** `connectedChannels`'s answer: channels by messenger (`telegram`, `whatsapp`, `vkontakte` …), and the project id. */
export type ConnectedChannels = { project_id: number } & { [messenger: string]: Channel[] | number };

/**
 * What each {@link Mavibot} method resolves to (the methods name these types themselves).
 * Bodies the docs don't describe are {@link MavibotStatus}.
 */
export interface MavibotResults {
  callback: MavibotStatus;
  vkCallback: MavibotStatus;
  whatsappCallback: MavibotStatus;
  okCallback: MavibotStatus;
  tgCallback: MavibotStatus;
  maxCallback: MavibotStatus;
  sendCallbackByPlatformId: MavibotStatus;
  emailCallback: MavibotStatus;
  message: MavibotStatus;
  whatsappMessage: MavibotStatus;
  broadcast: MavibotStatus;
  getHistory: BotHistory;
  clearHistory: MavibotStatus;
  assignToUser: MavibotStatus;
  loadClients: LoadedClients;
  addToList: MavibotStatus;
  removeFromList: MavibotStatus;
  getClients: BotClientList;
  deleteClients: MavibotStatus;
  saveVariables: MavibotStatus;
  getVariables: BotVariables;
  findClientIdByPlatformId: FoundClient[];
  onlineChatClientId: OnlineChatClientId;
  whatsappClientId: MavibotStatus;
  findClientIdByPhone: MavibotStatus;
  findClientIdByEmail: MavibotStatus;
  findClientIdByVar: MavibotStatus;
  findLatestClientIdByVar: MavibotStatus;
  findAllClientIdByVar: MavibotStatus;
  findAllClientIdBySeveralVars: BotClientIds;
  findClients: BotClientIds;
  getCurrentOrderId: BotOrderId;
  getOrders: BotOrderIds;
  moveOrderToNextState: BotOrderState;
  getOrderVars: BotOrderVars;
  setOrderVars: BotSetOrderVars;
  createOrder: BotOrderId;
  setOrderState: MavibotStatus;
  getOrderState: BotOrderState;
  checkWhatsapp: MavibotStatus;
  connectedChannels: ConnectedChannels;
  /** The blocks of the bot's scheme (shape not documented). */
  getMessages: JsonValue;
}

/** The message webhook Mavibot posts to your URL (api-reference B.9); unknown fields are kept. */
export interface MavibotWebhookEvent {
  id?: number | string | null;
  client: {
    id: number | string;
    /** The client's id in the messenger, in the service's spelling. */
    recepient?: string | number | null;
    /** Same value, spelled correctly (added by `parseMavibotWebhook`). */
    recipient?: string | number | null;
    client_type?: number | string | null;
    name?: string | null;
    avatar?: string | null;
    created_at?: string | number | null;
    tag?: string | null;
    group?: string | number | null;
    [key: string]: unknown;
  };
  /** The text, or a system event such as `new_chat_member`. */
  message: string | null;
  attachments?: JsonValue;
  message_id?: number | string | null;
  project_id?: number | string | null;
  /** 1 from the client, 0 from the bot. */
  is_input?: 0 | 1 | null;
  /** 1 sent, 0 failed. */
  delivered?: 0 | 1 | null;
  error_message?: string | null;
  [key: string]: unknown;
}

// ---------------------------------------------------------------- Mava webhooks

/** The body Mava POSTs to your webhook URL (api-reference A.10.1). */
export interface MavaWebhookDelivery {
  /** Lowercase hex HMAC-SHA256 of `payload`. */
  signature: string;
  /** The encrypted event. */
  payload: string;
  /** `<iv>:<the AES key, RSA-encrypted, base64>`. */
  key: string;
  /** Unique per webhook; Mava's retries repeat it. */
  webhookId: string;
}

/** An event's type: `"ticket.created"` is the only name the Mava docs show; others arrive as sent. */
export type MavaWebhookEventType = "ticket.created" | (string & {});

/** `{ name, email }` of an agent or a sender. */
export interface MavaWebhookPerson {
  name: string;
  email: string;
}

/** A custom attribute's definition. */
export interface MavaWebhookAttribute {
  _id: string;
  name: string;
  type: string;
  affiliationType: string;
  isArchived: boolean;
}

/** A custom attribute's value on a ticket or customer. */
export interface MavaWebhookAttributeValue {
  attribute: MavaWebhookAttribute;
  content: string;
}

/** A customer in a webhook event (api-reference A.10.4). */
export interface MavaWebhookCustomer {
  _id?: string;
  walletAddress: string;
  name: string;
  email: string;
  attributes: MavaWebhookAttributeValue[];
  discordAuthorId: string;
  telegramAuthorId: string;
  discordRoles: string[];
}

/** A ticket in a webhook event (api-reference A.10.4): not the REST API's {@link Ticket}. */
export interface MavaWebhookTicket {
  _id?: string;
  /** Documented only as an object. */
  tags: JsonValue[] | { [key: string]: JsonValue };
  customer: MavaWebhookCustomer;
  /** Absent while unassigned. */
  assignedTo?: MavaWebhookPerson;
  status: string;
  /** A string here (the REST API's priority is a number). */
  priority: string;
  category: { name: string; isArchived: boolean };
  sourceType: string;
  aiStatus: string;
  /** An ObjectId (24 hexadecimal digits). */
  userRating: string;
  isUserRatingRequested: boolean;
  /** ISO 8601. */
  firstCustomerMessageCreatedAt?: string;
  /** ISO 8601. */
  firstAgentMessageCreatedAt?: string;
  attributes: MavaWebhookAttributeValue[];
}

/** A message in a webhook event (api-reference A.10.4). */
export interface MavaWebhookMessage {
  _id?: string;
  messageType: string;
  senderReferenceType: "ClientMember" | "Customer" | "DiscordUser" | (string & {});
  sender: MavaWebhookPerson;
  fromCustomer: boolean;
  content: string;
  ticket: MavaWebhookTicket;
  attachments: Array<{ url: string; fileName: string; type: string }>;
}

/**
 * What an event is about: a Ticket for `ticket.created` (documented); the docs say webhooks also
 * cover messages and customers, but not which event names carry a Message or a Customer.
 */
export type MavaWebhookDocument = MavaWebhookTicket | MavaWebhookMessage | MavaWebhookCustomer;

/** What {@link openMavaWebhook} resolves. */
export interface MavaWebhookEvent {
  webhookId: string;
  type: MavaWebhookEventType;
  document: MavaWebhookDocument;
  /**
   * `true` when `seen` already held the `webhookId` or the signature: a retry or a replay,
   * authentic, to be answered 2xx and not processed again. Always `false` without `seen`.
   */
  duplicate: boolean;
}

/**
 * Where deliveries already opened are remembered (a `Set<string>`, a KV namespace, a Durable
 * Object): each method may return a promise. A method that throws or rejects fails the open
 * with `WebhookError` code `SEEN_FAILED`.
 */
export interface MavaWebhookSeen {
  /** Whether `id` (a webhookId, or a signature's lowercase hex) was added before; truthy means yes. */
  has(id: string): unknown;
  /** Remembers `id`; called for the webhookId and the signature after an open that was no duplicate. */
  add(id: string): unknown;
}

/** The options of {@link openMavaWebhook}. */
export interface OpenMavaWebhookOptions {
  /** De-duplicates deliveries; without it `duplicate` is always `false`. */
  seen?: MavaWebhookSeen;
}

/**
 * Whether a Mava webhook delivery is authentic for this signing key: the AES key in `key` unwraps
 * with it (RSA-OAEP, SHA-1) and `signature` is the HMAC-SHA256 of `payload` under that key's
 * base64 text, compared in constant time (WebCrypto). `body` is the delivery as JSON text or as
 * the parsed object. Resolves `false` when not authentic; rejects with `ValidationError` for a
 * malformed delivery and `WebhookError` (`INVALID_SIGNING_KEY`, `CRYPTO_UNAVAILABLE`).
 */
export declare function verifyMavaWebhook(body: unknown, signingKey: string): Promise<boolean>;

/**
 * Verifies a Mava webhook delivery, then decrypts its payload (AES-CBC, as inferred — see the
 * README) and resolves the event; with `seen`, tells a repeat (`duplicate: true`) and remembers
 * the others. Rejects like {@link verifyMavaWebhook}, and with `WebhookError` code
 * `INVALID_SIGNATURE` (not authentic: nothing was decrypted), `DECRYPT_FAILED` (authentic, but
 * the payload is not an AES-CBC encrypted JSON event) or `SEEN_FAILED`.
 */
export declare function openMavaWebhook(body: unknown, signingKey: string, options?: OpenMavaWebhookOptions): Promise<MavaWebhookEvent>;

// ---------------------------------------------------------------- clients

/** A client for the Mava support-desk API: the methods of {@link MavaMethods}. */
export interface Mava extends MavaMethods {}
/** A client for the Mava support-desk API: the methods of {@link MavaMethods}. */
export declare class Mava {
  /** Throws `ValidationError` for a missing `apiKey` or any bad option. */
  constructor(options: MavaOptions);
  /** `mava.build.<method>(input)`: the request a method would send, without sending it. */
  readonly build: MavaBuilders;
  /**
   * Every ticket matching `query`, page after page (`for await`); `limit` is the page size
   * (default 100). Stops when `skip + page` reaches `count` or `hasMore` is false.
   */
  iterateTickets(query: FetchTicketsInput, options?: IterateOptions): AsyncGenerator<Ticket, void, undefined>;
}

/** A client for the Mavibot chatbot API: the methods of {@link MavibotMethods}, plus `call` for others. */
export interface Mavibot extends MavibotMethods {}
/** A client for the Mavibot chatbot API: the methods of {@link MavibotMethods}, plus `call` for others. */
export declare class Mavibot {
  /** Throws `ValidationError` for a missing `apiKey` or any bad option. */
  constructor(options: MavibotOptions);
  /** `bot.build.<method>(input)`: the request a method would send, without sending it. */
  readonly build: MavibotBuilders;
  /** Every client (of `query.list`), page after page through `getClients`; `limit` is the page size (default 500). */
  iterateClients(query?: GetClientsInput, options?: IterateOptions): AsyncGenerator<BotClient, void, undefined>;
  /**
   * An action the SDK doesn't name yet (1–64 letters, digits, `_`), with any fields, sent as a
   * JSON body (or query parameters with `{ method: "GET" }`). Not repeated after a timeout
   * unless `retryCreates: true`.
   */
  call(action: string, params?: { [field: string]: JsonValue | undefined }, options?: MavibotCallOptions): Promise<JsonValue>;
}

/** Validators that need no client and no key: `validate.mava.<method>(input)` → issues, `[]` when valid. */
export declare const validate: {
  readonly mava: MavaValidators;
  readonly mavibot: MavibotValidators;
};

/**
 * Checks a Mavibot webhook payload (JSON text or a parsed object) and returns a copy, typed,
 * with `client.recipient` beside the service's `client.recepient`. Throws `ValidationError`.
 */
export declare function parseMavibotWebhook(body: unknown): MavibotWebhookEvent;

// ---------------------------------------------------------------- errors

/** The class names of the package's errors, which are also their `name`. */
export type SdkErrorName =
  | "SdkError" | "ValidationError" | "ApiError" | "AuthenticationError" | "RateLimitError"
  | "TimeoutError" | "NetworkError" | "AbortError" | "WebhookError";

/**
 * The `code` of an {@link ApiError}: the body's error code when it has one (the Mava codes below,
 * or a Mavibot failure), a code for an error text the Mava docs show, else `UNAUTHORIZED` (401),
 * `RATE_LIMITED` (429) or `HTTP_<status>`.
 */
export type ApiErrorCode =
  // Mava's documented codes and texts.
  | "UNAUTHORIZED" | "INTERNAL_ERROR" | "VALIDATION_ERROR" | "INVALID_CUSTOMER_MODE" | "INVALID_ATTACHMENT_URL"
  | "CUSTOMER_NOT_FOUND" | "ASSIGNEE_NOT_FOUND" | "CATEGORY_NOT_FOUND" | "TAG_NOT_FOUND" | "TICKET_NOT_FOUND"
  | "INVALID_STATUS_OR_PRIORITY" | "CONTENT_REQUIRED" | "RATE_LIMITED" | "MISSING_DATE_RANGE" | "INVALID_DATE_RANGE"
  | "INVALID_LIMIT" | "INVALID_SKIP" | "UNSUPPORTED_SORT_FIELD" | "UNSUPPORTED_SORT_ORDER"
  // Mavibot failures inside HTTP 200 bodies (and whatsappClientId's 404).
  | "MAVIBOT_FAIL" | "CLIENT_NOT_FOUND" | "ORDER_NOT_FOUND"
  // A 2xx whose body is empty or not JSON.
  | "INVALID_RESPONSE"
  | `HTTP_${number}`
  // Any other UPPER_SNAKE code a body carries.
  | (string & {});

/** Extra fields given to an error's constructor (the package sets them; tests may too). */
export interface SdkErrorFields {
  code?: string;
  cause?: unknown;
  attempts?: number;
  [field: string]: unknown;
}

/**
 * Every error the package throws: an `Error` whose `name` is its class name, with a string
 * `code`. The API key never appears in any of its fields.
 */
export declare class SdkError extends Error {
  constructor(message?: string, fields?: SdkErrorFields);
  name: SdkErrorName;
  readonly code: string;
  /** Attempts made, for errors of a call that was sent. */
  readonly attempts?: number;
  /**
   * What `JSON.stringify(err)` writes: `name`, `message`, `code` and the data fields (`cause`
   * by its name and message). `structuredClone` and `postMessage` keep only what the platform
   * keeps of any `Error` (its message and stack): send `err.toJSON()` across instead.
   */
  toJSON(): { name: SdkErrorName; message: string; code: string; [field: string]: unknown };
}

/** An input or option broke a documented rule; nothing was sent. */
export declare class ValidationError extends SdkError {
  name: "ValidationError";
  readonly code: "VALIDATION_ERROR";
  /** Every issue, not only the first. */
  readonly issues: ValidationIssue[];
}

/**
 * The API answered with an error: a non-2xx status, a Mavibot failure inside a 200 body
 * (`{"status":"fail"}`), or a 2xx whose body is empty or not JSON.
 */
export declare class ApiError extends SdkError {
  name: "ApiError" | "AuthenticationError" | "RateLimitError";
  readonly code: ApiErrorCode;
  /** The HTTP status (200 for failures Mavibot reports in the body). */
  readonly status: number;
  /** The parsed JSON body, its text when it isn't JSON, `null` when empty. */
  readonly body: JsonValue;
  /** Response headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** From `Retry-After`, when sent. */
  readonly retryAfterMs?: number;
  readonly attempts: number;
}

/** HTTP 401: the API key is missing, wrong or revoked. */
export declare class AuthenticationError extends ApiError {
  name: "AuthenticationError";
  readonly status: 401;
}

/** HTTP 429 after the retries (or a `Retry-After` longer than `maxRetryAfterMs`). */
export declare class RateLimitError extends ApiError {
  name: "RateLimitError";
  readonly status: 429;
}

/** An attempt took longer than `timeoutMs` (`TIMEOUT`), or the wait for a rate-limit slot longer than `queueTimeoutMs` (`QUEUE_TIMEOUT`). */
export declare class TimeoutError extends SdkError {
  name: "TimeoutError";
  readonly code: "TIMEOUT" | "QUEUE_TIMEOUT";
  readonly attempts: number;
}

/** `fetch` itself failed (DNS, refused, reset, CORS) or the rate-limit store rejected. */
export declare class NetworkError extends SdkError {
  name: "NetworkError";
  readonly code: "NETWORK_ERROR";
  /** The original error; a copy of its name and message, the key masked, if it showed the key or was not an `Error`. */
  readonly cause: Error;
  readonly attempts: number;
}

/** The caller's `signal` aborted the call (or the iteration). */
export declare class AbortError extends SdkError {
  name: "AbortError";
  readonly code: "ABORTED";
}

/**
 * The `code` of a {@link WebhookError}: `INVALID_SIGNING_KEY` (not `mava_wh_` + a base64 PKCS#8
 * RSA private key), `INVALID_SIGNATURE` (the delivery is not authentic for the key),
 * `DECRYPT_FAILED` (authentic, but the payload format could not be read), `SEEN_FAILED` (the
 * `seen` store threw or rejected), `CRYPTO_UNAVAILABLE` (no usable `crypto.subtle`).
 */
export type WebhookErrorCode = "INVALID_SIGNING_KEY" | "INVALID_SIGNATURE" | "DECRYPT_FAILED" | "SEEN_FAILED" | "CRYPTO_UNAVAILABLE";

/** A Mava webhook delivery could not be verified or opened. The signing key never appears in it. */
export declare class WebhookError extends SdkError {
  name: "WebhookError";
  readonly code: WebhookErrorCode;
  /** The delivery's `webhookId` (for `INVALID_SIGNATURE`, `DECRYPT_FAILED` and `SEEN_FAILED`). */
  readonly webhookId?: string;
  /** `SEEN_FAILED`: what `seen` threw; a copy of its name and message, the key masked, if it showed the key or was not an `Error`. */
  readonly cause?: Error;
}

/**
 * Every error the package throws, one union told apart by `name`: after
 * `const e = err as MavaSdkError` (a `catch` gives `unknown`), `switch (e.name)` narrows to each
 * class and its fields (`case "RateLimitError": e.retryAfterMs`). `instanceof` works as well.
 */
export type MavaSdkError =
  | ValidationError
  | (ApiError & { name: "ApiError" })
  | AuthenticationError
  | RateLimitError
  | TimeoutError
  | NetworkError
  | AbortError
  | WebhookError;
