//! Messages the client sees (api-reference B.3): `message`, `whatsapp_message`, `broadcast`,
//! and the history reads `get_history` / `clear_history`.

use super::shared::*;
use crate::core::format::is_date_dmy;
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

pub const MESSAGE: Call = Call {
    name: "message",
    path: "message",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("client_id", &ID, 0),
            Field::new("message", &STR, 0),
            Field::new("message_id", &ID, 0),
            Field::new("attachment_type", &ATTACHMENT_TYPE, 0),
            Field::new("attachment_url", &URL, 0),
            Field::new("buttons", &BUTTONS, 0),
        ],
        more: MAPPED_MESSAGE_PARAMS,
        open: true,
    })),
    check: Some(check_message),
    repeat: Repeat::Creates,
};

fn check_message(input: &Value, issues: &mut Issues) {
    if !input.has("delimiter_value_client_id") {
        require_mapped(input, "client_id", "value_client_id", issues);
    }
    check_has_content(input, true, issues);
}

pub const WHATSAPP_MESSAGE: Call = Call {
    name: "whatsappMessage",
    path: "whatsapp_message",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("phone", &TEXT, 0),
            Field::new("message", &STR, 0),
            Field::new("message_id", &ID, 0),
            Field::new("whatsapp_bot_id", &ID, 0),
            Field::new("attachment_type", &ATTACHMENT_TYPE, 0),
            Field::new("attachment_url", &URL, 0),
        ],
        more: MAPPED_MESSAGE_PARAMS,
        open: true,
    })),
    check: Some(check_whatsapp_message),
    repeat: Repeat::Creates,
};

fn check_whatsapp_message(input: &Value, issues: &mut Issues) {
    if !input.has("delimiter_value_phone") {
        require_mapped(input, "phone", "value_phone", issues);
    }
    check_has_content(input, true, issues);
}

pub const BROADCAST: Call = Call {
    name: "broadcast",
    path: "broadcast",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("list", &ID, 0),
            Field::new("clients", &IDS, 0),
            Field::new("platform_ids", &IDS, 0),
            Field::new("group_id", &ID, 0),
            Field::new("message", &STR, 0),
            Field::new("attachment_type", &ATTACHMENT_TYPE, 0),
            Field::new("attachment_url", &URL, 0),
            Field::new("buttons", &BUTTONS, 0),
            Field::new("message_id", &ID, 0),
            Field::new("shift", &NONNEG, 0),
            // The SDK's explicit opt-in to reach every client; never sent.
            Field::new("allClients", &Ty::Bool, LOCAL),
        ],
        more: BROADCAST_PARAMS,
        open: false,
    })),
    check: Some(check_broadcast),
    repeat: Repeat::Creates,
};

/// At most one recipient mode, and none only with `allClients: true`: the Mavibot docs send a
/// broadcast without recipients to every user, the Salebot docs send nothing, so the SDK never
/// lets an omission decide (api-reference B.11.5).
fn check_broadcast(input: &Value, issues: &mut Issues) {
    let modes = ["list", "clients", "platform_ids"].iter().filter(|k| input.has(k)).count();
    let everyone = matches!(input.get("allClients"), Some(Value::Bool(true)));
    match (modes, everyone) {
        (0, false) => issues.push(
            "",
            code::RECIPIENT_REQUIRED,
            "must name recipients with list, clients or platform_ids (or set allClients: true to message every client)",
        ),
        (0, true) => {}
        (_, true) => issues.push("allClients", code::CONFLICTING_FIELDS, "must not be combined with list, clients or platform_ids"),
        (1, false) => {}
        (_, false) => issues.push("", code::CONFLICTING_FIELDS, "must use only one of list, clients and platform_ids"),
    }
    if input.has("platform_ids") && !input.has("group_id") {
        issues.push("group_id", code::REQUIRED, "is required with platform_ids");
    }
    check_has_content(input, false, issues);
}

pub const GET_HISTORY: Call = Call {
    name: "getHistory",
    path: "get_history",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("client_id", &ID, REQ),
            Field::new("limit", &Ty::Int { min: 1, max: 2000 }, 0),
            Field::new("start_date", &Ty::Str { fmt: Fmt::DateDmy, max: 0, nonempty: true }, 0),
            Field::new("stop_date", &Ty::Str { fmt: Fmt::DateDmy, max: 0, nonempty: true }, 0),
        ],
        more: &[],
        open: false,
    })),
    check: Some(check_period),
    repeat: Repeat::Safe,
};

/// `start_date` and `stop_date` come together, in order.
fn check_period(input: &Value, issues: &mut Issues) {
    match (input.has("start_date"), input.has("stop_date")) {
        (true, false) => issues.push("stop_date", code::REQUIRED, "is required with start_date"),
        (false, true) => issues.push("start_date", code::REQUIRED, "is required with stop_date"),
        _ => {}
    }
    let key = |k: &str| {
        input.get(k).and_then(Value::as_str).filter(|s| is_date_dmy(s)).and_then(|s| {
            // dd.mm.yyyy → yyyymmdd for comparison.
            let mut k = String::from(s.get(6..10)?);
            k.push_str(s.get(3..5)?);
            k.push_str(s.get(0..2)?);
            Some(k)
        })
    };
    if let (Some(a), Some(b)) = (key("start_date"), key("stop_date")) {
        if a > b {
            issues.push("stop_date", code::INVALID_DATE, "must not be before start_date");
        }
    }
}

pub const CLEAR_HISTORY: Call = Call {
    name: "clearHistory",
    path: "clear_history",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object { fields: &[Field::new("client_id", &ID, REQ)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};
