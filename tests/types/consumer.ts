// A consumer of the published types: every method of both clients called with valid input,
// every builder and validator, the iterators, `bot.call`, `parseMavibotWebhook`, the Mava
// webhook receiver (`verifyMavaWebhook`, `openMavaWebhook`), and every
// field of every result and error read into a variable of its declared type. It must compile
// with `tsc --strict` (tests/types/check.mjs runs it under nodenext and bundler resolution);
// run.ts then executes `exercise` with a stub fetch, so every input here is also proven valid
// at run time, and `errors` against failing fetches, checking each error field's value.
import {
  AbortError, ApiError, AuthenticationError, Mava, Mavibot, NetworkError, RateLimitError, SdkError, TimeoutError,
  ValidationError, WebhookError, openMavaWebhook, parseMavibotWebhook, validate, verifyMavaWebhook,
} from "mava-sdk";
import type {
  Agent, ApiErrorCode, AttachmentType, BotClient, Button, Buttons, CallOptions, Category, Channel, ClientOptions,
  ClientType, CreateTicketCustomer, CreateTicketInput, FetchTicketsInput, FoundClient, HistoryMessage, IssueCode,
  IterateOptions, IterateProgress, JsonValue, LoadedClient, MavaBuilders, MavaMethods, MavaOptions, MavaResults,
  BotClientList, CategoryList, MavaSdkError,
  MavaValidators, MavibotBuilders, MavibotCallOptions, MavibotMethods, MavibotOptions, MavibotResults,
  MavibotStatus, MavibotValidators, MavibotWebhookEvent, RateLimitOptions, RateLimitStore, Ref, SdkErrorName,
  SdkRequest, SendMessageAttachment, Ticket, TicketMessage, TicketPage, TicketPriority, TicketSortField,
  TicketSource, TicketStatus, ValidationIssue, MavaWebhookAttributeValue, MavaWebhookCustomer, MavaWebhookDelivery,
  MavaWebhookDocument, MavaWebhookEvent, MavaWebhookEventType, MavaWebhookMessage, MavaWebhookPerson, MavaWebhookSeen,
  MavaWebhookTicket, OpenMavaWebhookOptions, WebhookErrorCode,
} from "mava-sdk";

// ---------------------------------------------------------------- type-level checks

/** True when A and B are the same type (not merely assignable). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
/** The keys of T whose type is `any`. */
type AnyKeys<T> = { [K in keyof T]-?: IsAny<T[K]> extends true ? K : never }[keyof T];
function check<T extends true>(): T | undefined {
  return undefined;
}

// Enums are literal unions, not `string` / `number`.
check<Equal<TicketStatus, "Open" | "Pending" | "Resolved" | "Waiting">>();
check<Equal<TicketPriority, 1 | 2 | 3>>();
check<Equal<AttachmentType, "image" | "video" | "link" | "file" | "audio">>();
check<Equal<Ticket["status"], TicketStatus>>();
check<Equal<NonNullable<CreateTicketInput["sourceType"]>, "web" | "discord" | "telegram" | "twitter" | "email">>();
check<Equal<NonNullable<FetchTicketsInput["sortOrder"]>, "asc" | "desc">>();
check<Equal<SdkRequest["method"], "GET" | "POST" | "PUT">>();
check<Equal<ValidationError["code"], "VALIDATION_ERROR">>();
check<Equal<AuthenticationError["status"], 401>>();
check<Equal<RateLimitError["status"], 429>>();
check<Equal<MavibotResults["getClients"]["status"], "success">>();
check<IssueCode extends string ? true : false>();
check<Equal<IsAny<IssueCode>, false>>();
check<Equal<IsAny<ApiErrorCode>, false>>();

// No `any` in results, options, inputs, methods or errors.
check<Equal<AnyKeys<MavaResults>, never>>();
check<Equal<AnyKeys<MavibotResults>, never>>();
check<Equal<AnyKeys<Ticket>, never>>();
check<Equal<AnyKeys<MavaOptions>, never>>();
check<Equal<AnyKeys<MavibotCallOptions>, never>>();
check<Equal<AnyKeys<ApiError>, never>>();
check<Equal<AnyKeys<NetworkError>, never>>();
check<Equal<AnyKeys<MavibotWebhookEvent>, never>>();
type ParamsAndResults<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? IsAny<R> | { [I in keyof A]-?: IsAny<A[I]> }[number] : true;
}[keyof T];
check<Equal<ParamsAndResults<MavaMethods>, false>>();
check<Equal<ParamsAndResults<MavibotMethods>, false>>();
check<Equal<ParamsAndResults<MavaBuilders>, false>>();
check<Equal<ParamsAndResults<MavibotBuilders>, false>>();

// Both clients have every method of the contract: 7 and 42.
type MavaMethodName = "identify" | "getCategories" | "getAgents" | "createTicket" | "updateTicket" | "sendMessage" | "fetchTickets";
type MavibotMethodName =
  | "callback" | "vkCallback" | "whatsappCallback" | "okCallback" | "tgCallback" | "maxCallback" | "sendCallbackByPlatformId"
  | "emailCallback" | "message" | "whatsappMessage" | "broadcast" | "getHistory" | "clearHistory" | "assignToUser"
  | "loadClients" | "addToList" | "removeFromList" | "getClients" | "deleteClients" | "saveVariables" | "getVariables"
  | "findClientIdByPlatformId" | "onlineChatClientId" | "whatsappClientId" | "findClientIdByPhone" | "findClientIdByEmail"
  | "findClientIdByVar" | "findLatestClientIdByVar" | "findAllClientIdByVar" | "findAllClientIdBySeveralVars"
  | "findClients" | "getCurrentOrderId" | "getOrders" | "moveOrderToNextState" | "getOrderVars" | "setOrderVars"
  | "createOrder" | "setOrderState" | "getOrderState" | "checkWhatsapp" | "connectedChannels" | "getMessages";
