//! `/api/message`: an external message or an internal note on a ticket (A.7). The method is
//! `PUT` as the endpoint section documents; the docs' examples use `POST`, so the client
//! option `messageMethod` can switch it (api-reference A.12.1).

use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const ATTACHMENT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("fileName", &TEXT, REQ),
        Field::new("url", &Ty::Str { fmt: Fmt::Url, max: 0, nonempty: true }, REQ),
        Field::new("fileType", &TEXT, REQ),
    ],
    open: false,
        more: &[],
});

pub const SEND_MESSAGE: Call = Call {
    name: "sendMessage",
    path: "/api/message",
    method: Method::Put,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("ticketId", &OBJECT_ID, REQ),
            Field::new("content", &STR, 0),
            Field::new("messageType", &Ty::Enum(&["ExternalMessage", "InternalNote"]), 0),
            Field::new("attachments", &Ty::Arr { item: &ATTACHMENT, max: 0, nonempty: false }, 0),
        ],
        open: false,
        more: &[],
    })),
    check: Some(check_content),
    repeat: Repeat::Creates,
};

/// Either non-blank `content` or at least one attachment.
fn check_content(input: &Value, issues: &mut Issues) {
    let has_text = input.get("content").and_then(Value::as_str).is_some_and(|s| !s.trim().is_empty());
    let has_files = input.get("attachments").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    if !has_text && !has_files {
        issues.push("", code::CONTENT_REQUIRED, "must have content or attachments");
    }
}
