//! Finding a `client_id` (api-reference B.6): by platform id, site chat, phone, e-mail or
//! variables, and `find_clients` with query operators.


use super::shared::*;
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const fn get(name: &'static str, path: &'static str, input: Shape) -> Call {
    Call { name, path, method: Method::Get, input: Some(input), check: None, repeat: Repeat::Safe }
}

pub const FIND_CLIENT_ID_BY_PLATFORM_ID: Call = Call {
    name: "findClientIdByPlatformId",
    path: "find_client_id_by_platform_id",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object { fields: &[Field::new("platform_ids", &IDS, REQ), Field::new("group_id", &ID, 0)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const ONLINE_CHAT_CLIENT_ID: Call = get(
    "onlineChatClientId",
    "online_chat_client_id",
    &Ty::Obj(&Object { fields: &[Field::new("recipient", &TEXT, REQ), Field::new("tag", &STR, 0), Field::new("name", &STR, 0)], more: &[], open: false }),
);

/// Answers HTTP 404 when no client has the phone; the SDK reports it as `CLIENT_NOT_FOUND`.
pub const WHATSAPP_CLIENT_ID: Call = get(
    "whatsappClientId",
    "whatsapp_client_id",
    &Ty::Obj(&Object { fields: &[Field::new("phone", &TEXT, REQ), Field::new("group_id", &ID, 0)], more: &[], open: false }),
);

pub const FIND_CLIENT_ID_BY_PHONE: Call =
    get("findClientIdByPhone", "find_client_id_by_phone", &Ty::Obj(&Object { fields: &[Field::new("phone", &TEXT, REQ)], more: &[], open: false }));

pub const FIND_CLIENT_ID_BY_EMAIL: Call =
    get("findClientIdByEmail", "find_client_id_by_email", &Ty::Obj(&Object { fields: &[Field::new("email", &EMAIL, REQ)], more: &[], open: false }));

const VAL: Ty = Ty::Either(&STR, &NUM);
const BY_VAR: Ty = Ty::Obj(&Object { fields: &[Field::new("var", &TEXT, REQ), Field::new("val", &VAL, REQ)], more: &[], open: false });
const BY_VAR_SHAPE: Shape = &BY_VAR;
const SEARCH_IN: Ty = Ty::Enum(&["order"]);

pub const FIND_CLIENT_ID_BY_VAR: Call = get(
    "findClientIdByVar",
    "find_client_id_by_var",
    &Ty::Obj(&Object {
        fields: &[Field::new("var", &TEXT, REQ), Field::new("val", &VAL, REQ), Field::new("group_id", &ID, 0), Field::new("search_in", &SEARCH_IN, 0)],
        more: &[],
        open: false,
    }),
);

pub const FIND_LATEST_CLIENT_ID_BY_VAR: Call = get("findLatestClientIdByVar", "find_latest_client_id_by_var", BY_VAR_SHAPE);

pub const FIND_ALL_CLIENT_ID_BY_VAR: Call = get("findAllClientIdByVar", "find_all_client_id_by_var", BY_VAR_SHAPE);

/// Any `name=value` pairs; every pair must match.
pub const FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS: Call = Call {
    name: "findAllClientIdBySeveralVars",
    path: "find_all_client_id_by_several_vars",
    method: Method::Get,
    input: Some(&Ty::Map(&VAL)),
    check: Some(check_pairs),
    repeat: Repeat::Safe,
};

fn check_pairs(input: &Value, issues: &mut Issues) {
    if matches!(input, Value::Obj(pairs) if pairs.is_empty()) {
        issues.push("", code::REQUIRED, "must give at least one variable name and value");
    }
}

pub const FIND_CLIENTS: Call = Call {
    name: "findClients",
    path: "find_clients",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("q", &Ty::Map(&Ty::Any), REQ),
            Field::new("search_in", &SEARCH_IN, 0),
            Field::new("include_all", &Ty::Bool, 0),
        ],
        more: &[],
        open: false,
    })),
    check: Some(check_query),
    repeat: Repeat::Safe,
};

/// `q` holds at least one condition; an operator object uses only `_in`, `_not_in`, `_not`,
/// and `_in` / `_not_in` take arrays.
fn check_query(input: &Value, issues: &mut Issues) {
    let Some(Value::Obj(conditions)) = input.get("q") else { return };
    if conditions.is_empty() {
        issues.push("q", code::REQUIRED, "must hold at least one condition");
    }
    for (name, cond) in conditions {
        let Value::Obj(ops) = cond else { continue };
        for (op, arg) in ops {
            let path = crate::core::issue::join(&crate::core::issue::join("q", name), op);
            match op.as_str() {
                "_in" | "_not_in" if !matches!(arg, Value::Arr(_)) => issues.push(&path, code::INVALID_TYPE, "must be an array"),
                "_in" | "_not_in" | "_not" => {}
                _ => issues.push(&path, code::INVALID_ENUM, "must be one of the operators _in, _not_in, _not"),
            }
        }
    }
}
