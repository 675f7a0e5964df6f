//! The Mava public API (api-reference Part A): one file per endpoint family, each call
//! described once as a [`Call`]; this module lists them and turns an input into a request.

pub mod customers;
pub mod directory;
pub mod fetch_tickets;
pub mod messages;
pub mod tickets;

use crate::core::request::{join_url, parts, Request};
use crate::core::schema::{Call, Method};
use crate::core::value::Value;

pub const DEFAULT_BASE_URL: &str = "https://gateway.mava.app";

/// Every Mava call, in the order of the contract.
pub static CALLS: &[&Call] = &[
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

/// Client settings that change how requests are built.
#[derive(Clone, Debug)]
pub struct Settings {
    pub base_url: String,
    /// `PUT` (documented) or `POST` (the docs' examples) for `sendMessage`.
    pub message_method: Method,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { base_url: DEFAULT_BASE_URL.into(), message_method: Method::Put }
    }
}

/// The request `call` sends for a validated `input`.
pub fn build(call: &Call, settings: &Settings, api_key: &str, input: &Value) -> Request {
    let method = if call.name == messages::SEND_MESSAGE.name { settings.message_method } else { call.method };
    let p = parts(call, method, input);
    let mut url = join_url(&settings.base_url, call.path);
    url.push_str(&p.query);
    let mut headers = vec![("accept", "application/json".into()), ("x-auth-token", api_key.into())];
    if p.body.is_some() {
        headers.push(("content-type", "application/json".into()));
    }
    Request { method, url, headers, body: p.body }
}
