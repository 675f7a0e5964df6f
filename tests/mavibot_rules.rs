//! Every documented Mavibot rule (api-reference Part B), valid and invalid, and how each
//! action becomes a request and how responses are judged.

mod common;
use common::*;
use mava_sdk::core::options::client;
use mava_sdk::core::response::ErrorKind;
use mava_sdk::core::schema::Method;
use mava_sdk::mavibot::{self, callbacks::*, channels::*, clients::*, deals::*, finders::*, messages::*, variables::*};
use serde_json::json;

fn j(v: serde_json::Value) -> String {
    v.to_string()
}

#[test]
fn all_42_actions_are_described_once() {
    assert_eq!(mavibot::CALLS.len(), 42);
    let mut names: Vec<&str> = mavibot::CALLS.iter().map(|c| c.name).collect();
    let mut actions: Vec<&str> = mavibot::CALLS.iter().map(|c| c.path).collect();
    names.sort();
    names.dedup();
    actions.sort();
    actions.dedup();
    assert_eq!((names.len(), actions.len()), (42, 42));
    // The JS name is the action in lowerCamelCase.
    for c in mavibot::CALLS {
        let camel: String = c.path.split('_').enumerate().map(|(i, w)| if i == 0 { w.to_string() } else { w[..1].to_uppercase() + &w[1..] }).collect();
        assert_eq!(c.name, camel);
    }
}

#[test]
fn callback_needs_a_client_and_text() {
    ok(&CALLBACK, &j(json!({ "client_id": 49177759, "message": "start" })));
    ok(&CALLBACK, &j(json!({ "client_phone": "79001234567", "message": "start", "resume_bot": true, "any_extra": { "k": 1 } })));
    ok(&CALLBACK, &j(json!({ "client_email": "a@example.com", "message": "start", "time_shift": 60 })));
    bad(&CALLBACK, &j(json!({ "message": "start" })), "", "MISSING_CLIENT");
    bad(&CALLBACK, &j(json!({ "client_id": 1 })), "message", "REQUIRED");
    bad(&CALLBACK, &j(json!({ "client_email": "nope", "message": "x" })), "client_email", "INVALID_EMAIL");
}

#[test]
fn value_mappings_name_other_keys() {
    ok(&CALLBACK, &j(json!({ "value_client_id": "my_client", "my_client": 49177759, "message": "Hello" })));
    ok(&CALLBACK, &j(json!({ "value_client_id": "my_client", "my_client": 1, "value_message": "text", "text": "hi" })));
    bad(&CALLBACK, &j(json!({ "value_client_id": "my_client", "message": "Hello" })), "my_client", "REQUIRED");
    ok(&CALLBACK, &j(json!({ "delimiter": "1", "delimiter_value_client_id": "user1id", "message": "x", "user": { "id": 5 } })));
    ok(&VK_CALLBACK, &j(json!({ "value_user_id": "uid", "uid": "1", "group_id": "2", "message": "go" })));
    bad(&VK_CALLBACK, &j(json!({ "group_id": "2", "message": "go" })), "user_id", "REQUIRED");
}

#[test]
fn schedule_parameters() {
    ok(&CALLBACK, &j(json!({ "client_id": 1, "message": "x", "send_time": "2024-10-16 13:15:59" })));
    bad(&CALLBACK, &j(json!({ "client_id": 1, "message": "x", "send_time": "2024-10-16T13:15:59" })), "send_time", "INVALID_DATE");
    bad(&CALLBACK, &j(json!({ "client_id": 1, "message": "x", "send_time": "2024-02-30 10:00:00" })), "send_time", "INVALID_DATE");
    ok(&CALLBACK, &j(json!({ "client_id": 1, "message": "x", "time_shift": 0 })));
    bad(&CALLBACK, &j(json!({ "client_id": 1, "message": "x", "time_shift": -1 })), "time_shift", "OUT_OF_RANGE");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "time_shift": "10" })), "time_shift", "INVALID_TYPE");
}

#[test]
fn telegram_group_is_a_bot() {
    ok(&TG_CALLBACK, &j(json!({ "message": "x", "user_id": "1", "group_id": "my_shop_bot" })));
    ok(&TG_CALLBACK, &j(json!({ "message": "x", "user_id": 1, "group_id": "ShopBot" })));
    bad(&TG_CALLBACK, &j(json!({ "message": "x", "user_id": "1", "group_id": "my_shop" })), "group_id", "INVALID_NAME");
    bad(&TG_CALLBACK, &j(json!({ "message": "x", "group_id": "a_bot" })), "user_id", "REQUIRED");
}

