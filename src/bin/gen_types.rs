//! Writes `calls.d.ts`, the TypeScript declarations of every call's input, method, builder and
//! validator, from the same call descriptions the validators use, so the types can't drift from
//! the rules: `cargo run --bin gen_types > pkg/calls.d.ts` (scripts/build.mjs does this).
//!
//! A description becomes a type: required fields are required, every enum is a literal union,
//! formats, ranges, lengths and the API's own error codes become doc comments. The cross-field
//! rules of a call (`Call::check`, plain Rust functions the generator can't read) are restated
//! in [`RULES`] wherever TypeScript can say them ("exactly one of `customerId` and `customer`"),
//! as unions the input must also match. `tests/types` proves both directions: every input the
//! types accept validates, and every input they reject also fails at run time.

use mava_sdk::core::schema::{Call, Field, Fmt, Repeat, Ty, LOCAL, QUERY, REQ, REQ_BY_CHECK};
use mava_sdk::{mava, mavibot};

fn main() {
    print!("{}", generate());
}

// ------------------------------------------------------------------ cross-field rules

/// A rule between fields of one object, as a union of shapes. An entry `"a+b"` of a group
/// means field `a`, which then needs `b` too (`platform_ids+group_id`).
///
/// The rules of one object must not contradict each other shape by shape (one requiring a
/// field another's shape forbids): TypeScript would drop the impossible combinations and,
/// with them, the type's name in editors, errors and the API reference. `union` checks this.
#[derive(Clone, Copy)]
enum Rule {
    /// Exactly one of the fields (a boolean field counts only when `true`).
    ExactlyOne(&'static [&'static str]),
    /// At least one of the fields.
    AtLeastOne(&'static [&'static str]),
    /// All of the fields or none of them.
    Together(&'static [&'static str]),
}

/// Where a rule applies: API, call, and the object inside the input (`""` is the input).
struct Refine {
    api: &'static str,
    call: &'static str,
    at: &'static str,
    rule: Rule,
}

const fn rule(api: &'static str, call: &'static str, at: &'static str, rule: Rule) -> Refine {
    Refine { api, call, at, rule }
}

use Rule::{AtLeastOne, ExactlyOne, Together};

/// The cross-field checks of src/mava and src/mavibot that a type can state. Checks a type
/// can't state (a date range of at most a year, `value_client_id` naming a key that exists,
/// non-blank text) stay run-time only. A rule naming a field the call doesn't have stops the
/// generator, so renaming a field can't leave a stale rule behind.
const RULES: &[Refine] = &[
    // mava::tickets::check_create: INVALID_CUSTOMER_MODE.
    rule("Mava", "createTicket", "", ExactlyOne(&["customerId", "customer"])),
    rule("Mava", "createTicket", "customer", AtLeastOne(&["email", "walletAddress"])),
    // mava::tickets::check_update: an update must change something.
    rule("Mava", "updateTicket", "", AtLeastOne(&["status", "priority", "categoryId", "assignedTo"])),
    // mava::messages::check_content: CONTENT_REQUIRED.
    rule("Mava", "sendMessage", "", AtLeastOne(&["content", "attachments"])),
    // mavibot::callbacks: the client (or a mapping to it) and the callback text.
    rule(
        "Mavibot",
        "callback",
        "",
        AtLeastOne(&[
            "client_id",
            "client_phone",
            "client_email",
            "value_client_id",
            "value_phone",
            "value_email",
            "delimiter_value_client_id",
            "delimiter_value_phone",
        ]),
    ),
    rule("Mavibot", "callback", "", AtLeastOne(&["message", "value_message"])),
    rule("Mavibot", "vkCallback", "", AtLeastOne(&["user_id", "value_user_id"])),
    rule("Mavibot", "vkCallback", "", AtLeastOne(&["group_id", "value_group_id"])),
    rule("Mavibot", "vkCallback", "", AtLeastOne(&["message", "value_message"])),
    rule("Mavibot", "okCallback", "", AtLeastOne(&["user_id", "value_user_id"])),
    rule("Mavibot", "okCallback", "", AtLeastOne(&["group_id", "value_group_id"])),
    rule("Mavibot", "okCallback", "", AtLeastOne(&["message", "value_message"])),
    rule("Mavibot", "whatsappCallback", "", AtLeastOne(&["phone", "value_phone", "delimiter_value_phone"])),
    // mavibot::messages: the recipient, some content, attachment type and URL together.
    rule("Mavibot", "message", "", AtLeastOne(&["client_id", "value_client_id", "delimiter_value_client_id"])),
    rule("Mavibot", "message", "", AtLeastOne(&["message", "value_message", "attachment_url+attachment_type", "message_id"])),
    rule("Mavibot", "whatsappMessage", "", AtLeastOne(&["phone", "value_phone", "delimiter_value_phone"])),
    rule("Mavibot", "whatsappMessage", "", AtLeastOne(&["message", "value_message", "attachment_url+attachment_type", "message_id"])),
    // mavibot::messages::check_broadcast: RECIPIENT_REQUIRED / CONFLICTING_FIELDS.
    rule("Mavibot", "broadcast", "", ExactlyOne(&["list", "clients", "platform_ids+group_id", "allClients"])),
    rule("Mavibot", "broadcast", "", AtLeastOne(&["message", "attachment_url+attachment_type", "message_id"])),
    rule("Mavibot", "getHistory", "", Together(&["start_date", "stop_date"])),
    // mavibot::variables::check_targets, mavibot::deals::check_order_client: MISSING_CLIENT.
    rule("Mavibot", "saveVariables", "", AtLeastOne(&["client_id", "clients", "delimiter_value_client_id"])),
    rule("Mavibot", "createOrder", "", AtLeastOne(&["client_id", "phone", "email"])),
];