check<Equal<keyof MavaMethods, MavaMethodName>>();
check<Equal<keyof MavaBuilders, MavaMethodName>>();
check<Equal<keyof MavaValidators, MavaMethodName>>();
check<Equal<keyof MavaResults, MavaMethodName>>();
check<Equal<keyof MavibotMethods, MavibotMethodName>>();
check<Equal<keyof MavibotBuilders, MavibotMethodName>>();
check<Equal<keyof MavibotValidators, MavibotMethodName>>();
check<Equal<keyof MavibotResults, MavibotMethodName>>();
check<Mava extends MavaMethods ? true : false>();
check<Mavibot extends MavibotMethods ? true : false>();

// The result shapes `use` below reads completely: a new field fails here until it is read too.
check<Equal<keyof Ticket, "_id" | "createdAt" | "updatedAt" | "status" | "priority" | "sourceType" | "resolutionTime" | "assignedTo"
  | "category" | "tags" | "csat" | "aiStatus" | "discordUsers" | "attributes" | "customer" | "messages" | "emailSubjectLine">>();
check<Equal<keyof TicketMessage, "_id" | "content" | "senderType" | "senderName" | "messageType" | "createdAt" | "attachments">>();
check<Equal<keyof TicketPage, "tickets" | "count" | "pagination">>();
check<Equal<keyof Agent, "id" | "email" | "username" | "walletAddress">>();
check<Equal<keyof Category | keyof Ref, "_id" | "name">>();
check<Equal<keyof LoadedClient, "platform_id" | "group_id" | "client_type" | "status" | "id">>();
check<Equal<keyof FoundClient, "id" | "tag" | "created_at" | "name" | "avatar" | "platform_id" | "group" | "variables">>();
check<Equal<keyof SdkRequest, "method" | "url" | "headers" | "body">>();
check<Equal<keyof ValidationIssue, "path" | "code" | "message">>();
check<Equal<keyof IterateProgress, "fetched" | "total">>();
check<Equal<Exclude<keyof ApiError, keyof Error>, "code" | "attempts" | "status" | "body" | "headers" | "retryAfterMs" | "toJSON">>();
check<Equal<Exclude<keyof ValidationError, keyof Error>, "code" | "attempts" | "issues" | "toJSON">>();
check<Equal<Exclude<keyof NetworkError, keyof Error>, "code" | "attempts" | "toJSON">>();
check<Equal<Exclude<keyof WebhookError, keyof Error>, "code" | "attempts" | "webhookId" | "toJSON">>();
check<Equal<WebhookError["name"], "WebhookError">>();
check<Equal<WebhookErrorCode, "INVALID_SIGNING_KEY" | "INVALID_SIGNATURE" | "DECRYPT_FAILED" | "SEEN_FAILED" | "CRYPTO_UNAVAILABLE">>();
check<Equal<keyof MavaWebhookDelivery, "signature" | "payload" | "key" | "webhookId">>();
check<Equal<keyof MavaWebhookEvent, "webhookId" | "type" | "document" | "duplicate">>();
check<Equal<MavaWebhookTicket["priority"], string>>();
check<"ticket.created" extends MavaWebhookEventType ? true : false>();
check<Equal<ReturnType<typeof verifyMavaWebhook>, Promise<boolean>>>();
check<Equal<ReturnType<typeof openMavaWebhook>, Promise<MavaWebhookEvent>>>();
// A Set of strings is a `seen` store, and so is an async one.
check<Set<string> extends MavaWebhookSeen ? true : false>();
check<{ has(id: string): Promise<boolean>; add(id: string): Promise<void> } extends MavaWebhookSeen ? true : false>();

// Every error is an Error and an SdkError.
check<ValidationError extends SdkError ? true : false>();
check<AuthenticationError extends ApiError ? true : false>();
check<RateLimitError extends ApiError ? true : false>();
check<TimeoutError extends Error ? true : false>();
check<WebhookError extends SdkError ? true : false>();
check<Equal<SdkError["name"], SdkErrorName>>();

// Methods name their result types (an editor shows `Promise<Ticket>`), the same as MavaResults
// and MavibotResults say, method by method.
check<Equal<ReturnType<MavaMethods["createTicket"]>, Promise<Ticket>>>();
check<Equal<ReturnType<MavaMethods["getCategories"]>, Promise<CategoryList>>>();
check<Equal<ReturnType<MavibotMethods["getClients"]>, Promise<BotClientList>>>();
type ResultsAgree<M, R> = { [K in keyof M & keyof R]: M[K] extends (...args: never[]) => infer P ? Equal<P, Promise<R[K]>> : false };
type AllTrue<T> = T[keyof T] extends true ? true : false;
check<AllTrue<ResultsAgree<MavaMethods, MavaResults>>>();
check<AllTrue<ResultsAgree<MavibotMethods, MavibotResults>>>();
check<Equal<keyof MavaMethods, keyof MavaResults>>();
check<Equal<keyof MavibotMethods, keyof MavibotResults>>();

