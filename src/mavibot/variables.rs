//! Variables (api-reference B.5): without a prefix a name is a deal (order) variable; with
//! `client.` a client variable.

use super::shared::*;
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

pub const SAVE_VARIABLES: Call = Call {
    name: "saveVariables",
    path: "save_variables",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[Field::new("client_id", &ID, 0), Field::new("clients", &IDS, 0), Field::new("variables", &VARIABLES, REQ)],
        more: DELIMITERS,
        open: false,
    })),
    check: Some(check_targets),
    repeat: Repeat::Safe,
};

/// `client_id`, or `clients` for many at once (or a delimiter mapping to the id).
fn check_targets(input: &Value, issues: &mut Issues) {
    if !input.has("client_id") && !input.has("clients") && !input.has("delimiter_value_client_id") {
        issues.push("", code::MISSING_CLIENT, "must name client_id or clients");
    }
    if let Some(Value::Obj(v)) = input.get("variables") {
        if v.is_empty() {
            issues.push("variables", code::REQUIRED, "must set at least one variable");
        }
    }
}

pub const GET_VARIABLES: Call = Call {
    name: "getVariables",
    path: "get_variables",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object { fields: &[Field::new("client_id", &ID, REQ)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};
