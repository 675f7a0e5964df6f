//! The Mava public API (api-reference Part A): one file per endpoint family, each call
//! described once as a [`Call`]; this module lists them and turns an input into a request.


pub mod customers;
pub mod directory;
pub mod fetch_tickets;
pub mod messages;
pub mod tickets;
pub mod webhook;

use crate::core::options::{ClientOptions, Defaults, MAVA_RATE_LIMIT};
use crate::core::request::{join_url, parts, with_query, Request};
use crate::core::response::Answer;
use crate::core::schema::Call;
use crate::core::value::Value;

/// Defaults of a `Mava` client: the gateway host and the documented 90 requests / 30 s.
pub const DEFAULTS: Defaults = Defaults {
    base_url: "https://gateway.mava.app",
    rate_limit: Some(MAVA_RATE_LIMIT),
    message_method: true,
    key_in_header: true,
};

/// Every Mava call, in the order of the contract.
pub const CALLS: &[&Call] = &[
    &customers::IDENTIFY,
    &directory::GET_CATEGORIES,
    &directory::GET_AGENTS,
    &tickets::CREATE_TICKET,
    &tickets::UPDATE_TICKET,
    &messages::SEND_MESSAGE,
    &fetch_tickets::FETCH_TICKETS,
];

pub fn find(name: &str) -> Option<&'static Call> {
    CALLS.iter().copied().find(|c| c.name == name)
}

/// What a successful call answers: an object, and for the listings the array they carry.
pub fn answer(call: &Call) -> Answer {
    match call.name {
        "getCategories" => Answer::Object(&["categories"]),
        "getAgents" => Answer::Object(&["agents"]),
        "fetchTickets" => Answer::Object(&["tickets"]),
        _ => Answer::Object(&[]),
    }
}

/// The request `call` sends for a validated `input`: the key goes in `x-auth-token`.
pub fn build(call: &Call, o: &ClientOptions, input: &Value) -> Request {
    let method = if call.name == messages::SEND_MESSAGE.name { o.message_method } else { call.method };
    let p = parts(call, method, input);
    let url = with_query(join_url(&o.base_url, call.path), &p.query);
    let mut headers = vec![("accept", "application/json".into()), ("x-auth-token", o.api_key.clone())];
    if p.body.is_some() {
        headers.push(("content-type", "application/json".into()));
    }
    Request { method, url, query: p.query, headers, body: p.body }
}