// MavaSdkError: every thrown class, told apart by a literal `name`, so a switch narrows.
check<Equal<MavaSdkError["name"], Exclude<SdkErrorName, "SdkError">>>();
export function describeError(err: unknown): string {
  const e = err as MavaSdkError;
  switch (e.name) {
    case "ValidationError": {
      const issues: ValidationIssue[] = e.issues;
      return `${issues.length} issues`;
    }
    case "RateLimitError": {
      const wait: number | undefined = e.retryAfterMs;
      const status: number = e.status;
      return `rate limited ${status} ${wait}`;
    }
    case "AuthenticationError":
    case "ApiError": {
      const code: ApiErrorCode = e.code;
      return `${e.name} ${e.status} ${code}`;
    }
    case "TimeoutError":
    case "NetworkError":
    case "AbortError":
      return `${e.name} ${e.code}`;
    case "WebhookError": {
      const code: WebhookErrorCode = e.code;
      return `${e.name} ${code} ${e.webhookId}`;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

// ---------------------------------------------------------------- data

export const TICKET = "64b7f0c2a1b2c3d4e5f60718";
export const CUSTOMER = "64b7f0c2a1b2c3d4e5f60719";
export const AGENT = "64b7f0c2a1b2c3d4e5f6071a";
export const CATEGORY = "64b7f0c2a1b2c3d4e5f6071b";
export const TAG = "64b7f0c2a1b2c3d4e5f6071c";
export const ATTRIBUTE = "64b7f0c2a1b2c3d4e5f6071d";
export const WALLET = "0x52908400098527886E0F7030069857D2E4169EE7";

// ---------------------------------------------------------------- options

export function mavaOptions(fetch: (request: Request) => Promise<Response>): MavaOptions {
  const store: RateLimitStore = {
    async acquire(request) {
      const key: string = request.key;
      const requests: number = request.requests;
      const windowMs: number = request.windowMs;
      const signal: AbortSignal | undefined = request.signal;
      void [key, requests, windowMs, signal];
    },
  };
  const rateLimit: RateLimitOptions = { requests: 90, windowMs: 30_000, store };
  const base: ClientOptions = {
    apiKey: "mava-key",
    baseUrl: "https://gateway.mava.app/",
    fetch,
    timeoutMs: 10_000,
    maxRetries: 1,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    maxRetryAfterMs: 5_000,
    queueTimeoutMs: 60_000,
    rateLimit,
  };
  return { ...base, messageMethod: "POST" };
}

export function mavibotOptions(fetch: (request: Request) => Promise<Response>): MavibotOptions {
  return { apiKey: "mavibot-key", baseUrl: "https://chatter.mavibot.ai", fetch, timeoutMs: 10_000, maxRetries: 0, rateLimit: false };
}

// ---------------------------------------------------------------- results

/** Reads every field of a value of each result type; the `: T` annotations are the checks. */
export const use = {
  /** Every field of an opened Mava webhook event, narrowed by what the document holds. */
  mavaEvent(e: MavaWebhookEvent): string[] {
    const id: string = e.webhookId;
    const type: MavaWebhookEventType = e.type;
    const duplicate: boolean = e.duplicate;
    const doc: MavaWebhookDocument = e.document;
    const out: string[] = [id, type, String(duplicate)];
    const person = (p: MavaWebhookPerson): string => p.name + p.email;
    const attributes = (list: MavaWebhookAttributeValue[]): string[] =>
      list.map((a) => [a.attribute._id, a.attribute.name, a.attribute.type, a.attribute.affiliationType, String(a.attribute.isArchived), a.content].join());
    const customer = (c: MavaWebhookCustomer): string[] => [
      String(c._id), c.walletAddress, c.name, c.email, c.discordAuthorId, c.telegramAuthorId, ...c.discordRoles, ...attributes(c.attributes),
    ];
    const ticket = (t: MavaWebhookTicket): string[] => {
      const priority: string = t.priority;
      const assigned: MavaWebhookPerson | undefined = t.assignedTo;
      const firstAgent: string | undefined = t.firstAgentMessageCreatedAt;
      return [
        String(t._id), JSON.stringify(t.tags), ...customer(t.customer), assigned ? person(assigned) : "unassigned", t.status, priority,
        t.category.name, String(t.category.isArchived), t.sourceType, t.aiStatus, t.userRating, String(t.isUserRatingRequested),
        String(t.firstCustomerMessageCreatedAt), String(firstAgent), ...attributes(t.attributes),
      ];
    };
    if ("messageType" in doc) {
      const m: MavaWebhookMessage = doc;
      out.push(String(m._id), m.messageType, m.senderReferenceType, person(m.sender), String(m.fromCustomer), m.content, ...ticket(m.ticket));
      for (const a of m.attachments) out.push(a.url, a.fileName, a.type);
    } else if ("priority" in doc) {
      out.push(...ticket(doc));
    } else {
      out.push(...customer(doc));
    }
    return out;
  },
  ref(r: Ref): string {
    const id: string = r._id;
    const name: string = r.name;
    return id + name;
  },
  ticket(t: Ticket): string[] {
    const out: string[] = [];
    const id: string = t._id;
    const createdAt: string = t.createdAt;
    const updatedAt: string = t.updatedAt;
    const status: TicketStatus = t.status;
    const priority: TicketPriority = t.priority;
    const source: TicketSource = t.sourceType;
    const resolution: number | null = t.resolutionTime;
    const assigned: Ref | null = t.assignedTo;
    const category: Ref | null = t.category;
    const tags: Ref[] = t.tags;
    const csat: 1 | 2 | 3 | 4 | 5 | undefined = t.csat?.value;
    const ai: string | null = t.aiStatus;
    const subject: string | undefined = t.emailSubjectLine;
    out.push(id, createdAt, updatedAt, status, String(priority), source, String(resolution), String(csat), String(ai), String(subject));
    if (assigned) out.push(this.ref(assigned));
    if (category) out.push(this.ref(category));
    for (const tag of tags) out.push(this.ref(tag));
    for (const user of t.discordUsers) {
      const author: string = user.discordAuthorId;
      const name: string = user.name;
      out.push(author, name);
    }
    for (const a of t.attributes) {
      const attributeId: string = a.attributeId;
      const name: string = a.name;
      const content: string = a.content;
      out.push(attributeId, name, content);
    }
    if (t.customer !== null) {
      const customerId: string = t.customer._id;
      const email: string | null | undefined = t.customer.email;
      out.push(customerId, String(email), String(t.customer.attributes.length));
    }
    for (const m of t.messages ?? []) out.push(...this.message(m));
    return out;
  },
  message(m: TicketMessage): string[] {
    const id: string = m._id;
    const content: string = m.content;
    const sender: "customer" | "agent" | "system" = m.senderType;
    const senderName: string | null = m.senderName;
    const type: string = m.messageType;
    const createdAt: string = m.createdAt;
    const attachments: JsonValue[] = m.attachments;
    return [id, content, sender, String(senderName), type, createdAt, JSON.stringify(attachments)];
  },
  page(p: TicketPage): string[] {
    const tickets: Ticket[] = p.tickets;
    const count: number = p.count;
    const limit: number = p.pagination.limit;
    const skip: number = p.pagination.skip;
    const hasMore: boolean = p.pagination.hasMore;
    return [String(count), String(limit), String(skip), String(hasMore), ...tickets.flatMap((t) => this.ticket(t))];
  },
  category(c: Category): string {
    const id: string = c._id;
    const name: string = c.name;
    return id + name;
  },
  agent(a: Agent): string {
    const id: string = a.id;
    const email: string | null = a.email;
    const username: string | null = a.username;
    const wallet: string | null = a.walletAddress;
    return [id, email, username, wallet].join();
  },
  status(s: MavibotStatus): string {
    const status: string | undefined = s.status;
    const other: JsonValue | undefined = s["anything"];
    return String(status) + JSON.stringify(other);
  },
  client(c: BotClient): string {
    const id: number = c.id;
    const platformId: string = c.platform_id;
    const type: number = c.client_type;
    const name: string | null = c.name;
    const avatar: string | null = c.avatar;
    const messageId: number | null = c.message_id;
    const projectId: number = c.project_id;
    const created: number = c.created_at;
    const updated: number = c.updated_at;
    const tag: string | null = c.tag;
    const group: string | null = c.group;
    const extra: JsonValue | undefined = c["custom_answer"];
    return [id, platformId, type, name, avatar, messageId, projectId, created, updated, tag, group, extra].join();
  },
  history(h: HistoryMessage): string {
    const id: number = h.id;
    const answered: boolean = h.answered;
    const replica: boolean = h.client_replica;
    const messageId: number | null = h.message_id;
    const outside: number = h.message_from_outside;
    const created: number = h.created_at;
    const text: string = h.text;
    const attachments: JsonValue = h.attachments;
    const delivered: boolean = h.delivered;
    const error: string | null = h.error_message;
    const managerId: number | null = h.manager_id;
    const managerEmail: string | null = h.manager_email;
    return [id, answered, replica, messageId, outside, created, text, JSON.stringify(attachments), delivered, error, managerId, managerEmail].join();
  },
  channel(c: Channel): string {
    const id: number = c.id;
    const name: string | undefined = c.name;
    const group: string | number = c.group_id;
    const enabled: boolean | undefined = c.enabled;
    const status: 0 | 1 | 2 | 3 | undefined = c.status;
    return [id, name, group, enabled, status].join();
  },
  loaded(l: LoadedClient): string {
    const platformId: string | number = l.platform_id;
    const group: string | number = l.group_id;
    const type: number = l.client_type;
    const status: string = l.status;
    const id: number = l.id;
    return [platformId, group, type, status, id].join();
  },
  found(f: FoundClient): string {
    const id: number = f.id;
    const tag: string | null = f.tag;
    const created: number | string = f.created_at;
    const name: string | null = f.name;
    const avatar: string | null = f.avatar;
    const platformId: string = f.platform_id;
    const group: string | null = f.group;
    const variables: { [name: string]: JsonValue } = f.variables;
    return [id, tag, created, name, avatar, platformId, group, JSON.stringify(variables)].join();
  },
  request(r: SdkRequest): string {
    const method: "GET" | "POST" | "PUT" = r.method;
    const url: string = r.url;
    const headers: Record<string, string> = r.headers;
    const body: string | undefined = r.body;
    return [method, url, JSON.stringify(headers), body].join(" ");
  },
  issues(list: ValidationIssue[]): string[] {
    return list.map((i) => {
      const path: string = i.path;
      const code: IssueCode = i.code;
      const message: string = i.message;
      return `${path} ${code} ${message}`;
    });
  },
  webhook(e: MavibotWebhookEvent): string {
    const id: number | string | null | undefined = e.id;
    const clientId: number | string = e.client.id;
    const recepient: string | number | null | undefined = e.client.recepient;
    const recipient: string | number | null | undefined = e.client.recipient;
    const type: number | string | null | undefined = e.client.client_type;
    const name: string | null | undefined = e.client.name;
    const avatar: string | null | undefined = e.client.avatar;
    const created: string | number | null | undefined = e.client.created_at;
    const tag: string | null | undefined = e.client.tag;
    const group: string | number | null | undefined = e.client.group;
    const message: string | null = e.message;
    const attachments: JsonValue | undefined = e.attachments;
    const messageId: number | string | null | undefined = e.message_id;
    const projectId: number | string | null | undefined = e.project_id;
    const input: 0 | 1 | null | undefined = e.is_input;
    const delivered: 0 | 1 | null | undefined = e.delivered;
    const error: string | null | undefined = e.error_message;
    const extra: unknown = e["something_new"];
    return JSON.stringify([id, clientId, recepient, recipient, type, name, avatar, created, tag, group, message, attachments, messageId, projectId, input, delivered, error, extra]);
  },
};

// ---------------------------------------------------------------- every method

/** Calls every method of both clients with valid input and reads every result. */
export async function exercise(mava: Mava, bot: Mavibot): Promise<string[]> {
  const seen: string[] = [];
  const controller = new AbortController();
  const options: CallOptions = { signal: controller.signal, timeoutMs: 5_000, queueTimeoutMs: 10_000, maxRetries: 1, retryCreates: false };

  // Mava: the seven methods, with inline inputs as a user writes them.
  const identified: MavaResults["identify"] = await mava.identify({
    emailAddress: "ann@example.com",
    plaformUserId: "discord:1234",
    mavaCustomerId: CUSTOMER,
    customAttributes: [{ label: "Plan", value: "Pro" }],
  });
  const customerId: string | undefined = identified.mavaCustomerId;
  seen.push(String(customerId));

  const { categories } = await mava.getCategories(options);
  for (const c of categories) seen.push(use.category(c));
  const { agents } = await mava.getAgents();
  for (const a of agents) seen.push(use.agent(a));

  const customer: CreateTicketCustomer = {
    name: "Ann",
    email: "ann@example.com",
    attributes: [{ attribute: ATTRIBUTE, content: "Gold" }],
  };
  const created: Ticket = await mava.createTicket(
    {
      customer,
      status: "Open",
      priority: 3,
      sourceType: "web",
      assignedTo: AGENT,
      category: CATEGORY,
      tags: [TAG],
      emailSubjectLine: "Cannot log in",
      attributes: [{ attribute: ATTRIBUTE, content: "EU" }],
      message: {
        content: "I cannot log in.",
        attachments: [{ url: "https://mava-uploads.s3.amazonaws.com/a.png", fileName: "a.png", fileSize: 1024, type: "Image" }],
      },
      silent: false,
      notify: true,
      triggerAutomations: true,
    },
    { retryCreates: true },
  );
  seen.push(...use.ticket(created));
  seen.push(...use.ticket(await mava.createTicket({ customerId: CUSTOMER, priority: 1 })));
  seen.push(...use.ticket(await mava.createTicket({ customer: { walletAddress: WALLET } })));

  const updated: { message: string } = await mava.updateTicket({ ticketId: TICKET, status: "Resolved", assignedTo: null });
  seen.push(updated.message);
  seen.push((await mava.updateTicket({ ticketId: TICKET, categoryId: CATEGORY })).message);

  const attachment: SendMessageAttachment = { fileName: "log.txt", url: "https://example.com/log.txt", fileType: "text/plain" };
  const sent = await mava.sendMessage({ ticketId: TICKET, content: "Fixed.", messageType: "ExternalMessage", attachments: [attachment] });
  const sentMessage: { [key: string]: JsonValue } = sent.message;
  const sentTicket: { [key: string]: JsonValue } = sent.ticket;
  const sender: { [key: string]: JsonValue } = sent.sender;
  seen.push(JSON.stringify([sentMessage, sentTicket, sender]));
  await mava.sendMessage({ ticketId: TICKET, attachments: [attachment], messageType: "InternalNote" });

  const sortBy: TicketSortField = "createdAt";
  const query: FetchTicketsInput = {
    startDate: "2026-01-01",
    endDate: new Date("2026-04-01T00:00:00Z"),
    limit: 50,
    skip: 0,
    status: ["Open", "Pending"],
    assignedTo: [AGENT, "Unassigned"],
    category: CATEGORY,
    tags: [TAG],
    csatValues: [5, "no-rating"],
    origin: "telegram-group",
    sortBy,
    sortOrder: "asc",
    includeMessages: true,
  };
  seen.push(...use.page(await mava.fetchTickets(query, options)));

  const progress: IterateProgress[] = [];
  const iterate: IterateOptions = {
    onProgress: (p) => {
      const fetched: number = p.fetched;
      const total: number | undefined = p.total;
      progress.push({ fetched, total });
    },
    signal: controller.signal,
  };
  for await (const ticket of mava.iterateTickets({ startDate: "2026-01-01", endDate: "2027-01-01", status: "Resolved" }, iterate)) {
    seen.push(ticket._id);
  }
  seen.push(JSON.stringify(progress));

  // Builders and validators: no network.
  const built: SdkRequest[] = [
    mava.build.identify({ emailAddress: "" }),
    mava.build.getCategories(),
    mava.build.getAgents(),
    mava.build.createTicket({ customerId: CUSTOMER }),
    mava.build.updateTicket({ ticketId: TICKET, priority: 2 }),
    mava.build.sendMessage({ ticketId: TICKET, content: "Hello" }),
    mava.build.fetchTickets({ startDate: "2026-01-01", endDate: "2026-02-01" }),
  ];
  for (const r of built) seen.push(use.request(r));
  const form: unknown = { customer: { email: "nope" }, priority: 5 };
  const issues: ValidationIssue[][] = [
    validate.mava.identify({}),
    validate.mava.getCategories(),
    validate.mava.getAgents(undefined),
    validate.mava.createTicket(form),
    validate.mava.updateTicket({ ticketId: TICKET }),
    validate.mava.sendMessage({ ticketId: TICKET }),
    validate.mava.fetchTickets({}),
  ];
  for (const list of issues) seen.push(...use.issues(list));

  // Mavibot: the 42 methods. The object type requires one entry per method and each entry's
  // value to be that method's result type.
  const buttons: Buttons = [{ text: "Track", type: "inline", url: "https://example.com/track", line: 0, index_in_line: 0 }];
  const hinted: Buttons = { hint: "Reply 1 or 2", buttons: [{ text: "1" }, { text: "2", type: "reply", one_time: 1, color: "green" }] };
  const webApp: Button = { text: "Open", type: "web_app", web_app: "https://example.com/app" };
  const botOptions: MavibotCallOptions = { method: "POST", timeoutMs: 5_000 };
  const clientType: ClientType = 13;
  const results: { [K in keyof MavibotMethods]: MavibotResults[K] } = {
    callback: await bot.callback({ client_id: 49177759, message: "start_funnel", resume_bot: true, time_shift: 60, order_total: 12.5 }),
    vkCallback: await bot.vkCallback({ user_id: "123", group_id: 456, message: "hi", send_time: "2026-10-16 13:15:59" }),
    whatsappCallback: await bot.whatsappCallback({ phone: "+79990000000", name: "Ann", message: "hi", bot_id: 7 }),
    okCallback: await bot.okCallback({ value_user_id: "ok_user", ok_user: "555", group_id: "g1", message: "hi" }),
    tgCallback: await bot.tgCallback({ message: "hi", user_id: 42, group_id: "shop_bot" }),
    maxCallback: await bot.maxCallback({ message: "hi", platform_id: "p1", group_id: 9 }),
    sendCallbackByPlatformId: await bot.sendCallbackByPlatformId({ platform_ids: ["a", 2], callback_text: "go", group_id: "g1" }),
    emailCallback: await bot.emailCallback({ email: "ann@example.com", message: "hi", name: "Ann", email_id_bot: "bot@example.com" }),
    message: await bot.message({ client_id: 49177759, message: "Your order shipped", buttons }, botOptions),
    whatsappMessage: await bot.whatsappMessage({ phone: "+79990000000", attachment_type: "image", attachment_url: "https://example.com/a.png", whatsapp_bot_id: 3 }),
    broadcast: await bot.broadcast({ list: 1170282, message: "Sale today", buttons: hinted, shift: 0.2 }),
    getHistory: await bot.getHistory({ client_id: 49177759, limit: 100, start_date: "01.01.2026", stop_date: "31.01.2026" }),
    clearHistory: await bot.clearHistory({ client_id: 49177759 }),
    assignToUser: await bot.assignToUser({ client_id: 49177759, email: "agent@example.com" }),
    loadClients: await bot.loadClients([{ platform_id: "79990000000", group_id: "", client_type: clientType }, { platform_id: 1, group_id: 11, client_type: 1 }]),
    addToList: await bot.addToList({ list_id: 1170282, clients: [411262772, "646410963"] }),
    removeFromList: await bot.removeFromList({ list_id: "1170282", clients: [411262772] }),
    getClients: await bot.getClients({ offset: 0, limit: 500, reverse: true }),
    deleteClients: await bot.deleteClients({ client_ids: [1, "2"] }),
    saveVariables: await bot.saveVariables({ client_id: 49177759, variables: { "client.phone": "88888888888", score: 3, vip: true, tags: ["a"] } }),
    getVariables: await bot.getVariables({ client_id: 49177759 }),
    findClientIdByPlatformId: await bot.findClientIdByPlatformId({ platform_ids: ["123"], group_id: "shop_bot" }),
    onlineChatClientId: await bot.onlineChatClientId({ recipient: "abc", tag: "landing", name: "Ann" }),
    whatsappClientId: await bot.whatsappClientId({ phone: "+79990000000", group_id: 1 }),
    findClientIdByPhone: await bot.findClientIdByPhone({ phone: "+79990000000" }),
    findClientIdByEmail: await bot.findClientIdByEmail({ email: "ann@example.com" }),
    findClientIdByVar: await bot.findClientIdByVar({ var: "order", val: 17, search_in: "order", group_id: "g" }),
    findLatestClientIdByVar: await bot.findLatestClientIdByVar({ var: "city", val: "Riga" }),
    findAllClientIdByVar: await bot.findAllClientIdByVar({ var: "city", val: "Riga" }),
    findAllClientIdBySeveralVars: await bot.findAllClientIdBySeveralVars({ city: "Riga", age: 30 }),
    findClients: await bot.findClients({ q: { name: { _in: ["Ann", "Bob"] }, city: "Riga" }, include_all: true }),
    getCurrentOrderId: await bot.getCurrentOrderId({ client_id: 1 }),
    getOrders: await bot.getOrders({ client_id: 1, order_status: 0 }),
    moveOrderToNextState: await bot.moveOrderToNextState({ client_id: 1, order_id: 40632 }),
    getOrderVars: await bot.getOrderVars({ client_id: 1, order_id: 40632, variables: ["var_name1"] }),
    setOrderVars: await bot.setOrderVars({ client_id: 1, order_id: 40632, variables: { var_name1: "111" } }),
    createOrder: await bot.createOrder({ phone: "+79990000000", name: "Order", description: "Two chairs", budget: 100, state_id: 5 }),
    setOrderState: await bot.setOrderState({ client_id: 1, state_id: 37 }),
    getOrderState: await bot.getOrderState({ client_id: 1, order_id: 40632 }),
    checkWhatsapp: await bot.checkWhatsapp({ phone: "+7 999 000-00-00" }),
    connectedChannels: await bot.connectedChannels(),
    getMessages: await bot.getMessages({ timeoutMs: 1_000 }),
  };

  // The other shapes the rules allow.
  await bot.callback({ value_client_id: "my_client", my_client: 49177759, value_message: "text", text: "hi" });
  await bot.callback({ delimiter: "|", delimiter_value_client_id: "a|b", message: "hi", a: { b: 1 } });
  await bot.whatsappCallback({ value_phone: "tel", tel: "+79990000000" });
  await bot.message({ client_id: 1, message_id: 12 });
  await bot.message({ value_client_id: "id", id: 1, attachment_type: "file", attachment_url: "https://example.com/f.pdf", buttons: [webApp] });
  await bot.broadcast({ clients: ["5", "58", "110"], message_id: 3 });
  await bot.broadcast({ platform_ids: ["p1", "p2"], group_id: "shop_bot", attachment_type: "video", attachment_url: "https://example.com/v.mp4" });
  await bot.broadcast({ message: "We are back online", allClients: true });
  await bot.broadcast({ list: 1, message: "hi", allClients: false, send_time: "2026-10-16 13:15:59" });
  await bot.getHistory({ client_id: "49177759" });
  await bot.saveVariables({ clients: [1, 2], variables: { vip: true } });
  await bot.createOrder({ client_id: 1 });
  await bot.createOrder({ email: "ann@example.com" });
  await bot.getClients({ list: 1170282 });
  await bot.getOrderState({ client_id: 1 });

  seen.push(...[results.callback, results.vkCallback, results.whatsappCallback, results.okCallback, results.tgCallback].map(use.status));
  seen.push(...[results.maxCallback, results.sendCallbackByPlatformId, results.emailCallback, results.message].map(use.status));
  seen.push(...[results.whatsappMessage, results.broadcast, results.clearHistory, results.assignToUser].map(use.status));
  seen.push(...[results.addToList, results.removeFromList, results.deleteClients, results.saveVariables].map(use.status));
  seen.push(...[results.whatsappClientId, results.findClientIdByPhone, results.findClientIdByEmail].map(use.status));
  seen.push(...[results.findClientIdByVar, results.findLatestClientIdByVar, results.findAllClientIdByVar].map(use.status));
  seen.push(...[results.setOrderState, results.checkWhatsapp].map(use.status));
  const history: HistoryMessage[] = results.getHistory.result;
  const success: "success" = results.getHistory.status;
  seen.push(success, ...history.map(use.history));
  const loaded: LoadedClient[] = results.loadClients.items;
  seen.push(results.loadClients.status, ...loaded.map(use.loaded));
  const clients: BotClient[] = results.getClients.clients;
  seen.push(...clients.map(use.client));
  const variables: { [name: string]: JsonValue } = results.getVariables;
  seen.push(JSON.stringify(variables));
  const found: FoundClient[] = results.findClientIdByPlatformId;
  seen.push(...found.map(use.found));
  const chatClient: number = results.onlineChatClientId.client_id;
  const several: number[] = results.findAllClientIdBySeveralVars.client_ids;
  const matched: number[] = results.findClients.client_ids;
  const currentOrder: number = results.getCurrentOrderId.order_id;
  const orders: number[] = results.getOrders.order_id;
  const nextState: number = results.moveOrderToNextState.state_id;
  const orderVars: { [name: string]: JsonValue } = results.getOrderVars.result;
  const setVars: "success" = results.setOrderVars.status;
  const newOrder: number = results.createOrder.order_id;
  const state: number = results.getOrderState.state_id;
  seen.push(JSON.stringify([chatClient, several, matched, currentOrder, orders, nextState, orderVars, setVars, newOrder, state]));
  const projectId: number = results.connectedChannels.project_id;
  const telegram: Channel[] | number | undefined = results.connectedChannels["telegram"];
  if (Array.isArray(telegram)) seen.push(...telegram.map(use.channel));
  const blocks: JsonValue = results.getMessages;
  seen.push(String(projectId), JSON.stringify(blocks));

  for await (const client of bot.iterateClients({ list: 1170282, limit: 2 }, { onProgress: (p) => seen.push(`${p.fetched}/${p.total}`) })) {
    seen.push(use.client(client));
  }
  for await (const client of bot.iterateClients()) seen.push(String(client.id));

  const anyAction: JsonValue = await bot.call("some_new_action", { client_id: 1, note: null }, { method: "GET" });
  seen.push(JSON.stringify(anyAction), JSON.stringify(await bot.call("another_action")));

  const mavibotBuilt: SdkRequest[] = [
    bot.build.callback({ client_id: 1, message: "hi" }),
    bot.build.broadcast({ list: 1, message: "hi" }),
    bot.build.loadClients([{ platform_id: 1, group_id: 2, client_type: 0 }]),
    bot.build.getClients({}),
    bot.build.connectedChannels(),
    bot.build.getMessages(),
  ];
  seen.push(...mavibotBuilt.map(use.request));
  seen.push(...use.issues(validate.mavibot.broadcast({ message: "hi" })));
  seen.push(...use.issues(validate.mavibot.connectedChannels()));
  seen.push(...use.issues(validate.mavibot.loadClients([])));

  const event: MavibotWebhookEvent = parseMavibotWebhook(
    '{"id":1,"client":{"id":49177759,"recepient":"123","client_type":1,"name":"Ann","avatar":null,"created_at":"2026-01-01","tag":"t","group":"shop_bot"},"message":"hi","attachments":[],"message_id":5,"project_id":7,"is_input":1,"delivered":1,"error_message":null}',
  );
  seen.push(use.webhook(event));
  const fromObject: unknown = { client: { id: 1 }, message: null };
  seen.push(use.webhook(parseMavibotWebhook(fromObject)));
  if (event.is_input === 1) seen.push(`client ${event.client.id} wrote: ${event.message}`);

  // A Mava webhook event as openMavaWebhook resolves it (a delivery is made in the package's own
  // tests; here the types are read).
  seen.push(...use.mavaEvent({
    webhookId: "w1", type: "ticket.created", duplicate: false,
    document: {
      tags: [], status: "Open", priority: "2", category: { name: "Billing", isArchived: false }, sourceType: "web",
      aiStatus: "escalated", userRating: TICKET, isUserRatingRequested: false, attributes: [],
      customer: { walletAddress: WALLET, name: "Ann", email: "ann@example.com", attributes: [], discordAuthorId: "1", telegramAuthorId: "2", discordRoles: [] },
    },
  }));
  return seen;
}

/** A Worker's webhook route, typed: what a receiver writes. */
export async function receive(body: string, signingKey: string, seen: MavaWebhookSeen): Promise<number> {
  const delivery: MavaWebhookDelivery = JSON.parse(body) as MavaWebhookDelivery;
  const authentic: boolean = await verifyMavaWebhook(delivery, signingKey);
  if (!authentic) return 401;
  const options: OpenMavaWebhookOptions = { seen };
  try {
    const event: MavaWebhookEvent = await openMavaWebhook(body, signingKey, options);
    return event.duplicate ? 200 : event.type === "ticket.created" ? 201 : 202;
  } catch (e) {
    if (e instanceof WebhookError) {
      const code: WebhookErrorCode = e.code;
      const id: string | undefined = e.webhookId;
      return code === "SEEN_FAILED" ? 503 : id === undefined ? 500 : 400;
    }
    throw e;
  }
}

// ---------------------------------------------------------------- errors

/** Reads every field of every error class; also checks at run time that each has the declared type. */
export function useError(e: unknown): string {
  const must = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`error field has the wrong type: ${what}`);
  };
  if (!(e instanceof SdkError)) throw e;
  const asError: Error = e;
  const name: SdkErrorName = e.name;
  const code: string = e.code;
  const attempts: number | undefined = e.attempts;
  const message: string = e.message;
  const stack: string | undefined = e.stack;
  must(asError instanceof Error && e.constructor.name === name && typeof code === "string", "name/code");
  must(attempts === undefined || Number.isInteger(attempts), "attempts");
  const parts: unknown[] = [name, code, attempts, message, stack === undefined];

  if (e instanceof ValidationError) {
    const vName: "ValidationError" = e.name;
    const vCode: "VALIDATION_ERROR" = e.code;
    const issues: ValidationIssue[] = e.issues;
    must(vName === "ValidationError" && vCode === "VALIDATION_ERROR" && Array.isArray(issues) && issues.length > 0, "ValidationError");
    parts.push(...use.issues(issues));
  } else if (e instanceof ApiError) {
    const aName: "ApiError" | "AuthenticationError" | "RateLimitError" = e.name;
    const aCode: ApiErrorCode = e.code;
    const status: number = e.status;
    const body: JsonValue = e.body;
    const headers: Record<string, string> = e.headers;
    const retryAfterMs: number | undefined = e.retryAfterMs;
    const apiAttempts: number = e.attempts;
    must(typeof status === "number" && typeof headers === "object" && Number.isInteger(apiAttempts), "ApiError");
    must(retryAfterMs === undefined || typeof retryAfterMs === "number", "retryAfterMs");
    must(body !== undefined, "body");
    parts.push(aName, aCode, status, body, headers, retryAfterMs);
    if (e instanceof AuthenticationError) {
      const s: 401 = e.status;
      const n: "AuthenticationError" = e.name;
      must(s === 401 && n === "AuthenticationError", "AuthenticationError");
    }
    if (e instanceof RateLimitError) {
      const s: 429 = e.status;
      const n: "RateLimitError" = e.name;
      must(s === 429 && n === "RateLimitError", "RateLimitError");
    }
  } else if (e instanceof TimeoutError) {
    const tCode: "TIMEOUT" | "QUEUE_TIMEOUT" = e.code;
    const tAttempts: number = e.attempts;
    must(tCode === "TIMEOUT" && Number.isInteger(tAttempts), "TimeoutError");
    parts.push(tCode, tAttempts);
  } else if (e instanceof NetworkError) {
    const nCode: "NETWORK_ERROR" = e.code;
    const cause: Error = e.cause;
    const causeMessage: string = cause.message;
    const nAttempts: number = e.attempts;
    must(nCode === "NETWORK_ERROR" && cause instanceof Error && typeof causeMessage === "string" && Number.isInteger(nAttempts), "NetworkError");
    parts.push(nCode, causeMessage, nAttempts);
  } else if (e instanceof AbortError) {
    const abCode: "ABORTED" = e.code;
    must(abCode === "ABORTED", "AbortError");
    parts.push(abCode);
  } else if (e instanceof WebhookError) {
    const wName: "WebhookError" = e.name;
    const wCode: WebhookErrorCode = e.code;
    const webhookId: string | undefined = e.webhookId;
    const cause: Error | undefined = e.cause;
    must(wName === "WebhookError" && typeof wCode === "string", "WebhookError");
    must(webhookId === undefined || typeof webhookId === "string", "webhookId");
    must(cause === undefined || cause instanceof Error, "cause");
    parts.push(wName, wCode, webhookId, cause?.message);
  }
  return JSON.stringify(parts);
}

type FetchLike = (request: Request) => Promise<Response>;

/** Produces each error class through the public API (fetches that fail in each way). */
export async function errors(respond: (status: number, body: JsonValue, headers?: Record<string, string>) => FetchLike): Promise<string[]> {
  const out: string[] = [];
  const expect = async (promise: Promise<unknown>, Class: typeof SdkError): Promise<void> => {
    try {
      await promise;
    } catch (e) {
      if (!(e instanceof Class)) throw e;
      out.push(useError(e));
      return;
    }
    throw new Error(`expected ${Class.name}`);
  };
  try {
    new Mava({ apiKey: "" });
    throw new Error("expected ValidationError");
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    out.push(useError(e));
  }
  const client = (fetch: FetchLike, maxRetries = 0): Mava => new Mava({ apiKey: "test-key-1", fetch, maxRetries, rateLimit: false });
  await expect(client(respond(404, { error: "Ticket not found" })).updateTicket({ ticketId: TICKET, priority: 1 }), ApiError);
  await expect(client(respond(401, { error: "Unauthorized" })).getAgents(), AuthenticationError);
  await expect(client(respond(429, { error: "Too many requests" }, { "retry-after": "120" })).getAgents(), RateLimitError);
  await expect(client(() => Promise.reject(new TypeError("fetch failed"))).getAgents(), NetworkError);
  // A fetch that never answers but honours its signal, as fetch does.
  const hanging: FetchLike = (request) =>
    new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
  await expect(client(hanging).getAgents({ timeoutMs: 20 }), TimeoutError);
  await expect(client(respond(200, {})).getAgents({ signal: AbortSignal.abort() }), AbortError);
  await expect(new Mavibot({ apiKey: "test-key-1", fetch: respond(200, { status: "client_not_found" }) }).getOrders({ client_id: 1 }), ApiError);
  await expect(client(respond(200, {})).createTicket({ customerId: "nope" }), ValidationError);
  const delivery: MavaWebhookDelivery = { signature: "00", payload: "cGF5bG9hZA==", key: "00:AA==", webhookId: "w1" };
  await expect(verifyMavaWebhook(delivery, "mava_wh_bm90IGEga2V5"), WebhookError);
  // A real signing key (an RSA key made here): the delivery's own problems are reported.
  const pair = await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-1" }, true, ["encrypt", "decrypt"],
  );
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const signingKey = `mava_wh_${btoa(String.fromCharCode(...der))}`;
  if ((await verifyMavaWebhook(JSON.stringify(delivery), signingKey)) !== false) throw new Error("expected an unauthentic delivery");
  await expect(openMavaWebhook(delivery, signingKey), WebhookError);
  await expect(openMavaWebhook({ ...delivery, key: "no colon" }, signingKey, { seen: new Set<string>() }), ValidationError);
  return out;
}