// ------------------------------------------------------------------ named types

/// A shape used in many inputs, declared once under a name (results in index.d.ts use them
/// too). Any part of an input equal to it is written as the name.
struct Named {
    name: &'static str,
    doc: &'static str,
    ty: &'static Ty,
}

static TICKET_STATUS: Ty = Ty::Enum(mava::tickets::STATUSES);
static TICKET_SORT_FIELD: Ty = Ty::Enum(mava::fetch_tickets::SORT_FIELDS);
static TICKET_PRIORITY: Ty = mava::tickets::PRIORITY;
static ATTACHMENT_TYPE: Ty = mavibot::shared::ATTACHMENT_TYPE;
static CLIENT_TYPE: Ty = mavibot::shared::CLIENT_TYPE;
static BUTTONS: Ty = mavibot::shared::BUTTONS;

fn button() -> &'static Ty {
    match &BUTTONS {
        Ty::Either(Ty::Arr { item, .. }, _) => item,
        _ => panic!("mavibot::shared::BUTTONS is no longer `Either(Arr(button), …)`: update gen_types"),
    }
}

fn named() -> Vec<Named> {
    vec![
        Named { name: "TicketStatus", doc: "A Mava ticket's status.", ty: &TICKET_STATUS },
        Named { name: "TicketPriority", doc: "A Mava ticket's priority: 1 low, 2 medium, 3 high.", ty: &TICKET_PRIORITY },
        Named { name: "TicketSortField", doc: "What `fetchTickets` can sort by.", ty: &TICKET_SORT_FIELD },
        Named { name: "AttachmentType", doc: "The kind of file a Mavibot message attaches.", ty: &ATTACHMENT_TYPE },
        Named {
            name: "ClientType",
            doc: "A Mavibot client's messenger: 0 VK, 1 Telegram, 2 Viber, 3 Facebook, 5 site chat, 6 WhatsApp, 7 Avito, \
                  8 Odnoklassniki, 10 Instagram, 12 Yula, 13 telephony, 14 e-mail, 16 Telegram Business, 19 Cian, 20 MAX, \
                  21 Telegram account, 22 TikTok.",
            ty: &CLIENT_TYPE,
        },
        Named {
            name: "Button",
            doc: "A Mavibot button. Buttons of one message are all `inline` or all keyboard (`reply`) buttons; a \
                  `web_app` button needs `web_app`.",
            ty: button(),
        },
        Named {
            name: "Buttons",
            doc: "Buttons of a Mavibot message: a list, or `{ hint, buttons }` where `hint` is shown by messengers \
                  without buttons.",
            ty: &BUTTONS,
        },
    ]
}

// ------------------------------------------------------------------ output

