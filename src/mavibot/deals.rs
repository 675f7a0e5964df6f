//! Deals (orders) in SalebotCRM (api-reference B.7). Failures come back in HTTP 200 bodies
//! (`{"status":"client_not_found"}`); the client turns them into `ApiError`s.

use super::shared::*;
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const CLIENT: Field = Field::new("client_id", &ID, REQ);
const ORDER: Field = Field::new("order_id", &ID, REQ);

pub const GET_CURRENT_ORDER_ID: Call = Call {
    name: "getCurrentOrderId",
    path: "get_current_order_id",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object { fields: &[CLIENT], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const GET_ORDERS: Call = Call {
    name: "getOrders",
    path: "get_orders",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object {
        fields: &[CLIENT, Field::new("order_status", &Ty::IntEnum(&[0, 1, 2]), 0)],
        more: &[],
        open: false,
    })),
    check: None,
    repeat: Repeat::Safe,
};

pub const MOVE_ORDER_TO_NEXT_STATE: Call = Call {
    name: "moveOrderToNextState",
    path: "move_order_to_next_state",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object { fields: &[CLIENT, ORDER], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const GET_ORDER_VARS: Call = Call {
    name: "getOrderVars",
    path: "get_order_vars",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[CLIENT, ORDER, Field::new("variables", &Ty::Arr { item: &TEXT, max: 0, nonempty: true }, REQ)],
        more: &[],
        open: false,
    })),
    check: None,
    repeat: Repeat::Safe,
};

pub const SET_ORDER_VARS: Call = Call {
    name: "setOrderVars",
    path: "set_order_vars",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object { fields: &[CLIENT, ORDER, Field::new("variables", &VARIABLES, REQ)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const CREATE_ORDER: Call = Call {
    name: "createOrder",
    path: "create_order",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            Field::new("client_id", &ID, 0),
            Field::new("phone", &TEXT, 0),
            Field::new("email", &EMAIL, 0),
            Field::new("name", &STR, 0),
            Field::new("description", &STR, 0),
            Field::new("budget", &NONNEG, 0),
            Field::new("state_id", &ID, 0),
        ],
        more: &[],
        open: false,
    })),
    check: Some(check_order_client),
    repeat: Repeat::Creates,
};

/// One of `client_id`, `phone`, `email` (the service uses them in that order of priority; an
/// unknown phone or e-mail creates a client).
fn check_order_client(input: &Value, issues: &mut Issues) {
    if !["client_id", "phone", "email"].iter().any(|k| input.has(k)) {
        issues.push("", code::MISSING_CLIENT, "must name the client: client_id, phone or email");
    }
}

pub const SET_ORDER_STATE: Call = Call {
    name: "setOrderState",
    path: "set_order_state",
    method: Method::Post,
    input: Some(&Ty::Obj(&Object { fields: &[CLIENT, Field::new("state_id", &ID, REQ)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};

pub const GET_ORDER_STATE: Call = Call {
    name: "getOrderState",
    path: "get_order_state",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object { fields: &[CLIENT, Field::new("order_id", &ID, 0)], more: &[], open: false })),
    check: None,
    repeat: Repeat::Safe,
};
