// Types of the mava-sdk package. Call inputs, methods, builders and validators are generated
// from the Rust call descriptions into calls.d.ts; results, options and errors are here.
import type {
  MavaMethods, MavaBuilders, MavaValidators, MavibotMethods, MavibotBuilders, MavibotValidators,
  FetchTicketsInput, GetClientsInput,
} from "./calls.js";
export type * from "./calls.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------- options

/** A client-side limit: at most `requests` per sliding `windowMs`. */
export interface RateLimitOptions {
  requests: number;
  windowMs: number;
  /** Shared state for many isolates using one key (e.g. a Durable Object); see the README. */
  store?: RateLimitStore;
}

export interface RateLimitStore {
  /** Resolves when one request may be sent. `key` is a fingerprint of the API key. */
  acquire(request: { key: string; requests: number; windowMs: number; signal?: AbortSignal }): Promise<void>;
}

export interface ClientOptions {
  /** Required, non-empty. Never appears in errors. */
  apiKey: string;
  /** Origin of the API; no trailing slash needed. */
  baseUrl?: string;
  /** A WHATWG fetch used for every request (default: the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Per attempt, default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt, default 2. */
  maxRetries?: number;
  /** Backoff base and cap (full jitter), default 500 and 8000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A Retry-After longer than this is not waited for (default 60000). */
  maxRetryAfterMs?: number;
  /** `false` turns the client-side limit off; `true` uses the default. */
  rateLimit?: RateLimitOptions | boolean;
}

export interface MavaOptions extends ClientOptions {
  /** `/api/message` method: `PUT` as documented (default) or `POST` as the docs' examples. */
  messageMethod?: "PUT" | "POST";
}

export type MavibotOptions = ClientOptions;

/** The optional last argument of every method. */
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** Allow repeating a create after a failure that may have reached the server. */
  retryCreates?: boolean;
  /** Mavibot only: send an action that accepts both as GET or POST. */
  method?: "GET" | "POST";
}

export interface IterateOptions extends CallOptions {
  /** Called after each page. `total` is known for Mava, `undefined` for Mavibot. */
  onProgress?: (progress: { fetched: number; total: number | undefined }) => void;
}

/** What `build.*` returns: the request a method would send. */
export interface SdkRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  /** The JSON text, or undefined for GET. */
  body: string | undefined;
}

/** One broken rule. */
export interface ValidationIssue {
  /** The field (`customer.walletAddress`, `message.attachments[2].url`), `""` for the whole input. */
  path: string;
  /** Stable UPPER_SNAKE code: the API's own where documented (INVALID_LIMIT …), else the SDK's. */
  code: string;
  message: string;
}

// ---------------------------------------------------------------- Mava results

export type TicketStatus = "Open" | "Pending" | "Resolved" | "Waiting";
export interface Ref { _id: string; name: string }
export interface Category { _id: string; name: string }
export interface Agent { id: string; email: string | null; username: string | null; walletAddress: string | null }
export interface AttributeValue { attributeId: string; name: string; content: string }
export interface TicketMessage {
  _id: string;
  content: string;
  senderType: "customer" | "agent" | "system";
  senderName: string | null;
  messageType: "ExternalMessage" | "InternalNote" | (string & {});
  createdAt: string;
  attachments: JsonValue[];
}
export interface Ticket {
  _id: string;
  createdAt: string;
  updatedAt: string;
  status: TicketStatus;
  priority: 1 | 2 | 3;
  sourceType: string;
  resolutionTime: number | null;
  assignedTo: Ref | null;
  category: Ref | null;
  tags: Ref[];
  csat: { value: number } | null;
  aiStatus: string | null;
  discordUsers: Array<{ discordAuthorId: string; name: string }>;
  attributes: AttributeValue[];
  customer: { _id: string; email?: string | null; attributes: AttributeValue[] } | null;
  /** Only with `includeMessages: true`, oldest first. */
  messages?: TicketMessage[];
  emailSubjectLine?: string;
}
export interface TicketPage {
  tickets: Ticket[];
  /** Total across all pages. */
  count: number;
  pagination: { limit: number; skip: number; hasMore: boolean };
}

export interface MavaResults {
  /** Undocumented shape; a new customer's id is returned when none was sent. */
  identify: { mavaCustomerId?: string; [key: string]: JsonValue | undefined };
  getCategories: { categories: Category[] };
  getAgents: { agents: Agent[] };
  createTicket: Ticket;
  updateTicket: { message: string };
  sendMessage: { message: { [key: string]: JsonValue }; ticket: { [key: string]: JsonValue }; sender: { [key: string]: JsonValue } };
  fetchTickets: TicketPage;
}

// ---------------------------------------------------------------- Mavibot results

/** A success body whose other fields the docs don't give. */
export interface MavibotStatus { status?: string; [key: string]: JsonValue | undefined }
export interface BotClient {
  id: number;
  platform_id: string;
  client_type: number;
  name: string | null;
  avatar: string | null;
  message_id: number | null;
  project_id: number;
  /** Unix seconds. */
  created_at: number;
  updated_at: number;
  tag: string | null;
  group: string | null;
  [key: string]: JsonValue | undefined;
}
export interface HistoryMessage {
  id: number;
  answered: boolean;
  client_replica: boolean;
  message_id: number | null;
  /** 0 ordinary, 1 API, 2 CRM, 3 callback, 5 telephony. */
  message_from_outside: number;
  created_at: number;
  text: string;
  attachments: JsonValue;
  delivered: boolean;
  error_message: string | null;
  manager_id: number | null;
  manager_email: string | null;
  [key: string]: JsonValue | undefined;
}
export interface Channel { id: number; name?: string; group_id: string | number; enabled?: boolean; status?: 0 | 1 | 2 | 3; [key: string]: JsonValue | undefined }

