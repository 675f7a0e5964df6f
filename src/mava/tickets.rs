//! Tickets: `POST /api/ticket` creates one (A.6), `PUT /api/ticket` updates one (A.5).

use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

pub const STATUSES: &[&str] = &["Open", "Pending", "Resolved", "Waiting"];
pub const PRIORITY: Ty = Ty::IntEnum(&[1, 2, 3]);

/// `{ attribute: <attribute id>, content }`, on tickets and on customers.
const ATTRIBUTE: Ty = Ty::Obj(&Object {
    fields: &[Field::new("attribute", &OBJECT_ID, REQ), Field::new("content", &STR, REQ)],
    open: false,
        more: &[],
});
const ATTRIBUTES: Ty = Ty::Arr { item: &ATTRIBUTE, max: 30, nonempty: false };

const ATTACHMENT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::coded("url", &Ty::Str { fmt: Fmt::HttpsUrl, max: 0, nonempty: true }, REQ, code::INVALID_ATTACHMENT_URL),
        Field::new("fileName", &TEXT, REQ),
        Field::new("fileSize", &Ty::Int { min: 0, max: i32::MAX }, 0),
        Field::new("type", &Ty::Enum(&["Image", "Video", "Audio", "Voice", "Animation", "File"]), 0),
    ],
    open: false,
        more: &[],
});

const CUSTOMER: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("name", &STR, 0),
        Field::new("email", &EMAIL, 0),
        Field::new("walletAddress", &Ty::Str { fmt: Fmt::Wallet, max: 0, nonempty: true }, 0),
        Field::new("attributes", &ATTRIBUTES, 0),
    ],
    open: false,
        more: &[],
});

const FIRST_MESSAGE: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("content", &Ty::Str { fmt: Fmt::Any, max: 10_000, nonempty: true }, REQ),
        Field::new("attachments", &Ty::Arr { item: &ATTACHMENT, max: 10, nonempty: false }, 0),
    ],
    open: false,
        more: &[],
});

pub const CREATE_TICKET: Call = Call {
    name: "createTicket",
    path: "/api/ticket",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("customerId", &OBJECT_ID, 0),
            Field::new("customer", &CUSTOMER, 0),
            Field::new("status", &Ty::Enum(STATUSES), 0),
            Field::new("priority", &PRIORITY, 0),
            Field::new("sourceType", &Ty::Enum(&["web", "discord", "telegram", "twitter", "email"]), 0),
            Field::new("assignedTo", &OBJECT_ID, 0),
            Field::new("category", &OBJECT_ID, 0),
            Field::new("tags", &Ty::Arr { item: &OBJECT_ID, max: 20, nonempty: false }, 0),
            Field::new("emailSubjectLine", &Ty::Str { fmt: Fmt::Any, max: 998, nonempty: false }, 0),
            Field::new("attributes", &ATTRIBUTES, 0),
            Field::new("message", &FIRST_MESSAGE, 0),
            Field::new("silent", &Ty::Bool, 0),
            Field::new("notify", &Ty::Bool, 0),
            Field::new("triggerAutomations", &Ty::Bool, 0),
        ],
        open: false,
        more: &[],
    })),
    check: Some(check_create),
    // A 500 rolls the whole request back (docs), so it may be retried; a timeout may not.
    repeat: Repeat::CreatesAtomically,
};

/// Exactly one of `customerId` / `customer`, and a customer needs `email` or `walletAddress`.
fn check_create(input: &Value, issues: &mut Issues) {
    match (input.has("customerId"), input.get("customer")) {
        (true, Some(Value::Null) | None) => {}
        (true, Some(_)) => issues.push("", code::INVALID_CUSTOMER_MODE, "must give either customerId or customer, not both"),
        (false, None | Some(Value::Null)) => issues.push("", code::INVALID_CUSTOMER_MODE, "must give customerId or customer"),
        (false, Some(c @ Value::Obj(_))) => {
            if !c.has("email") && !c.has("walletAddress") {
                issues.push("customer", code::INVALID_CUSTOMER_MODE, "must have an email or a walletAddress");
            }
        }
        (false, Some(_)) => {}
    }
}

pub const UPDATE_TICKET: Call = Call {
    name: "updateTicket",
    path: "/api/ticket",
    method: Method::Put,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("ticketId", &OBJECT_ID, REQ),
            Field::new("status", &Ty::Enum(STATUSES), 0),
            Field::new("priority", &PRIORITY, 0),
            Field::new("categoryId", &OBJECT_ID, 0),
            // `null` unassigns; omitted leaves the assignee as it is (docs D5).
            Field::new("assignedTo", &Ty::Nullable(&OBJECT_ID), 0),
        ],
        open: false,
        more: &[],
    })),
    check: Some(check_update),
    repeat: Repeat::Safe,
};

/// An update that changes nothing is almost always a mistake (a misspelt field, say).
fn check_update(input: &Value, issues: &mut Issues) {
    let changes = ["status", "priority", "categoryId", "assignedTo"];
    if !changes.iter().any(|k| input.get(k).is_some()) {
        issues.push("", code::REQUIRED, "must change at least one of status, priority, categoryId, assignedTo");
    }
}