#[test]
fn other_callbacks() {
    ok(&WHATSAPP_CALLBACK, &j(json!({ "phone": "79001234567", "name": "Ann", "message": "x", "bot_id": "b1" })));
    bad(&WHATSAPP_CALLBACK, &j(json!({ "message": "x" })), "phone", "REQUIRED");
    ok(&OK_CALLBACK, &j(json!({ "user_id": "1", "group_id": "2", "message": "x" })));
    ok(&MAX_CALLBACK, &j(json!({ "message": "x", "platform_id": "c1", "group_id": "b" })));
    bad(&MAX_CALLBACK, &j(json!({ "message": "x", "group_id": "b" })), "platform_id", "REQUIRED");
    ok(&EMAIL_CALLBACK, &j(json!({ "email": "a@example.com", "message": "x", "email_id_bot": "bot@example.com" })));
    bad(&EMAIL_CALLBACK, &j(json!({ "email": "a@", "message": "x" })), "email", "INVALID_EMAIL");
}

#[test]
fn send_callback_by_platform_id_at_most_300() {
    let ids = |n: usize| json!((0..n).map(|i| json!(i)).collect::<Vec<_>>());
    ok(&SEND_CALLBACK_BY_PLATFORM_ID, &j(json!({ "platform_ids": [407184121, "79609879898", "2rwewefw"], "callback_text": "go" })));
    ok(&SEND_CALLBACK_BY_PLATFORM_ID, &j(json!({ "platform_ids": ids(300), "callback_text": "go" })));
    bad(&SEND_CALLBACK_BY_PLATFORM_ID, &j(json!({ "platform_ids": ids(301), "callback_text": "go" })), "platform_ids", "TOO_MANY");
    bad(&SEND_CALLBACK_BY_PLATFORM_ID, &j(json!({ "platform_ids": [], "callback_text": "go" })), "platform_ids", "REQUIRED");
    bad(&SEND_CALLBACK_BY_PLATFORM_ID, &j(json!({ "platform_ids": [1], "callback_text": "go", "extra": 1 })), "extra", "UNKNOWN_FIELD");
}

#[test]
fn message_content_attachments_and_buttons() {
    ok(&MESSAGE, &j(json!({ "client_id": 1, "message": "Hi" })));
    ok(&MESSAGE, &j(json!({ "client_id": "1", "message_id": 5 })));
    ok(&MESSAGE, &j(json!({ "client_id": 1, "attachment_url": "https://x.example/a.png", "attachment_type": "image" })));
    bad(&MESSAGE, &j(json!({ "client_id": 1 })), "", "CONTENT_REQUIRED");
    bad(&MESSAGE, &j(json!({ "message": "x" })), "client_id", "REQUIRED");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "attachment_url": "https://x.example/a.png" })), "attachment_type", "REQUIRED");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "attachment_type": "image" })), "attachment_url", "REQUIRED");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "attachment_url": "https://x.example/a", "attachment_type": "gif" })), "attachment_type", "INVALID_ENUM");
    for types in ["image", "video", "link", "file", "audio"] {
        ok(&MESSAGE, &j(json!({ "client_id": 1, "attachment_url": "https://x.example/a", "attachment_type": types })));
    }
    let buttons = json!([{ "type": "reply", "text": "Contacts", "line": 0, "index_in_line": 0 }, { "text": "About" }]);
    ok(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": buttons })));
    ok(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": { "hint": "Reply 1 or 2", "buttons": [{ "text": "1" }] } })));
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": [{ "type": "reply" }] })), "buttons[0].text", "REQUIRED");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": [{ "text": "say \"hi\"" }] })), "buttons[0].text", "INVALID_TEXT");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": [{ "text": "a", "type": "inline" }, { "text": "b" }] })), "buttons", "CONFLICTING_FIELDS");
    bad(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": [{ "text": "app", "type": "web_app" }] })), "buttons[0].web_app", "REQUIRED");
    let found = codes(&MESSAGE, &j(json!({ "client_id": 1, "message": "x", "buttons": "yes" })));
    assert_eq!(found[0].0, "buttons");
    ok(&WHATSAPP_MESSAGE, &j(json!({ "phone": "79001234567", "message": "x", "whatsapp_bot_id": "w1" })));
    bad(&WHATSAPP_MESSAGE, &j(json!({ "message": "x" })), "phone", "REQUIRED");
}