type Success<T> = { status: "success" } & T;
export interface MavibotResults {
  callback: MavibotStatus; vkCallback: MavibotStatus; whatsappCallback: MavibotStatus; okCallback: MavibotStatus;
  tgCallback: MavibotStatus; maxCallback: MavibotStatus; sendCallbackByPlatformId: MavibotStatus; emailCallback: MavibotStatus;
  message: MavibotStatus; whatsappMessage: MavibotStatus; broadcast: MavibotStatus;
  getHistory: Success<{ result: HistoryMessage[] }>;
  clearHistory: MavibotStatus; assignToUser: MavibotStatus;
  loadClients: Success<{ items: Array<{ platform_id: string | number; group_id: string | number; client_type: number; status: string; id: number }> }>;
  addToList: MavibotStatus; removeFromList: MavibotStatus;
  getClients: Success<{ clients: BotClient[] }>;
  deleteClients: MavibotStatus; saveVariables: MavibotStatus;
  getVariables: { [name: string]: JsonValue };
  findClientIdByPlatformId: Array<{ id: number; tag: string | null; created_at: number | string; name: string | null; avatar: string | null; platform_id: string; group: string | null; variables: { [name: string]: JsonValue } }>;
  onlineChatClientId: { client_id: number };
  whatsappClientId: MavibotStatus; findClientIdByPhone: MavibotStatus; findClientIdByEmail: MavibotStatus;
  findClientIdByVar: MavibotStatus; findLatestClientIdByVar: MavibotStatus; findAllClientIdByVar: MavibotStatus;
  findAllClientIdBySeveralVars: Success<{ client_ids: number[] }>;
  findClients: Success<{ client_ids: number[] }>;
  getCurrentOrderId: Success<{ order_id: number }>;
  /** The key is singular but holds every matching deal. */
  getOrders: Success<{ order_id: number[] }>;
  moveOrderToNextState: Success<{ state_id: number }>;
  getOrderVars: Success<{ result: { [name: string]: JsonValue } }>;
  setOrderVars: Success<{}>;
  createOrder: Success<{ order_id: number }>;
  setOrderState: MavibotStatus;
  getOrderState: Success<{ state_id: number }>;
  checkWhatsapp: MavibotStatus;
  connectedChannels: { project_id: number } & { [messenger: string]: Channel[] | number };
  getMessages: JsonValue;
}

/** The message webhook Mavibot posts (api-reference B.9). */
export interface MavibotWebhookEvent {
  id?: number | string | null;
  client: {
    id: number | string;
    /** The service's spelling. */
    recepient?: string | number | null;
    /** Same value, spelled correctly. */
    recipient?: string | number | null;
    client_type?: number | string | null;
    name?: string | null;
    avatar?: string | null;
    created_at?: string | number | null;
    tag?: string | null;
    group?: string | number | null;
    [key: string]: unknown;
  };
  message: string | null;
  attachments?: JsonValue;
  message_id?: number | string | null;
  project_id?: number | string | null;
  is_input?: 0 | 1 | null;
  delivered?: 0 | 1 | null;
  error_message?: string | null;
  [key: string]: unknown;
}

// ---------------------------------------------------------------- clients

export interface Mava extends MavaMethods {}
export declare class Mava {
  constructor(options: MavaOptions);
  readonly build: MavaBuilders;
  /** Every matching ticket, page after page; `limit` is the page size (default 100). */
  iterateTickets(query: FetchTicketsInput, options?: IterateOptions): AsyncIterableIterator<Ticket>;
}

export interface Mavibot extends MavibotMethods {}
export declare class Mavibot {
  constructor(options: MavibotOptions);
  readonly build: MavibotBuilders;
  /** Every client (of `query.list`), page after page; `limit` is the page size (default 500). */
  iterateClients(query?: GetClientsInput, options?: IterateOptions): AsyncIterableIterator<BotClient>;
  /** An action the SDK doesn't name yet (letters, digits, `_`). */
  call(action: string, params?: { [field: string]: JsonValue | undefined }, options?: CallOptions): Promise<JsonValue>;
}

export declare const validate: { readonly mava: MavaValidators; readonly mavibot: MavibotValidators };

/** Checks a Mavibot webhook payload (JSON text or object); throws ValidationError. */
export declare function parseMavibotWebhook(body: string | object): MavibotWebhookEvent;

// ---------------------------------------------------------------- errors

export declare class SdkError extends Error {
  readonly code: string;
  /** Attempts made, for errors of a call that was sent. */
  readonly attempts?: number;
}
export declare class ValidationError extends SdkError {
  readonly issues: ValidationIssue[];
}
export declare class ApiError extends SdkError {
  readonly status: number;
  /** Parsed JSON body, or its text when it isn't JSON. */
  readonly body: JsonValue;
  readonly headers: Record<string, string>;
  /** From Retry-After, when sent. */
  readonly retryAfterMs?: number;
}
export declare class AuthenticationError extends ApiError {}
export declare class RateLimitError extends ApiError {}
export declare class TimeoutError extends SdkError {}
export declare class NetworkError extends SdkError {
  readonly cause: Error;
}
export declare class AbortError extends SdkError {}
