//! What each Mava call sends: method, URL with repeated query keys, headers, JSON body.

mod common;
use common::value;
use mava_sdk::core::schema::Method;
use mava_sdk::core::options::{client, ClientOptions};
use mava_sdk::mava;

fn options(json: &str) -> ClientOptions {
    client(&value(json), &mava::DEFAULTS).unwrap()
}

fn build(name: &str, json: &str) -> mava_sdk::core::request::Request {
    let o = options(r#"{"apiKey":"key-1","baseUrl":"http://127.0.0.1:9/"}"#);
    mava::build(mava::find(name).unwrap(), &o, &value(json))
}

#[test]
fn every_contract_method_is_described() {
    let names: Vec<&str> = mava::CALLS.iter().map(|c| c.name).collect();
    assert_eq!(names, ["identify", "getCategories", "getAgents", "createTicket", "updateTicket", "sendMessage", "fetchTickets"]);
}

#[test]
fn create_ticket_posts_json_with_the_key_header() {
    let r = build("createTicket", r#"{"customer":{"email":"a@example.com"},"priority":3,"message":{"content":"Hi \"there\"\n"}}"#);
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "http://127.0.0.1:9/api/ticket");
    assert_eq!(r.body.as_deref(), Some(r#"{"customer":{"email":"a@example.com"},"priority":3,"message":{"content":"Hi \"there\"\n"}}"#));
    assert!(r.headers.contains(&("x-auth-token", "key-1".into())));
    assert!(r.headers.contains(&("content-type", "application/json".into())));
}

#[test]
fn get_calls_have_no_body_or_content_type() {
    for name in ["getCategories", "getAgents"] {
        let r = build(name, "null");
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.body, None);
        assert!(!r.headers.iter().any(|(k, _)| *k == "content-type"));
    }
    assert_eq!(build("getAgents", "null").url, "http://127.0.0.1:9/api/agents");
}

#[test]
fn fetch_tickets_repeats_array_keys_and_encodes_values() {
    let r = build("fetchTickets", r#"{"startDate":"2026-01-01T00:00:00+02:00","endDate":"2026-04-01","status":["Open","Pending"],"assignedTo":"Unassigned","csatValues":[5,"no-rating"],"limit":20,"includeMessages":true}"#);
    assert_eq!(
        r.url,
        "http://127.0.0.1:9/api/tickets?startDate=2026-01-01T00%3A00%3A00%2B02%3A00&endDate=2026-04-01&status=Open&status=Pending&assignedTo=Unassigned&csatValues=5&csatValues=no-rating&limit=20&includeMessages=true"
    );
    assert_eq!(r.body, None);
}

#[test]
fn send_message_method_follows_the_setting() {
    let json = r#"{"ticketId":"6650a1b2c3d4e5f678901234","content":"x"}"#;
    assert_eq!(build("sendMessage", json).method, Method::Put);
    let o = options(r#"{"apiKey":"k","messageMethod":"POST"}"#);
    let r = mava::build(mava::find("sendMessage").unwrap(), &o, &value(json));
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.url, "https://gateway.mava.app/api/message");
}

#[test]
fn json_escapes_control_characters_like_json_stringify() {
    let r = build("sendMessage", "{\"ticketId\":\"6650a1b2c3d4e5f678901234\",\"content\":\"a\\u0001b\\tc\\\\ d\\u2028 é\"}");
    assert_eq!(r.body.as_deref(), Some("{\"ticketId\":\"6650a1b2c3d4e5f678901234\",\"content\":\"a\\u0001b\\tc\\\\ d\u{2028} é\"}"));
}

#[test]
fn base_url_rules() {
    use mava_sdk::core::request::check_base_url;
    assert!(check_base_url("https://gateway.mava.app").is_ok());
    assert!(check_base_url("http://127.0.0.1:8787/").is_ok());
    assert!(check_base_url("https://proxy.example/mava").is_ok());
    for wrong in ["gateway.mava.app", "ftp://x", "https://", "https://u:p@host", "https://host?x=1", "https://host/#f", "https://ho st"] {
        assert!(check_base_url(wrong).is_err(), "{wrong}");
    }
}

#[test]
fn a_base_url_with_a_path_gets_a_hint_for_its_404s() {
    use mava_sdk::core::request::base_path_hint;
    assert_eq!(base_path_hint("https://gateway.mava.app"), None);
    assert_eq!(base_path_hint("http://127.0.0.1:8787/"), None);
    assert_eq!(
        base_path_hint("https://gateway.mava.app/api").as_deref(),
        Some("(baseUrl has the path /api, and every path the SDK sends already starts with /api: set baseUrl to https://gateway.mava.app)")
    );
    assert_eq!(base_path_hint("https://gateway.mava.app/API/").unwrap().contains("already starts with /api"), true);
    let proxy = base_path_hint("https://proxy.example/mava").unwrap();
    assert!(proxy.contains("the path /mava") && proxy.contains("proxy's prefix") && proxy.ends_with("https://proxy.example)"), "{proxy}");
}

#[test]
fn error_codes_from_bodies() {
    use mava_sdk::core::response::error_code;
    assert_eq!(error_code(400, Some("INVALID_LIMIT")), "INVALID_LIMIT");
    assert_eq!(error_code(400, Some("Ticket not found")), "TICKET_NOT_FOUND");
    assert_eq!(error_code(401, Some("Unauthorized")), "UNAUTHORIZED");
    assert_eq!(error_code(502, Some("<html>Bad gateway</html>")), "HTTP_502");
    assert_eq!(error_code(503, None), "HTTP_503");
}
