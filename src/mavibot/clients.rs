//! Client records (api-reference B.4): assigning an operator, importing, lists, paging
//! through clients and deleting them.

use super::shared::*;
use crate::core::issue::{code, index, join, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

pub const ASSIGN_TO_USER: Call = Call {
    name: "assignToUser",
    path: "assign_to_user",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object { fields: &[Field::new("client_id", &ID, REQ), Field::new("email", &EMAIL, 0)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

const LOADED_CLIENT: Ty = Ty::Obj(&Object {
    fields: &[
        Field::new("platform_id", &ID, REQ),
        // `""` for telephony clients.
        Field::new("group_id", &Ty::Either(&STR, &Ty::Int { min: 0, max: i32::MAX }), REQ),
        Field::new("client_type", &CLIENT_TYPE, REQ),
    ],
    more: &[],
    open: false,
});

/// The body is the array itself (api-reference B.4.2; B.11.6 notes a wrapper that wraps it).
pub const LOAD_CLIENTS: Call = Call {
    name: "loadClients",
    path: "load_clients",
    method: Method::Post,
    input: Some(&Ty::Arr { item: &LOADED_CLIENT, max: 0, nonempty: true }),
    check: Some(check_loaded),
    repeat: Repeat::Creates,
};

/// Telephony clients (`client_type` 13) have no bot: their `group_id` is `""`.
fn check_loaded(input: &Value, issues: &mut Issues) {
    for (i, c) in input.as_array().unwrap_or_default().iter().enumerate() {
        let telephony = c.get("client_type").and_then(Value::as_f64) == Some(13.0);
        let empty = c.get("group_id").and_then(Value::as_str) == Some("");
        if telephony && !empty {
            issues.push(&join(&index("", i), "group_id"), code::CONFLICTING_FIELDS, "must be \"\" for telephony clients (client_type 13)");
        }
    }
}

const LIST_CHANGE: Ty = Ty::Obj(&Object { fields: &[Field::new("list_id", &ID, REQ), Field::new("clients", &IDS, REQ)], more: &[], open: false });

pub const ADD_TO_LIST: Call =
    Call { name: "addToList", path: "add_to_list", method: Method::Post, input: Some(&LIST_CHANGE), check: None, repeat: Repeat::Safe };

pub const REMOVE_FROM_LIST: Call =
    Call { name: "removeFromList", path: "remove_from_list", method: Method::Post, input: Some(&LIST_CHANGE), check: None, repeat: Repeat::Safe };

pub const GET_CLIENTS: Call = Call {
    name: "getClients",
    path: "get_clients",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("offset", &Ty::Int { min: 0, max: i32::MAX }, 0),
            Field::new("limit", &Ty::Int { min: 1, max: 500 }, 0),
            Field::new("list", &ID, 0),
            Field::new("reverse", &Ty::Bool, 0),
        ],
        more: &[],
        open: false,
    })),
    check: Some(check_reverse),
    repeat: Repeat::Safe,
};

/// `reverse` only applies without `list`.
fn check_reverse(input: &Value, issues: &mut Issues) {
    if input.has("list") && matches!(input.get("reverse"), Some(Value::Bool(true))) {
        issues.push("reverse", code::CONFLICTING_FIELDS, "only works without list");
    }
}

pub const DELETE_CLIENTS: Call = Call {
    name: "deleteClients",
    path: "delete_clients",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[Field::new("client_ids", &Ty::Arr { item: &Ty::Id, max: 500, nonempty: true }, REQ)],
        more: &[],
        open: false,
    })),
    check: None,
    repeat: Repeat::Safe,
};