/// The whole of `calls.d.ts`.
fn generate() -> String {
    let g = Gen { named: named().iter().map(|n| (format!("{:?}", n.ty), n.name)).collect(), hoisted: vec![], skip: None };
    let mut out = String::from(
        "// Generated by `cargo run --bin gen_types` from the call descriptions in src/mava and\n\
         // src/mavibot (cross-field rules: RULES in src/bin/gen_types.rs). Do not edit: change the\n\
         // descriptions and rebuild.\n\n",
    );
    // What the declarations use from index.d.ts: option and request types, and the result types.
    let mut used: Vec<&str> = vec!["CallOptions", "JsonValue", "MavibotCallOptions", "MavibotStatus", "SdkRequest", "ValidationIssue"];
    used.extend(RESULTS.iter().map(|(.., ty)| ty.trim_end_matches("[]")));
    used.sort_unstable();
    used.dedup();
    out.push_str(&format!("import type {{ {} }} from \"./index.js\";\n\n", used.join(", ")));
    issue_codes(&mut out);
    for n in named() {
        let def = g.declaring(n.name);
        doc(&mut out, "", &[n.doc.to_string()]);
        out.push_str(&format!("export type {} = {};\n\n", n.name, def.ts(n.ty, 0, "", None)));
    }
    api(&mut out, &g, "Mava", mava::CALLS);
    api(&mut out, &g, "Mavibot", mavibot::CALLS);
    for r in RULES {
        let calls = if r.api == "Mava" { mava::CALLS } else { mavibot::CALLS };
        assert!(calls.iter().any(|c| c.name == r.call), "RULES: {} has no call {}", r.api, r.call);
    }
    // A doc for a field that no longer exists would be silently dropped: stop instead.
    let all = || mava::CALLS.iter().chain(mavibot::CALLS.iter());
    for (key, _) in FIELD_DOCS {
        let known = match key.split_once('.') {
            Some((call, path)) => all().any(|c| c.name == call && c.input.is_some_and(|ty| find(ty, path).is_some())),
            None => all().any(|c| c.input.is_some_and(|ty| format!("{ty:?}").contains(&format!("name: {key:?}")))),
        };
        assert!(known, "FIELD_DOCS: no input has a field `{key}`");
    }
    out
}

/// `IssueCode`: every code of `core::issue::code`, read from its source so a new code can't be
/// missed.
fn issue_codes(out: &mut String) {
    const SOURCE: &str = include_str!("../core/issue.rs");
    let start = SOURCE.find("pub mod code {").expect("core::issue has no `pub mod code`");
    let end = start + SOURCE[start..].find("\n}").expect("`pub mod code` is not closed");
    let codes: Vec<&str> = SOURCE[start..end]
        .lines()
        .filter(|l| l.trim_start().starts_with("pub const "))
        .filter_map(|l| l.split('"').nth(1))
        .collect();
    assert!(codes.len() > 10, "found only {} issue codes in core/issue.rs", codes.len());
    doc(
        out,
        "",
        &[
            "The `code` of a {@link ValidationIssue}: the API's own code where its docs give one (`INVALID_LIMIT`, \
             `INVALID_CUSTOMER_MODE` …), else one of the SDK's."
                .into(),
        ],
    );
    out.push_str("export type IssueCode =\n");
    for c in codes {
        out.push_str(&format!("  | {}\n", quote(c)));
    }
    out.pop();
    out.push_str(";\n\n");
}

// ------------------------------------------------------------------ results

/// The named type (in pkg-template/index.d.ts) each method resolves to, so an editor shows
/// `Promise<Ticket>` rather than `Promise<MavaResults["createTicket"]>`. `MavaResults` and
/// `MavibotResults` there list the same names; tests/types checks that the two agree, and a call
/// missing here stops the generator.
const RESULTS: &[(&str, &str, &str)] = &[
    ("Mava", "identify", "IdentifyResult"),
    ("Mava", "getCategories", "CategoryList"),
    ("Mava", "getAgents", "AgentList"),
    ("Mava", "createTicket", "Ticket"),
    ("Mava", "updateTicket", "UpdateTicketResult"),
    ("Mava", "sendMessage", "SentMessage"),
    ("Mava", "fetchTickets", "TicketPage"),
    ("Mavibot", "getHistory", "BotHistory"),
    ("Mavibot", "loadClients", "LoadedClients"),
    ("Mavibot", "getClients", "BotClientList"),
    ("Mavibot", "getVariables", "BotVariables"),
    ("Mavibot", "findClientIdByPlatformId", "FoundClient[]"),
    ("Mavibot", "onlineChatClientId", "OnlineChatClientId"),
    ("Mavibot", "findAllClientIdBySeveralVars", "BotClientIds"),
    ("Mavibot", "findClients", "BotClientIds"),
    ("Mavibot", "getCurrentOrderId", "BotOrderId"),
    ("Mavibot", "createOrder", "BotOrderId"),
    ("Mavibot", "getOrders", "BotOrderIds"),
    ("Mavibot", "moveOrderToNextState", "BotOrderState"),
    ("Mavibot", "getOrderState", "BotOrderState"),
    ("Mavibot", "getOrderVars", "BotOrderVars"),
    ("Mavibot", "setOrderVars", "BotSetOrderVars"),
    ("Mavibot", "connectedChannels", "ConnectedChannels"),
    ("Mavibot", "getMessages", "JsonValue"),
];

