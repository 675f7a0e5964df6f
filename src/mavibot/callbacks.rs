//! Starting the bot: the callback family (api-reference B.2). A callback is a system message
//! the client doesn't see; extra fields are stored by the service as variables, so these
//! inputs are open. The universal-webhook callbacks also accept `value_*` mappings.

use super::shared::*;
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

pub const CALLBACK: Call = Call {
    name: "callback",
    path: "callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("client_id", &ID, 0),
            Field::new("client_phone", &TEXT, 0),
            Field::new("client_email", &EMAIL, 0),
            Field::new("message", &TEXT, 0),
        ],
        more: MAPPED_CALLBACK_PARAMS,
        open: true,
    })),
    check: Some(check_callback),
    repeat: Repeat::Creates,
};

/// One client reference (or a mapping to one) and the callback text.
fn check_callback(input: &Value, issues: &mut Issues) {
    let named = ["client_id", "client_phone", "client_email"].iter().any(|k| input.has(k))
        | given_or_mapped(input, "client_id", "value_client_id", issues)
        | given_or_mapped(input, "client_phone", "value_phone", issues)
        | given_or_mapped(input, "client_email", "value_email", issues)
        | input.has("delimiter_value_client_id")
        | input.has("delimiter_value_phone");
    if !named {
        issues.push("", code::MISSING_CLIENT, "must name the client: client_id, client_phone or client_email (or map one with value_* or delimiter_value_*)");
    }
    require_mapped(input, "message", "value_message", issues);
}

pub const VK_CALLBACK: Call = Call {
    name: "vkCallback",
    path: "vk_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[Field::new("user_id", &ID, 0), Field::new("group_id", &ID, 0), Field::new("message", &TEXT, 0)],
        more: MAPPED_CALLBACK_PARAMS,
        open: true,
    })),
    check: Some(check_user_group_message),
    repeat: Repeat::Creates,
};

pub const OK_CALLBACK: Call = Call {
    name: "okCallback",
    path: "ok_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("user_id", &ID, 0),
            Field::new("group_id", &ID, 0),
            Field::new("name", &STR, 0),
            Field::new("message", &TEXT, 0),
        ],
        more: MAPPED_CALLBACK_PARAMS,
        open: true,
    })),
    check: Some(check_user_group_message),
    repeat: Repeat::Creates,
};

fn check_user_group_message(input: &Value, issues: &mut Issues) {
    require_mapped(input, "user_id", "value_user_id", issues);
    require_mapped(input, "group_id", "value_group_id", issues);
    require_mapped(input, "message", "value_message", issues);
}

pub const WHATSAPP_CALLBACK: Call = Call {
    name: "whatsappCallback",
    path: "whatsapp_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("phone", &TEXT, 0),
            Field::new("name", &STR, 0),
            Field::new("message", &TEXT, 0),
            Field::new("bot_id", &ID, 0),
        ],
        more: MAPPED_CALLBACK_PARAMS,
        open: true,
    })),
    check: Some(check_phone),
    repeat: Repeat::Creates,
};

fn check_phone(input: &Value, issues: &mut Issues) {
    if !input.has("delimiter_value_phone") {
        require_mapped(input, "phone", "value_phone", issues);
    }
}

pub const TG_CALLBACK: Call = Call {
    name: "tgCallback",
    path: "tg_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[Field::new("message", &TEXT, REQ), Field::new("user_id", &ID, REQ), Field::new("group_id", &TEXT, REQ)],
        more: CALLBACK_PARAMS,
        open: true,
    })),
    check: Some(check_telegram_bot),
    repeat: Repeat::Creates,
};

/// A Telegram `group_id` is the bot's username, which always ends in `bot`.
fn check_telegram_bot(input: &Value, issues: &mut Issues) {
    if let Some(g) = input.get("group_id").and_then(Value::as_str) {
        if !g.is_empty() && !g.to_ascii_lowercase().ends_with("bot") {
            issues.push("group_id", code::INVALID_NAME, "must be the bot's username, ending in bot");
        }
    }
}

pub const MAX_CALLBACK: Call = Call {
    name: "maxCallback",
    path: "max_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[Field::new("message", &TEXT, REQ), Field::new("platform_id", &ID, REQ), Field::new("group_id", &ID, REQ)],
        more: CALLBACK_PARAMS,
        open: true,
    })),
    check: None,
    repeat: Repeat::Creates,
};

pub const SEND_CALLBACK_BY_PLATFORM_ID: Call = Call {
    name: "sendCallbackByPlatformId",
    path: "send_callback_by_platform_id",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("platform_ids", &Ty::Arr { item: &Ty::Id, max: 300, nonempty: true }, REQ),
            Field::new("callback_text", &TEXT, REQ),
            Field::new("group_id", &ID, 0),
        ],
        more: SCHEDULE,
        open: false,
    })),
    check: None,
    repeat: Repeat::Creates,
};

pub const EMAIL_CALLBACK: Call = Call {
    name: "emailCallback",
    path: "email_callback",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("email", &EMAIL, REQ),
            Field::new("name", &STR, 0),
            Field::new("message", &TEXT, REQ),
            Field::new("email_id_bot", &EMAIL, 0),
        ],
        more: CALLBACK_PARAMS,
        open: true,
    })),
    check: None,
    repeat: Repeat::Creates,
};
