//! The Mavibot API (Salebot-compatible, api-reference Part B): 42 actions, one file per
//! family, each described once as a [`Call`]. Requests go to `{baseUrl}/api/{key}/{action}`;
//! GET actions send query parameters, POST actions a JSON body.


pub mod callbacks;
pub mod channels;
pub mod clients;
pub mod deals;
pub mod finders;
pub mod messages;
pub mod shared;
pub mod variables;
pub mod webhook;

use crate::core::issue::Issues;
use crate::core::options::{ClientOptions, Defaults};
use crate::core::request::{join_url, parts, percent_encode, with_query, Request};
use crate::core::response::{kind_of, Answer, ErrorKind};
use crate::core::schema::{check, Call, Fmt, Method, Repeat, Shape, Ty};
use crate::core::value::Value;

/// Defaults of a `Mavibot` client: no rate limit is documented, so none by default.
pub const DEFAULTS: Defaults = Defaults { base_url: "https://chatter.mavibot.ai", rate_limit: None, message_method: false, key_in_header: false };

/// Every action, in the order of api-reference B.1.
pub const CALLS: &[&Call] = &[
    &callbacks::CALLBACK,
    &callbacks::VK_CALLBACK,
    &callbacks::WHATSAPP_CALLBACK,
    &callbacks::OK_CALLBACK,
    &callbacks::TG_CALLBACK,
    &callbacks::MAX_CALLBACK,
    &callbacks::SEND_CALLBACK_BY_PLATFORM_ID,
    &callbacks::EMAIL_CALLBACK,
    &messages::MESSAGE,
    &messages::WHATSAPP_MESSAGE,
    &messages::BROADCAST,
    &messages::GET_HISTORY,
    &messages::CLEAR_HISTORY,
    &clients::ASSIGN_TO_USER,
    &clients::LOAD_CLIENTS,
    &clients::ADD_TO_LIST,
    &clients::REMOVE_FROM_LIST,
    &clients::GET_CLIENTS,
    &clients::DELETE_CLIENTS,
    &variables::SAVE_VARIABLES,
    &variables::GET_VARIABLES,
    &finders::FIND_CLIENT_ID_BY_PLATFORM_ID,
    &finders::ONLINE_CHAT_CLIENT_ID,
    &finders::WHATSAPP_CLIENT_ID,
    &finders::FIND_CLIENT_ID_BY_PHONE,
    &finders::FIND_CLIENT_ID_BY_EMAIL,
    &finders::FIND_CLIENT_ID_BY_VAR,
    &finders::FIND_LATEST_CLIENT_ID_BY_VAR,
    &finders::FIND_ALL_CLIENT_ID_BY_VAR,
    &finders::FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS,
    &finders::FIND_CLIENTS,
    &deals::GET_CURRENT_ORDER_ID,
    &deals::GET_ORDERS,
    &deals::MOVE_ORDER_TO_NEXT_STATE,
    &deals::GET_ORDER_VARS,
    &deals::SET_ORDER_VARS,
    &deals::CREATE_ORDER,
    &deals::SET_ORDER_STATE,
    &deals::GET_ORDER_STATE,
    &channels::CHECK_WHATSAPP,
    &channels::CONNECTED_CHANNELS,
    &channels::GET_MESSAGES,
];

/// `bot.call(action, params, { method })`: any action the SDK doesn't name, with any fields.
pub const ANY_ACTION: Call = Call {
    name: "call",
    path: "",
    method: Method::Post,
    input: Some(&Ty::Map(&Ty::Any)),
    check: None,
    repeat: Repeat::Creates,
};

/// An action name for `bot.call`, and the webhook payload: the shapes outside the calls.
pub const ACTION_NAME: Shape = &Ty::Str { fmt: Fmt::Name, max: 0, nonempty: true };
pub const WEBHOOK: Shape = &webhook::WEBHOOK;

/// Checks an action name for `bot.call`: letters, digits and `_`.
pub fn check_action(action: &Value) -> Issues {
    check(ACTION_NAME, action, "action")
}

/// What a successful action answers: an object (with the documented arrays for listings),
/// but for the two actions documented to answer an array or anything.
pub fn answer(call: &Call) -> Answer {
    match call.name {
        "findClientIdByPlatformId" => Answer::Array,
        "getMessages" | "call" => Answer::Any,
        "getClients" => Answer::Object(&["clients"]),
        _ => Answer::Object(&[]),
    }
}

/// The request for a validated input. `action` is the call's own, or the one given to
/// `bot.call`; `method` overrides the call's (GET/POST).
pub fn build(call: &Call, action: &str, method: Method, o: &ClientOptions, input: &Value) -> Request {
    let p = parts(call, method, input);
    let mut path = String::from("/api/");
    percent_encode(&mut path, &o.api_key);
    path.push('/');
    path.push_str(action);
    let url = with_query(join_url(&o.base_url, &path), &p.query);
    let mut headers = vec![("accept", String::from("application/json"))];
    if p.body.is_some() {
        headers.push(("content-type", "application/json".into()));
    }
    Request { method, url, query: p.query, headers, body: p.body }
}

/// Why a Mavibot response is a failure, if it is: many failures arrive as HTTP 200 with a
/// `status` other than `success` (`fail` + `message`, `client_not_found`,
/// `order 12345 not found`); `whatsapp_client_id` answers 404 when no client has the phone.
pub fn failure(action: &str, http_status: u16, body_status: Option<&str>) -> Option<(ErrorKind, String)> {
    let ok = (200..300).contains(&http_status);
    let from_body = body_status.map(str::trim).filter(|s| !s.eq_ignore_ascii_case("success")).map(|s| {
        let lower = s.to_ascii_lowercase();
        if lower == "client_not_found" {
            "CLIENT_NOT_FOUND"
        } else if lower.starts_with("order") && lower.ends_with("not found") {
            "ORDER_NOT_FOUND"
        } else {
            "MAVIBOT_FAIL"
        }
    });
    match (ok, from_body) {
        (true, None) => None,
        (true, Some(c)) => Some((ErrorKind::Api, c.into())),
        (false, _) if action == "whatsapp_client_id" && http_status == 404 => Some((ErrorKind::Api, "CLIENT_NOT_FOUND".into())),
        (false, Some(c)) if kind_of(http_status) == ErrorKind::Api => Some((ErrorKind::Api, c.into())),
        (false, _) => Some((kind_of(http_status), crate::core::response::error_code(http_status, None))),
    }
}

/// Issues of a webhook payload (api-reference B.9).
pub fn check_webhook(payload: &Value) -> Issues {
    check(WEBHOOK, payload, "")
}