/// The result type of a call; a Mavibot action whose body the docs don't describe is `MavibotStatus`.
fn result_type(api: &str, call: &str) -> &'static str {
    match RESULTS.iter().find(|(a, c, _)| *a == api && *c == call) {
        Some((.., ty)) => ty,
        None if api == "Mavibot" => "MavibotStatus",
        None => panic!("no result type for {api}.{call}: add it to RESULTS (and to MavaResults in index.d.ts)"),
    }
}

fn api(out: &mut String, g: &Gen, api: &'static str, calls: &[&Call]) {
    let lower = api.to_lowercase();
    let call_options = if api == "Mava" { "CallOptions" } else { "MavibotCallOptions" };
    for c in calls {
        let Some(ty) = c.input else { continue };
        let rules: Vec<&Refine> = RULES.iter().filter(|r| r.api == api && r.call == c.name).collect();
        let mut text = vec![format!("Input of `{}` ({}).", c.name, request_line(api, c))];
        if !rules.is_empty() {
            let said: Vec<String> = rules.iter().map(|r| describe(r)).collect();
            text.push(format!("The type also states the call's cross-field rules: {}.", said.join("; ")));
        }
        text.push(format!(
            "Formats, ranges and lengths are checked at run time, by `validate.{lower}.{}` and before the request is sent.",
            c.name
        ));
        let cx = Gen { hoisted: hoisted(api, c, ty), ..g.clone() };
        for (path, name) in &cx.hoisted {
            let part = find(ty, path).expect("hoisted path exists");
            let what = path.trim_end_matches("[]");
            let one = if path.ends_with("[]") { "An item of" } else { "The" };
            doc(out, "", &[format!("{one} `{what}` in {{@link {}Input}}.", pascal(c.name))]);
            out.push_str(&format!("export type {name} = {};\n\n", cx.declaring(name).ts(part, 0, path, Some((api, c.name)))));
        }
        doc(out, "", &text);
        out.push_str(&format!("export type {}Input = {};\n\n", pascal(c.name), cx.ts(ty, 0, "", Some((api, c.name)))));
    }

    doc(out, "", &[format!("One method per {api} call; each resolves to the parsed JSON body of the response.")]);
    out.push_str(&format!("export interface {api}Methods {{\n"));
    for c in calls {
        doc(out, "  ", &method_doc(api, c));
        let result = format!("Promise<{}>", result_type(api, c.name));
        match c.input {
            Some(_) => out.push_str(&format!("  {}(input: {}Input, options?: {call_options}): {result};\n", c.name, pascal(c.name))),
            None => out.push_str(&format!("  {}(options?: {call_options}): {result};\n", c.name)),
        }
    }
    out.push_str("}\n\n");

    doc(out, "", &["`client.build.<method>(input)`: the request the method would send, without sending it; throws `ValidationError`.".into()]);
    out.push_str(&format!("export interface {api}Builders {{\n"));
    for c in calls {
        match c.input {
            Some(_) => out.push_str(&format!("  {}(input: {}Input): SdkRequest;\n", c.name, pascal(c.name))),
            None => out.push_str(&format!("  {}(): SdkRequest;\n", c.name)),
        }
    }
    out.push_str("}\n\n");

    doc(
        out,
        "",
        &[format!(
            "`validate.{lower}.<method>(input)`: every issue of an input (of any type, e.g. a form's data), `[]` when it is \
             valid. Never throws, needs no client and no key."
        )],
    );
    out.push_str(&format!("export interface {api}Validators {{\n"));
    for c in calls {
        let optional = if c.input.is_some() { "" } else { "?" };
        out.push_str(&format!("  {}(input{optional}: unknown): ValidationIssue[];\n", c.name));
    }
    out.push_str("}\n\n");
}

fn request_line(api: &str, c: &Call) -> String {
    match api {
        "Mava" => format!("`{} {}`", c.method.as_str(), c.path),
        _ => format!("`{} {{baseUrl}}/api/{{apiKey}}/{}`", c.method.as_str(), c.path),
    }
}

fn method_doc(api: &str, c: &Call) -> Vec<String> {
    let mut text = vec![format!("{}.", request_line(api, c))];
    if api == "Mava" && c.name == mava::messages::SEND_MESSAGE.name {
        text[0] = format!("{} (`POST` with the client option `messageMethod: \"POST\"`).", request_line(api, c));
    }
    if api == "Mavibot" && c.input.is_some() {
        text.push(if c.method.as_str() == "GET" { "The input is sent as query parameters." } else { "The input is sent as a JSON body." }.into());
    }
    match c.repeat {
        Repeat::Safe => {}
        Repeat::Creates => text.push(
            "It creates something, so it is not repeated after a timeout, a dropped connection or a 502–504 (the first \
             attempt may have been processed) unless `retryCreates: true`."
                .into(),
        ),
        Repeat::CreatesAtomically => text.push(
            "It creates something: retried after a 500 (which the API rolls back) but not after a timeout or a dropped \
             connection unless `retryCreates: true`."
                .into(),
        ),
    }
    text
}