#[test]
fn broadcast_never_reaches_everyone_by_omission() {
    bad(&BROADCAST, &j(json!({ "message": "Sale!" })), "", "RECIPIENT_REQUIRED");
    ok(&BROADCAST, &j(json!({ "message": "Sale!", "allClients": true })));
    ok(&BROADCAST, &j(json!({ "message": "Sale!", "list": 1170282 })));
    ok(&BROADCAST, &j(json!({ "message_id": 7, "clients": ["5", "58", "110"], "shift": 0.2 })));
    ok(&BROADCAST, &j(json!({ "message": "x", "platform_ids": ["1"], "group_id": "shop_bot" })));
    bad(&BROADCAST, &j(json!({ "message": "x", "platform_ids": ["1"] })), "group_id", "REQUIRED");
    bad(&BROADCAST, &j(json!({ "message": "x", "list": 1, "clients": [1] })), "", "CONFLICTING_FIELDS");
    bad(&BROADCAST, &j(json!({ "message": "x", "list": 1, "allClients": true })), "allClients", "CONFLICTING_FIELDS");
    assert_eq!(
        codes(&BROADCAST, &j(json!({ "message": "x", "allClients": "yes" }))),
        [("allClients".to_string(), "INVALID_TYPE".to_string()), ("".to_string(), "RECIPIENT_REQUIRED".to_string())]
    );
    bad(&BROADCAST, &j(json!({ "list": 1 })), "", "CONTENT_REQUIRED");
    bad(&BROADCAST, &j(json!({ "list": 1, "message": "x", "shift": -0.1 })), "shift", "OUT_OF_RANGE");
}

#[test]
fn history_limits_and_period() {
    ok(&GET_HISTORY, &j(json!({ "client_id": 1, "limit": 2000 })));
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "limit": 2001 })), "limit", "OUT_OF_RANGE");
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "limit": 0 })), "limit", "OUT_OF_RANGE");
    ok(&GET_HISTORY, &j(json!({ "client_id": 1, "start_date": "01.01.2024", "stop_date": "31.01.2024" })));
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "start_date": "01.01.2024" })), "stop_date", "REQUIRED");
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "stop_date": "01.01.2024" })), "start_date", "REQUIRED");
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "start_date": "2024-01-01", "stop_date": "31.01.2024" })), "start_date", "INVALID_DATE");
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "start_date": "31.02.2024", "stop_date": "31.03.2024" })), "start_date", "INVALID_DATE");
    bad(&GET_HISTORY, &j(json!({ "client_id": 1, "start_date": "02.01.2024", "stop_date": "01.01.2024" })), "stop_date", "INVALID_DATE");
    bad(&GET_HISTORY, &j(json!({})), "client_id", "REQUIRED");
    ok(&CLEAR_HISTORY, &j(json!({ "client_id": 1 })));
}

#[test]
fn clients_rules() {
    ok(&ASSIGN_TO_USER, &j(json!({ "client_id": 1 })));
    ok(&ASSIGN_TO_USER, &j(json!({ "client_id": 1, "email": "op@example.com" })));
    ok(&LOAD_CLIENTS, &j(json!([{ "platform_id": "79001234567@s.whatsapp.net", "group_id": "g", "client_type": 6 }, { "platform_id": 1, "group_id": "", "client_type": 13 }])));
    bad(&LOAD_CLIENTS, &j(json!([{ "platform_id": "1", "group_id": "g", "client_type": 4 }])), "[0].client_type", "INVALID_ENUM");
    bad(&LOAD_CLIENTS, &j(json!([{ "platform_id": "1", "group_id": "g", "client_type": 13 }])), "[0].group_id", "CONFLICTING_FIELDS");
    bad(&LOAD_CLIENTS, &j(json!({ "clients": [] })), "", "INVALID_TYPE");
    bad(&LOAD_CLIENTS, "[]", "", "REQUIRED");
    for t in [0, 1, 2, 3, 5, 6, 7, 8, 10, 12, 13, 14, 16, 19, 20, 21, 22] {
        let g = if t == 13 { "" } else { "g" };
        ok(&LOAD_CLIENTS, &j(json!([{ "platform_id": "1", "group_id": g, "client_type": t }])));
    }
    for t in [4, 9, 11, 15, 17, 18, 23] {
        bad(&LOAD_CLIENTS, &j(json!([{ "platform_id": "1", "group_id": "g", "client_type": t }])), "[0].client_type", "INVALID_ENUM");
    }
    ok(&ADD_TO_LIST, &j(json!({ "list_id": 1170282, "clients": [411262772, 646410963] })));
    bad(&REMOVE_FROM_LIST, &j(json!({ "list_id": 1, "clients": [] })), "clients", "REQUIRED");
    ok(&GET_CLIENTS, &j(json!({ "offset": 0, "limit": 500 })));
    bad(&GET_CLIENTS, &j(json!({ "limit": 501 })), "limit", "OUT_OF_RANGE");
    bad(&GET_CLIENTS, &j(json!({ "offset": -1 })), "offset", "OUT_OF_RANGE");
    bad(&GET_CLIENTS, &j(json!({ "list": 1, "reverse": true })), "reverse", "CONFLICTING_FIELDS");
    ok(&GET_CLIENTS, &j(json!({ "reverse": true })));
    let ids = |n: usize| json!((0..n).collect::<Vec<_>>());
    ok(&DELETE_CLIENTS, &j(json!({ "client_ids": ids(500) })));
    bad(&DELETE_CLIENTS, &j(json!({ "client_ids": ids(501) })), "client_ids", "TOO_MANY");
    bad(&DELETE_CLIENTS, &j(json!({ "client_ids": [1.5] })), "client_ids[0]", "NOT_INTEGER");
}

