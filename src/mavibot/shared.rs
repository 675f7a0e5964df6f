//! Parameters and rules many Mavibot actions share (api-reference B.0.1, B.3, B.8): delayed
//! sending, the `value_*` / `delimiter*` mappings, attachments, buttons, client references.


use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const TIME_SHIFT: Field = Field::new("time_shift", &NONNEG, 0);
const SEND_TIME: Field = Field::new("send_time", &Ty::Str { fmt: Fmt::LocalDateTime, max: 0, nonempty: true }, 0);
const RESUME_BOT: Field = Field::new("resume_bot", &Ty::Bool, 0);
const MAP: Ty = Ty::Str { fmt: Fmt::Any, max: 0, nonempty: true };
const VALUE_CLIENT_ID: Field = Field::new("value_client_id", &MAP, QUERY);
const VALUE_PHONE: Field = Field::new("value_phone", &MAP, QUERY);
const VALUE_EMAIL: Field = Field::new("value_email", &MAP, QUERY);
const VALUE_USER_ID: Field = Field::new("value_user_id", &MAP, QUERY);
const VALUE_GROUP_ID: Field = Field::new("value_group_id", &MAP, QUERY);
const VALUE_MESSAGE: Field = Field::new("value_message", &MAP, QUERY);
const DELIMITER: Field = Field::new("delimiter", &MAP, QUERY);
const DELIMITER_CLIENT_ID: Field = Field::new("delimiter_value_client_id", &MAP, QUERY);
const DELIMITER_PHONE: Field = Field::new("delimiter_value_phone", &MAP, QUERY);

/// Delayed sending: `time_shift` seconds from now, or at `send_time`.
pub const SCHEDULE: &[Field] = &[TIME_SHIFT, SEND_TIME];
/// Callbacks without the universal-webhook mapping (`tg_callback`, `max_callback`, `email_callback`).
pub const CALLBACK_PARAMS: &[Field] = &[TIME_SHIFT, SEND_TIME, RESUME_BOT, DELIMITER, DELIMITER_CLIENT_ID, DELIMITER_PHONE];
/// Universal-webhook callbacks: also `value_*` naming the incoming keys (sent in the query).
pub const MAPPED_CALLBACK_PARAMS: &[Field] = &[
    TIME_SHIFT, SEND_TIME, RESUME_BOT, VALUE_CLIENT_ID, VALUE_PHONE, VALUE_EMAIL, VALUE_USER_ID, VALUE_GROUP_ID, VALUE_MESSAGE,
    DELIMITER, DELIMITER_CLIENT_ID, DELIMITER_PHONE,
];
/// `message` and `whatsapp_message`: scheduling and the mappings, no `resume_bot`.
pub const MAPPED_MESSAGE_PARAMS: &[Field] = &[
    TIME_SHIFT, SEND_TIME, VALUE_CLIENT_ID, VALUE_PHONE, VALUE_EMAIL, VALUE_USER_ID, VALUE_GROUP_ID, VALUE_MESSAGE,
    DELIMITER, DELIMITER_CLIENT_ID, DELIMITER_PHONE,
];
/// `broadcast`: scheduling and the delimiter mapping.
pub const BROADCAST_PARAMS: &[Field] = &[TIME_SHIFT, SEND_TIME, DELIMITER, DELIMITER_CLIENT_ID, DELIMITER_PHONE];
/// `save_variables`: the delimiter mapping.
pub const DELIMITERS: &[Field] = &[DELIMITER, DELIMITER_CLIENT_ID, DELIMITER_PHONE];

pub const ID: Ty = Ty::Id;
pub const IDS: Ty = Ty::Arr { item: &Ty::Id, max: 0, nonempty: true };
pub const ATTACHMENT_TYPE: Ty = Ty::Enum(&["image", "video", "link", "file", "audio"]);
pub const URL: Ty = Ty::Str { fmt: Fmt::Url, max: 0, nonempty: true };
/// The documented `client_type` values (B.8.1).
pub const CLIENT_TYPE: Ty = Ty::IntEnum(&[0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 16, 19, 20, 21, 22]);
/// Deal/client variable values: any JSON value.
pub const VARIABLES: Ty = Ty::Map(&Ty::Any);