fn describe(r: &Refine) -> String {
    let entry = |e: &str| match e.split_once('+') {
        Some((key, with)) => format!("`{key}` (with `{}`)", with.replace('+', "`, `")),
        None => format!("`{e}`"),
    };
    let list = |fields: &[&str]| fields.iter().map(|f| entry(f)).collect::<Vec<_>>().join(", ");
    let said = match r.rule {
        ExactlyOne(fields) => format!("exactly one of {}", list(fields)),
        AtLeastOne(fields) => format!("at least one of {}", list(fields)),
        Together(fields) => format!("{} together or none of them", list(fields)),
    };
    if r.at.is_empty() {
        said
    } else {
        format!("in `{}`, {said}", r.at)
    }
}

/// A doc comment at `pad`, one paragraph per entry.
fn doc(out: &mut String, pad: &str, paragraphs: &[String]) {
    let paragraphs: Vec<&String> = paragraphs.iter().filter(|p| !p.is_empty()).collect();
    match paragraphs.as_slice() {
        [] => {}
        [one] if one.len() + pad.len() < 100 => out.push_str(&format!("{pad}/** {one} */\n")),
        many => {
            out.push_str(&format!("{pad}/**\n"));
            for (i, p) in many.iter().enumerate() {
                if i > 0 {
                    out.push_str(&format!("{pad} *\n"));
                }
                for line in wrap(p, 100usize.saturating_sub(pad.len() + 3)) {
                    out.push_str(&format!("{pad} * {line}\n"));
                }
            }
            out.push_str(&format!("{pad} */\n"));
        }
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn pascal(name: &str) -> String {
    let mut s = String::new();
    let mut chars = name.chars();
    if let Some(first) = chars.next() {
        s.extend(first.to_uppercase());
    }
    s.extend(chars);
    s
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

// ------------------------------------------------------------------ types

#[derive(Clone)]
struct Gen {
    /// `Debug` text of each named shape, and its name.
    named: Vec<(String, &'static str)>,
    /// Parts of the current call's input declared under their own name (see [`hoisted`]):
    /// their path (`customer`, `attachments[]`) and name.
    hoisted: Vec<(String, String)>,
    /// The shape being declared (not replaced by its own name).
    skip: Option<String>,
}

impl Gen {
    fn name_of(&self, ty: &Ty, path: &str) -> Option<String> {
        let text = format!("{ty:?}");
        let found = self.named.iter().find(|(t, _)| *t == text).map(|(_, n)| n.to_string());
        let found = found.or_else(|| self.hoisted.iter().find(|(p, _)| p == path).map(|(_, n)| n.clone()));
        found.filter(|n| Some(n) != self.skip.as_ref())
    }

    fn declaring(&self, name: &str) -> Gen {
        Gen { skip: Some(name.to_string()), ..self.clone() }
    }

    /// The type of `ty`, indented for `depth`; `path` is where it sits in the input of `call`
    /// (for its rules).
    fn ts(&self, ty: &Ty, depth: usize, path: &str, call: Option<(&str, &str)>) -> String {
        if let Some(name) = self.name_of(ty, path) {
            return name;
        }
        match ty {
            Ty::Str { fmt: Fmt::Iso8601, .. } => "string | Date".into(),
            Ty::Str { .. } => "string".into(),
            Ty::Enum(options) => options.iter().map(|o| quote(o)).collect::<Vec<_>>().join(" | "),
            Ty::Int { .. } | Ty::Num { .. } => "number".into(),
            Ty::IntEnum(options) => options.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(" | "),
            Ty::Bool => "boolean".into(),
            Ty::Id => "string | number".into(),
            Ty::Obj(o) => {
                let fields: Vec<&Field> = o.fields.iter().chain(o.more.iter()).collect();
                self.object(&fields, o.open, depth, path, call)
            }
            Ty::Map(inner) => format!("Record<string, {}>", self.ts(inner, depth, &join(path, "*"), call)),
            Ty::Arr { item, .. } => format!("Array<{}>", self.ts(item, depth, &format!("{path}[]"), call)),
            Ty::OneOrMany(inner) => {
                let t = self.ts(inner, depth, path, call);
                format!("{t} | Array<{t}>")
            }
            Ty::Nullable(inner) => format!("{} | null", self.ts(inner, depth, path, call)),
            // Any string or a few special ones (`assignedTo: "Unassigned"`): keep the literals
            // visible to editors, which `string | "Unassigned"` would collapse.
            Ty::Either(a, b) => match (self.ts(a, depth, path, call), self.ts(b, depth, path, call)) {
                (s, e) | (e, s) if s == "string" && e.starts_with('"') => format!("{e} | (string & {{}})"),
                (a, b) => format!("{a} | {b}"),
            },
            Ty::Any => "JsonValue".into(),
            Ty::Opaque => "unknown".into(),
        }
    }

    fn object(&self, fields: &[&Field], open: bool, depth: usize, path: &str, call: Option<(&str, &str)>) -> String {
        let pad = "  ".repeat(depth + 1);
        let mut s = String::from("{\n");
        for f in fields {
            doc(&mut s, &pad, &[field_notes(f, call, &join(path, f.name)).join(" ")]);
            let optional = if f.flags & (REQ | REQ_BY_CHECK) != 0 { "" } else { "?" };
            s.push_str(&format!("{pad}{}{optional}: {};\n", f.name, self.ts(f.ty, depth + 1, &join(path, f.name), call)));
        }
        if open {
            s.push_str(&format!(
                "{pad}/** Any other field is sent as given (the service stores it as a variable). */\n{pad}[field: string]: JsonValue | undefined;\n"
            ));
        }
        s.push_str(&"  ".repeat(depth));
        s.push('}');
        if let Some((api, name)) = call {
            for r in RULES.iter().filter(|r| r.api == api && r.call == name && r.at == path) {
                s.push_str(" & ");
                s.push_str(&self.union(r, fields, depth, path, call));
            }
        }
        s
    }

    /// The shapes of one rule, as `(| { … } | { … })`.
    fn union(&self, r: &Refine, fields: &[&Field], depth: usize, path: &str, call: Option<(&str, &str)>) -> String {
        let field = |name: &str| -> &Field {
            fields
                .iter()
                .copied()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("RULES: {} {} has no field `{name}` at `{path}`", r.api, r.call))
        };
        let is_flag = |name: &str| matches!(field(name).ty, Ty::Bool);
        // (name, required, type) of each shape.
        let typed = |name: &str| self.ts(field(name).ty, depth + 2, &join(path, name), call);
        // An entry's key and the fields it needs.
        let split = |entry: &'static str| -> (&'static str, Vec<&'static str>) {
            let mut parts = entry.split('+');
            (parts.next().unwrap_or(entry), parts.collect())
        };
        let required = |g: &str| -> (String, bool, String) {
            (g.to_string(), true, if is_flag(g) { "true".to_string() } else { typed(g) })
        };
        let shapes: Vec<Vec<(String, bool, String)>> = match r.rule {
            ExactlyOne(group) => group
                .iter()
                .map(|&chosen| {
                    let (key, with) = split(chosen);
                    let mut shape: Vec<_> = group
                        .iter()
                        .map(|&g| split(g).0)
                        .map(|g| match (g == key, is_flag(g)) {
                            (true, _) => required(g),
                            (false, true) => (g.to_string(), false, "false".to_string()),
                            (false, false) => (g.to_string(), false, "undefined".to_string()),
                        })
                        .collect();
                    shape.extend(with.into_iter().map(required));
                    shape
                })
                .collect(),
            AtLeastOne(group) => group
                .iter()
                .map(|&g| {
                    let (key, with) = split(g);
                    std::iter::once(key).chain(with).map(required).collect()
                })
                .collect(),
            Together(group) => vec![
                group.iter().map(|&g| required(g)).collect(),
                group.iter().map(|&g| (g.to_string(), false, "undefined".to_string())).collect(),
            ],
        };
        // No shape of another rule of this object may require what one of these forbids.
        let others = RULES.iter().filter(|o| o.api == r.api && o.call == r.call && o.at == r.at && !std::ptr::eq(*o, r));
        for o in others {
            let (ExactlyOne(group) | AtLeastOne(group) | Together(group)) = o.rule;
            for name in group.iter().flat_map(|e| e.split('+')) {
                let forbidden = shapes.iter().flatten().any(|(n, req, t)| n == name && !req && (t == "undefined" || t == "false"));
                assert!(!forbidden, "RULES: the rules of {} {} contradict on `{name}`: fold one into the other with `+`", r.api, r.call);
            }
        }
        let pad = "  ".repeat(depth + 1);
        let mut s = String::from("(\n");
        for shape in shapes {
            let parts: Vec<String> =
                shape.iter().map(|(n, required, t)| format!("{n}{}: {t}", if *required { "" } else { "?" })).collect();
            let one_line = format!("{{ {} }}", parts.join("; "));
            if one_line.contains('\n') || one_line.len() + pad.len() > 110 {
                let inner = "  ".repeat(depth + 2);
                s.push_str(&format!("{pad}| {{\n"));
                for p in parts {
                    s.push_str(&format!("{inner}{p};\n"));
                }
                s.push_str(&format!("{pad}  }}\n"));
            } else {
                s.push_str(&format!("{pad}| {one_line}\n"));
            }
        }
        s.push_str(&"  ".repeat(depth));
        s.push(')');
        s
    }
}

/// The object-valued fields a rule of `call` names: declared under their own name
/// (`CreateTicketCustomer`, `SendMessageAttachment`) so a rule's shapes can name them instead
/// of repeating them.
fn hoisted(api: &str, call: &Call, input: &'static Ty) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for r in RULES.iter().filter(|r| r.api == api && r.call == call.name) {
        let names: Vec<&str> = match r.rule {
            ExactlyOne(g) | AtLeastOne(g) | Together(g) => g.iter().flat_map(|e| e.split('+')).collect(),
        };
        for name in names {
            let path = join(r.at, name);
            let (path, suffix) = match find(input, &path) {
                Some(Ty::Obj(_)) => (path, name.to_string()),
                Some(Ty::Arr { item: Ty::Obj(_), .. }) => (format!("{path}[]"), name.trim_end_matches('s').to_string()),
                _ => continue,
            };
            if !out.iter().any(|(p, _)| *p == path) {
                out.push((path, pascal(call.name) + &pascal(&suffix)));
            }
        }
    }
    // Inner parts first: an outer part's declaration names them.
    out.sort_by_key(|(p, _)| std::cmp::Reverse(p.matches(['.', '[']).count()));
    out
}

/// The part of `ty` at `path` (`customer.attributes[]`).
fn find(ty: &'static Ty, path: &str) -> Option<&'static Ty> {
    if path.is_empty() {
        return Some(ty);
    }
    let (head, rest) = match path.find(['.', '[']) {
        Some(0) => {
            let rest = path.strip_prefix("[]")?;
            return match ty {
                Ty::Arr { item, .. } => find(item, rest.strip_prefix('.').unwrap_or(rest)),
                _ => None,
            };
        }
        Some(i) => (&path[..i], path[i..].strip_prefix('.').unwrap_or(&path[i..])),
        None => (path, ""),
    };
    match ty {
        Ty::Obj(o) => o.fields.iter().chain(o.more.iter()).find(|f| f.name == head).and_then(|f| find(f.ty, rest)),
        _ => None,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.into()
    } else {
        format!("{path}.{key}")
    }
}

/// What fields mean, where the name alone doesn't say (`call.field` first, then `field`). The
/// call descriptions hold shapes and rules only; this is the API reference's wording.
const FIELD_DOCS: &[(&str, &str)] = &[
    ("identify.plaformUserId", "The user's id on a platform, spelled without the t as the API spells it."),
    ("identify.mavaCustomerId", "An existing customer; empty or omitted creates one (its id is in the result)."),
    ("createTicket.customerId", "An existing customer."),
    ("createTicket.customer", "Find (by email, else walletAddress) or create the customer."),
    ("createTicket.assignedTo", "An agent's `id` from `getAgents`."),
    ("createTicket.silent", "Suppress notifications and automations (forces `notify` and `triggerAutomations` off)."),
    ("createTicket.notify", "Notify the assigned agent in the app (default true)."),
    ("createTicket.triggerAutomations", "Run automations with the first message (default true)."),
    ("createTicket.message", "The customer's first message."),
    ("updateTicket.assignedTo", "An agent's `id` from `getAgents`; `null` unassigns."),
    ("fetchTickets.endDate", "Exclusive; after `startDate` and at most a year later."),
    ("fetchTickets.assignedTo", "Agent ids, or `\"Unassigned\"`."),
    ("fetchTickets.includeMessages", "Add each ticket's messages, oldest first."),
    ("time_shift", "Send after this many seconds."),
    ("send_time", "Send at this date-time."),
    ("resume_bot", "Un-pause the bot for this client."),
    ("value_client_id", "The name of the input field that holds the client id (universal webhook)."),
    ("value_phone", "The name of the input field that holds the phone."),
    ("value_email", "The name of the input field that holds the e-mail."),
    ("value_user_id", "The name of the input field that holds the messenger user id."),
    ("value_group_id", "The name of the input field that holds the group (bot) id."),
    ("value_message", "The name of the input field that holds the text."),
    ("delimiter", "Separates the keys of a path in `delimiter_value_*` (ids read from nested JSON)."),
    ("delimiter_value_client_id", "The key path, joined by `delimiter`, of the client id in nested JSON."),
    ("delimiter_value_phone", "The key path, joined by `delimiter`, of the phone in nested JSON."),
    ("message_id", "A block of the bot's scheme to send."),
    ("broadcast.allClients", "Send to every client of the project: the explicit opt-in for a broadcast without recipients."),
    ("broadcast.list", "A client list's id."),
    ("broadcast.group_id", "The bot; required with `platform_ids`."),
    ("broadcast.shift", "Seconds between two messages (default 0.2)."),
    ("search_in", "`\"order\"` searches deal variables instead of client variables."),
    ("findClients.q", "Conditions: `{ name: value }`, or `{ name: { _in: [...] } }`, `_not_in`, `_not`."),
    ("findClients.include_all", "`true`: every condition must match; `false`: any one."),
    ("getOrders.order_status", "0 active, 1 won, 2 lost."),
    ("getClients.reverse", "Oldest first; only without `list`."),
    ("saveVariables.variables", "Names without a prefix are deal variables; `client.` names are client variables."),
];

/// What a field's description says beyond its type.
fn field_notes(f: &Field, call: Option<(&str, &str)>, path: &str) -> Vec<String> {
    let qualified = call.map(|(_, name)| format!("{name}.{path}")).unwrap_or_default();
    let meaning = FIELD_DOCS.iter().find(|(k, _)| *k == qualified).or_else(|| FIELD_DOCS.iter().find(|(k, _)| *k == f.name));
    let mut notes: Vec<String> = meaning.map(|(_, d)| d.to_string()).into_iter().collect();
    notes.extend(notes_of(f.ty));
    if f.flags & LOCAL != 0 {
        notes.push("An SDK-side switch, never sent.".into());
    }
    if f.flags & QUERY != 0 {
        notes.push("Sent in the query string.".into());
    }
    if let Some(code) = f.code {
        notes.push(format!("Problems with it are reported as `{code}`."));
    }
    notes
}

fn notes_of(ty: &Ty) -> Vec<String> {
    match ty {
        Ty::Str { fmt, max, nonempty } => {
            let mut n: Vec<String> = fmt_note(*fmt).into_iter().map(String::from).collect();
            if *nonempty && *fmt == Fmt::Any {
                n.push("Not empty.".into());
            }
            if *max > 0 {
                n.push(format!("At most {max} characters."));
            }
            n
        }
        Ty::Int { min, max } if *max == i32::MAX => vec![format!("An integer, at least {min}.")],
        Ty::Int { min, max } => vec![format!("An integer from {min} to {max}.")],
        Ty::Num { nonneg: true } => vec!["At least 0.".into()],
        Ty::Id => vec![],
        Ty::Arr { item, max, nonempty } => {
            let mut n = match (*nonempty, *max) {
                (true, 0) => vec!["At least one item.".to_string()],
                (true, m) => vec![format!("1 to {m} items.")],
                (false, 0) => vec![],
                (false, m) => vec![format!("At most {m} items.")],
            };
            let each = notes_of(item);
            if !each.is_empty() && !matches!(item, Ty::Obj(_)) {
                let each = each.join(" ");
                let mut chars = each.chars();
                let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
                n.push(format!("Each item: {first}{}", chars.as_str()));
            }
            n
        }
        Ty::OneOrMany(inner) => {
            let mut n = vec!["One value or a non-empty array of them (sent as repeated query keys).".to_string()];
            n.extend(notes_of(inner));
            n
        }
        Ty::Nullable(inner) => notes_of(inner),
        _ => vec![],
    }
}

fn fmt_note(fmt: Fmt) -> Option<&'static str> {
    match fmt {
        Fmt::Any => None,
        Fmt::ObjectId => Some("A Mava id (24 hexadecimal characters)."),
        Fmt::Email => Some("An e-mail address."),
        Fmt::Wallet => Some("An EVM wallet address (`0x` and 40 hexadecimal characters)."),
        Fmt::HttpsUrl => Some("An `https://` URL without `.` or `..` path segments."),
        Fmt::Url => Some("An absolute `http://` or `https://` URL without `.` or `..` path segments."),
        Fmt::Iso8601 => Some("An ISO 8601 date or date-time with zone; a `Date` is sent as its ISO text."),
        Fmt::DateDmy => Some("A date written `dd.mm.yyyy`."),
        Fmt::LocalDateTime => Some("A date-time written `YYYY-MM-DD HH:MM:SS`."),
        Fmt::NoQuotes => Some("Text without double quotes."),
        Fmt::Name => Some("1–64 letters, digits or underscores."),
    }
}