#[test]
fn variables_rules() {
    ok(&SAVE_VARIABLES, &j(json!({ "client_id": 49177759, "variables": { "client.phone": "88888888888", "n": 3 } })));
    ok(&SAVE_VARIABLES, &j(json!({ "clients": [1, 2], "variables": { "a": "b" } })));
    bad(&SAVE_VARIABLES, &j(json!({ "variables": { "a": "b" } })), "", "MISSING_CLIENT");
    bad(&SAVE_VARIABLES, &j(json!({ "client_id": 1, "variables": {} })), "variables", "REQUIRED");
    bad(&SAVE_VARIABLES, &j(json!({ "client_id": 1, "variables": ["a"] })), "variables", "INVALID_TYPE");
    ok(&GET_VARIABLES, &j(json!({ "client_id": 1 })));
}

#[test]
fn finders_rules() {
    ok(&FIND_CLIENT_ID_BY_PLATFORM_ID, &j(json!({ "platform_ids": ["1", 2], "group_id": "b" })));
    ok(&ONLINE_CHAT_CLIENT_ID, &j(json!({ "recipient": "abc", "tag": "t" })));
    bad(&ONLINE_CHAT_CLIENT_ID, &j(json!({ "tag": "t" })), "recipient", "REQUIRED");
    ok(&WHATSAPP_CLIENT_ID, &j(json!({ "phone": "79001234567" })));
    ok(&FIND_CLIENT_ID_BY_PHONE, &j(json!({ "phone": "79001234567" })));
    bad(&FIND_CLIENT_ID_BY_EMAIL, &j(json!({ "email": "x" })), "email", "INVALID_EMAIL");
    ok(&FIND_CLIENT_ID_BY_VAR, &j(json!({ "var": "city", "val": "Paris", "search_in": "order" })));
    bad(&FIND_CLIENT_ID_BY_VAR, &j(json!({ "var": "city", "val": "Paris", "search_in": "client" })), "search_in", "INVALID_ENUM");
    ok(&FIND_LATEST_CLIENT_ID_BY_VAR, &j(json!({ "var": "n", "val": 3 })));
    bad(&FIND_ALL_CLIENT_ID_BY_VAR, &j(json!({ "var": "n" })), "val", "REQUIRED");
    ok(&FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS, &j(json!({ "city": "Paris", "age": 30 })));
    bad(&FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS, "{}", "", "REQUIRED");
    bad(&FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS, &j(json!({ "city": ["a"] })), "city", "INVALID_TYPE");
    ok(&FIND_CLIENTS, &j(json!({ "q": { "name": "x", "age": { "_in": [1, 2] }, "city": { "_not": "Joe" } }, "include_all": true })));
    bad(&FIND_CLIENTS, &j(json!({ "q": {} })), "q", "REQUIRED");
    bad(&FIND_CLIENTS, &j(json!({})), "q", "REQUIRED");
    bad(&FIND_CLIENTS, &j(json!({ "q": { "age": { "_gt": 3 } } })), "q.age._gt", "INVALID_ENUM");
    bad(&FIND_CLIENTS, &j(json!({ "q": { "age": { "_in": 3 } } })), "q.age._in", "INVALID_TYPE");
}

