//! `POST /api/identify`: create or update a customer and its custom attributes (api-reference A.2).

use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const ATTRIBUTE: Ty = Ty::Obj(&Object {
    fields: &[Field::new("label", &TEXT, REQ), Field::new("value", &STR, REQ)],
    open: false,
        more: &[],
});

/// `emailAddress` and `mavaCustomerId` may be empty strings, as the docs' own example sends
/// them: an empty `mavaCustomerId` asks Mava to create a customer.
pub const IDENTIFY: Call = Call {
    name: "identify",
    path: "/api/identify",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("emailAddress", &Ty::Str { fmt: Fmt::Email, max: 0, nonempty: false }, 0),
            // Spelled without the "t", as in the published schema (api-reference A.12.5).
            Field::new("plaformUserId", &STR, 0),
            Field::new("mavaCustomerId", &Ty::Str { fmt: Fmt::ObjectId, max: 0, nonempty: false }, 0),
            Field::new("customAttributes", &Ty::Arr { item: &ATTRIBUTE, max: 0, nonempty: false }, 0),
        ],
        open: false,
        more: &[],
    })),
    check: Some(check_identify),
    // Without `mavaCustomerId` this creates a customer: a repeat could create two.
    repeat: Repeat::Creates,
};

fn check_identify(input: &Value, issues: &mut Issues) {
    if input.get("platformUserId").is_some() {
        // Replace the generic unknown-field issue with one that says what to do.
        issues.list.retain(|i| i.path != "platformUserId");
        issues.push("platformUserId", code::UNKNOWN_FIELD, "is spelled plaformUserId by the Mava API; use that name");
    }
}