const BUTTON: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("text", &Ty::Str { fmt: Fmt::NoQuotes, max: 0, nonempty: true }, REQ),
        Field::new("type", &Ty::Enum(&["reply", "inline", "location", "phone", "web_app"]), 0),
        Field::new("url", &URL, 0),
        Field::new("color", &STR, 0),
        Field::new("line", &Ty::Int { min: 0, max: i32::MAX }, 0),
        Field::new("index_in_line", &Ty::Int { min: 0, max: i32::MAX }, 0),
        Field::new("one_time", &Ty::IntEnum(&[0, 1]), 0),
        Field::new("web_app", &URL, 0),
    ],
    more: &[],
    open: false,
});
const BUTTON_LIST: Ty = Ty::Arr { item: &BUTTON, max: 0, nonempty: true };
/// Either an array of buttons or `{ hint, buttons }` for messengers without buttons (B.8.2).
pub const BUTTONS: Ty = Ty::Either(
    &BUTTON_LIST,
    &Ty::Obj(&Object { fields: &[Field::new("hint", &STR, 0), Field::new("buttons", &BUTTON_LIST, REQ)], more: &[], open: false }),
);

/// True when `key` is present (not null) or the input names another key for it through
/// `value_<key>`, and that key is present.
pub fn given_or_mapped(input: &Value, key: &str, mapping: &str, issues: &mut Issues) -> bool {
    if input.has(key) {
        return true;
    }
    match input.get(mapping).and_then(Value::as_str) {
        Some(other) => {
            if !input.has(other) {
                let mut text = String::from("is named by ");
                text.push_str(mapping);
                text.push_str(" but missing from the input");
                issues.push(other, code::REQUIRED, &text);
            }
            true
        }
        None => false,
    }
}

/// A required field of a mapped action: present, or named through `value_<field>`.
pub fn require_mapped(input: &Value, key: &'static str, mapping: &str, issues: &mut Issues) {
    if !given_or_mapped(input, key, mapping, issues) {
        let mut text = String::from("is required (or name the key that holds it with ");
        text.push_str(mapping);
        text.push(')');
        issues.push(key, code::REQUIRED, &text);
    }
}

/// `attachment_type` goes with `attachment_url`; buttons of one message are all inline or
/// all keyboard (`reply`) buttons; a `web_app` button carries its URL.
pub fn check_content_parts(input: &Value, issues: &mut Issues) {
    match (input.has("attachment_url"), input.has("attachment_type")) {
        (true, false) => issues.push("attachment_type", code::REQUIRED, "is required with attachment_url"),
        (false, true) => issues.push("attachment_url", code::REQUIRED, "is required with attachment_type"),
        _ => {}
    }
    let (path, list): (&str, &[Value]) = match input.get("buttons") {
        Some(Value::Arr(list)) => ("buttons", list),
        Some(b) => match b.get("buttons") {
            Some(Value::Arr(list)) => ("buttons.buttons", list),
            _ => return,
        },
        None => return,
    };
    let kind = |b: &Value| b.get("type").and_then(Value::as_str).unwrap_or("reply").to_string();
    let inline = list.iter().any(|b| kind(b) == "inline");
    let reply = list.iter().any(|b| kind(b) == "reply");
    if inline && reply {
        issues.push(path, code::CONFLICTING_FIELDS, "must not mix inline and reply buttons in one message");
    }
    for (i, b) in list.iter().enumerate() {
        if kind(b) == "web_app" && !b.has("web_app") {
            issues.push(&crate::core::issue::join(&crate::core::issue::index(path, i), "web_app"), code::REQUIRED, "is required for a web_app button");
        }
    }
}

/// Text, an attachment or a bot block: a message needs one of them.
pub fn check_has_content(input: &Value, text_mapping: bool, issues: &mut Issues) {
    let text = input.get("message").and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty())
        || (text_mapping && input.has("value_message"));
    if !text && !input.has("attachment_url") && !input.has("message_id") {
        issues.push("", code::CONTENT_REQUIRED, "must have message, attachment_url or message_id");
    }
    check_content_parts(input, issues);
}