#[test]
fn deals_rules() {
    ok(&GET_CURRENT_ORDER_ID, &j(json!({ "client_id": 1 })));
    for s in [0, 1, 2] {
        ok(&GET_ORDERS, &j(json!({ "client_id": 1, "order_status": s })));
    }
    bad(&GET_ORDERS, &j(json!({ "client_id": 1, "order_status": 3 })), "order_status", "INVALID_ENUM");
    ok(&MOVE_ORDER_TO_NEXT_STATE, &j(json!({ "client_id": 1, "order_id": 2 })));
    bad(&MOVE_ORDER_TO_NEXT_STATE, &j(json!({ "client_id": 1 })), "order_id", "REQUIRED");
    ok(&GET_ORDER_VARS, &j(json!({ "client_id": 1, "order_id": 2, "variables": ["a", "b"] })));
    bad(&GET_ORDER_VARS, &j(json!({ "client_id": 1, "order_id": 2, "variables": [] })), "variables", "REQUIRED");
    ok(&SET_ORDER_VARS, &j(json!({ "client_id": 1, "order_id": 2, "variables": { "a": 1 } })));
    ok(&CREATE_ORDER, &j(json!({ "phone": "79001234567", "name": "Deal", "budget": 1500.5, "state_id": 3 })));
    bad(&CREATE_ORDER, &j(json!({ "name": "Deal" })), "", "MISSING_CLIENT");
    bad(&CREATE_ORDER, &j(json!({ "client_id": 1, "budget": -1 })), "budget", "OUT_OF_RANGE");
    ok(&SET_ORDER_STATE, &j(json!({ "client_id": 1, "state_id": 9 })));
    ok(&GET_ORDER_STATE, &j(json!({ "client_id": 1 })));
    ok(&CHECK_WHATSAPP, &j(json!({ "phone": "+7 900 123-45-67" })));
    assert!(CONNECTED_CHANNELS.input.is_none() && GET_MESSAGES.input.is_none());
}

#[test]
fn ids_are_strings_or_non_negative_integers() {
    ok(&GET_VARIABLES, &j(json!({ "client_id": "49177759" })));
    bad(&GET_VARIABLES, &j(json!({ "client_id": "" })), "client_id", "REQUIRED");
    bad(&GET_VARIABLES, &j(json!({ "client_id": -5 })), "client_id", "NOT_INTEGER");
    bad(&GET_VARIABLES, &j(json!({ "client_id": true })), "client_id", "INVALID_TYPE");
}

// ---- requests ----

fn opts(key: &str) -> mava_sdk::core::options::ClientOptions {
    client(&value(&j(json!({ "apiKey": key, "baseUrl": "https://bot.example/" }))), &mavibot::DEFAULTS).unwrap()
}

fn build(call: &mava_sdk::core::schema::Call, input: serde_json::Value) -> mava_sdk::core::request::Request {
    mavibot::build(call, call.path, call.method, &opts("k/ey 1"), &value(&input.to_string()))
}

#[test]
fn key_goes_in_the_path_encoded() {
    let r = build(&CONNECTED_CHANNELS, json!(null));
    assert_eq!(r.url, "https://bot.example/api/k%2Fey%201/connected_channels");
    assert_eq!(r.method, Method::Get);
    assert!(r.headers.iter().all(|(_, v)| !v.contains("k/ey")));
    assert_eq!(opts("k").base_url, "https://bot.example");
    assert_eq!(client(&value(r#"{"apiKey":"k"}"#), &mavibot::DEFAULTS).unwrap().base_url, "https://chatter.mavibot.ai");
}

#[test]
fn get_actions_use_the_query_post_actions_the_body() {
    let r = build(&GET_CLIENTS, json!({ "offset": 500, "limit": 500, "reverse": true }));
    assert_eq!(r.url, "https://bot.example/api/k%2Fey%201/get_clients?offset=500&limit=500&reverse=true");
    assert_eq!(r.body, None);
    let r = build(&SAVE_VARIABLES, json!({ "client_id": 1, "variables": { "client.phone": "8" } }));
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.body.as_deref(), Some(r#"{"client_id":1,"variables":{"client.phone":"8"}}"#));
}

#[test]
fn load_clients_sends_the_array_itself() {
    let r = build(&LOAD_CLIENTS, json!([{ "platform_id": "1", "group_id": "", "client_type": 13 }]));
    assert_eq!(r.body.as_deref(), Some(r#"[{"platform_id":"1","group_id":"","client_type":13}]"#));
}

#[test]
fn mappings_go_in_the_query_and_all_clients_is_never_sent() {
    let r = build(&CALLBACK, json!({ "value_client_id": "my_client", "my_client": 49177759, "message": "Hello" }));
    assert_eq!(r.url, "https://bot.example/api/k%2Fey%201/callback?value_client_id=my_client");
    assert_eq!(r.body.as_deref(), Some(r#"{"my_client":49177759,"message":"Hello"}"#));
    let r = build(&BROADCAST, json!({ "message": "x", "allClients": true }));
    assert_eq!(r.body.as_deref(), Some(r#"{"message":"x"}"#));
}

#[test]
fn several_vars_become_query_pairs() {
    let r = build(&FIND_ALL_CLIENT_ID_BY_SEVERAL_VARS, json!({ "city": "São Paulo", "age": 30 }));
    assert_eq!(r.url, "https://bot.example/api/k%2Fey%201/find_all_client_id_by_several_vars?city=S%C3%A3o+Paulo&age=30");
}

#[test]
fn action_names_for_the_generic_call() {
    assert!(mavibot::check_action(&value("\"get_something_new\"")).is_empty());
    for wrong in ["\"\"", "\"../callback\"", "\"a b\"", "\"x?y=1\"", "5", "null"] {
        assert!(!mavibot::check_action(&value(wrong)).is_empty(), "{wrong}");
    }
}

// ---- responses ----

#[test]
fn failures_inside_200_bodies() {
    use mavibot::failure;
    assert_eq!(failure("get_orders", 200, Some("success")), None);
    assert_eq!(failure("connected_channels", 200, None), None);
    assert_eq!(failure("find_clients", 200, Some("fail")), Some((ErrorKind::Api, "MAVIBOT_FAIL".into())));
    assert_eq!(failure("get_orders", 200, Some("client_not_found")), Some((ErrorKind::Api, "CLIENT_NOT_FOUND".into())));
    assert_eq!(failure("set_order_vars", 200, Some("order 12345 not found")), Some((ErrorKind::Api, "ORDER_NOT_FOUND".into())));
    assert_eq!(failure("get_order_state", 200, Some("order not found")), Some((ErrorKind::Api, "ORDER_NOT_FOUND".into())));
    assert_eq!(failure("whatsapp_client_id", 404, None), Some((ErrorKind::Api, "CLIENT_NOT_FOUND".into())));
    assert_eq!(failure("get_clients", 404, None), Some((ErrorKind::Api, "HTTP_404".into())));
    assert_eq!(failure("get_clients", 401, Some("fail")), Some((ErrorKind::Authentication, "UNAUTHORIZED".into())));
    assert_eq!(failure("get_clients", 429, None), Some((ErrorKind::RateLimit, "RATE_LIMITED".into())));
    assert_eq!(failure("get_clients", 400, Some("fail")), Some((ErrorKind::Api, "MAVIBOT_FAIL".into())));
}

#[test]
fn webhook_payloads() {
    let good = json!({
        "id": 1, "client": { "id": 5, "recepient": "123", "client_type": 1, "name": "Ann", "avatar": null, "created_at": "2024-01-01", "tag": "", "group": "shop_bot" },
        "message": "hello", "attachments": [], "message_id": 7, "project_id": 9, "is_input": 1, "delivered": 1, "error_message": null, "new_field": true
    });
    assert!(mavibot::check_webhook(&value(&good.to_string())).is_empty());
    let found = |v: serde_json::Value| mavibot::check_webhook(&value(&v.to_string())).list.into_iter().map(|i| (i.path, i.code)).collect::<Vec<_>>();
    assert_eq!(found(json!({ "message": "x" })), vec![("client".to_string(), "REQUIRED")]);
    assert_eq!(found(json!({ "client": {}, "message": "x" })), vec![("client.id".to_string(), "REQUIRED")]);
    assert_eq!(found(json!({ "client": { "id": 1 }, "message": "x", "is_input": 2 })), vec![("is_input".to_string(), "INVALID_ENUM")]);
    assert_eq!(found(json!({ "client": { "id": 1 } })), vec![("message".to_string(), "REQUIRED")]);
    assert_eq!(found(json!([1])), vec![("".to_string(), "INVALID_TYPE")]);
}
