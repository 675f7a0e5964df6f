//! Every documented Mava rule, valid and invalid, at its boundaries (api-reference Part A).

mod common;
use common::*;
use mava_sdk::mava::{customers::IDENTIFY, fetch_tickets::FETCH_TICKETS, messages::SEND_MESSAGE, tickets::*};
use serde_json::json;

const ID: &str = "6650a1b2c3d4e5f678901234";
const ID2: &str = "6650b2c3d4e5f67890123456";
const WALLET: &str = "0x52908400098527886E0F7030069857D2E4169EE7";

fn ticket_with(extra: serde_json::Value) -> String {
    let mut base = json!({ "customerId": ID });
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base.to_string()
}

// ---- createTicket: customer mode ----

#[test]
fn create_accepts_existing_customer_or_customer_object() {
    ok(&CREATE_TICKET, &json!({ "customerId": ID }).to_string());
    ok(&CREATE_TICKET, r#"{"customer":{"email":"a@example.com"}}"#);
    ok(&CREATE_TICKET, &json!({ "customer": { "walletAddress": WALLET, "name": "Ann" } }).to_string());
    ok(&CREATE_TICKET, &json!({ "customer": { "walletAddress": WALLET.to_lowercase() } }).to_string());
}

#[test]
fn create_needs_exactly_one_customer_mode() {
    bad(&CREATE_TICKET, "{}", "", "INVALID_CUSTOMER_MODE");
    bad(&CREATE_TICKET, &json!({ "customerId": ID, "customer": { "email": "a@example.com" } }).to_string(), "", "INVALID_CUSTOMER_MODE");
    bad(&CREATE_TICKET, r#"{"customer":{"name":"Ann"}}"#, "customer", "INVALID_CUSTOMER_MODE");
    bad(&CREATE_TICKET, r#"{"customer":{}}"#, "customer", "INVALID_CUSTOMER_MODE");
}

#[test]
fn create_checks_customer_fields() {
    bad(&CREATE_TICKET, r#"{"customer":{"email":"not-an-email"}}"#, "customer.email", "INVALID_EMAIL");
    for wallet in ["0x123", "52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886E0F7030069857D2E4169EEG", "0x52908400098527886E0F7030069857D2E4169EE71"] {
        bad(&CREATE_TICKET, &json!({ "customer": { "walletAddress": wallet } }).to_string(), "customer.walletAddress", "INVALID_WALLET_ADDRESS");
    }
    bad(&CREATE_TICKET, &json!({ "customerId": "abc" }).to_string(), "customerId", "INVALID_OBJECT_ID");
    bad(&CREATE_TICKET, &json!({ "customerId": "6650a1b2c3d4e5f67890123z" }).to_string(), "customerId", "INVALID_OBJECT_ID");
    bad(&CREATE_TICKET, &json!({ "customerId": "6650a1b2c3d4e5f6789012345" }).to_string(), "customerId", "INVALID_OBJECT_ID");
}

#[test]
fn email_rules() {
    for good in ["a@example.com", "first.last+tag@sub.example.co.uk", "x@xn--bcher-kva.example", "ü@bücher.de"] {
        ok(&CREATE_TICKET, &json!({ "customer": { "email": good } }).to_string());
    }
    for wrong in ["", "plain", "@example.com", "a@", "a@b", "a b@example.com", "a@@example.com", "a@exa mple.com", "a@-example.com", ".a@example.com", "a..b@example.com", "a@example..com", "a@exam\u{a0}ple.com", "a@exam\u{85}ple.com", "a@example.com\u{2028}", "a@exam\u{202e}ple.com", "a@exam\u{200b}ple.com"] {
        let found = codes(&CREATE_TICKET, &json!({ "customer": { "email": wrong } }).to_string());
        assert!(found.iter().any(|(p, _)| p == "customer.email"), "{wrong:?} accepted: {found:?}");
    }
}

#[test]
fn customer_attributes_at_most_30() {
    let attrs = |n: usize| json!((0..n).map(|_| json!({ "attribute": ID2, "content": "x" })).collect::<Vec<_>>());
    ok(&CREATE_TICKET, &json!({ "customer": { "email": "a@example.com", "attributes": attrs(30) } }).to_string());
    bad(&CREATE_TICKET, &json!({ "customer": { "email": "a@example.com", "attributes": attrs(31) } }).to_string(), "customer.attributes", "TOO_MANY");
    ok(&CREATE_TICKET, &ticket_with(json!({ "attributes": attrs(30) })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "attributes": attrs(31) })), "attributes", "TOO_MANY");
    bad(&CREATE_TICKET, &ticket_with(json!({ "attributes": [{ "attribute": ID2 }] })), "attributes[0].content", "REQUIRED");
    bad(&CREATE_TICKET, &ticket_with(json!({ "attributes": [{ "attribute": "x", "content": "y" }] })), "attributes[0].attribute", "INVALID_OBJECT_ID");
}

// ---- createTicket: enums and limits ----

#[test]
fn create_enums() {
    for s in ["Open", "Pending", "Resolved", "Waiting"] {
        ok(&CREATE_TICKET, &ticket_with(json!({ "status": s })));
    }
    bad(&CREATE_TICKET, &ticket_with(json!({ "status": "open" })), "status", "INVALID_ENUM");
    bad(&CREATE_TICKET, &ticket_with(json!({ "status": "Closed" })), "status", "INVALID_ENUM");
    for p in [1, 2, 3] {
        ok(&CREATE_TICKET, &ticket_with(json!({ "priority": p })));
    }
    bad(&CREATE_TICKET, &ticket_with(json!({ "priority": 0 })), "priority", "INVALID_ENUM");
    bad(&CREATE_TICKET, &ticket_with(json!({ "priority": 4 })), "priority", "INVALID_ENUM");
    bad(&CREATE_TICKET, &ticket_with(json!({ "priority": 2.5 })), "priority", "INVALID_ENUM");
    bad(&CREATE_TICKET, &ticket_with(json!({ "priority": "2" })), "priority", "INVALID_TYPE");
    for s in ["web", "discord", "telegram", "twitter", "email"] {
        ok(&CREATE_TICKET, &ticket_with(json!({ "sourceType": s })));
    }
    bad(&CREATE_TICKET, &ticket_with(json!({ "sourceType": "telegram-group" })), "sourceType", "INVALID_ENUM");
    bad(&CREATE_TICKET, &ticket_with(json!({ "silent": "yes" })), "silent", "INVALID_TYPE");
    ok(&CREATE_TICKET, &ticket_with(json!({ "silent": true, "notify": false, "triggerAutomations": false })));
}

#[test]
fn create_ids_and_tags() {
    ok(&CREATE_TICKET, &ticket_with(json!({ "assignedTo": ID2, "category": ID2 })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "assignedTo": "agent@example.com" })), "assignedTo", "INVALID_OBJECT_ID");
    bad(&CREATE_TICKET, &ticket_with(json!({ "category": "billing" })), "category", "INVALID_OBJECT_ID");
    let tags = |n: usize| json!(vec![ID2; n]);
    ok(&CREATE_TICKET, &ticket_with(json!({ "tags": tags(20) })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "tags": tags(21) })), "tags", "TOO_MANY");
    bad(&CREATE_TICKET, &ticket_with(json!({ "tags": [ID2, "nope"] })), "tags[1]", "INVALID_OBJECT_ID");
    bad(&CREATE_TICKET, &ticket_with(json!({ "tags": ID2 })), "tags", "INVALID_TYPE");
}

#[test]
fn subject_at_most_998_chars() {
    ok(&CREATE_TICKET, &ticket_with(json!({ "emailSubjectLine": rep("a", 998) })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "emailSubjectLine": rep("a", 999) })), "emailSubjectLine", "TOO_LONG");
    // Counted in UTF-16 units as the API (JavaScript) counts them: an emoji is two.
    ok(&CREATE_TICKET, &ticket_with(json!({ "emailSubjectLine": rep("😀", 499) })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "emailSubjectLine": rep("😀", 500) })), "emailSubjectLine", "TOO_LONG");
}

#[test]
fn first_message_rules() {
    ok(&CREATE_TICKET, &ticket_with(json!({ "message": { "content": rep("m", 10_000) } })));
    bad(&CREATE_TICKET, &ticket_with(json!({ "message": { "content": rep("m", 10_001) } })), "message.content", "TOO_LONG");
    bad(&CREATE_TICKET, &ticket_with(json!({ "message": {} })), "message.content", "REQUIRED");
    bad(&CREATE_TICKET, &ticket_with(json!({ "message": { "content": "  " } })), "message.content", "REQUIRED");
    bad(&CREATE_TICKET, &ticket_with(json!({ "message": "hello" })), "message", "INVALID_TYPE");
}

fn attachment(url: &str) -> serde_json::Value {
    json!({ "url": url, "fileName": "a.png", "fileSize": 10, "type": "Image" })
}

#[test]
fn attachments_at_most_10_https_no_traversal() {
    let many = |n: usize| json!({ "message": { "content": "x", "attachments": (0..n).map(|_| attachment("https://bucket.example/a.png")).collect::<Vec<_>>() } });
    ok(&CREATE_TICKET, &ticket_with(many(10)));
    bad(&CREATE_TICKET, &ticket_with(many(11)), "message.attachments", "TOO_MANY");
    for wrong in [
        "http://bucket.example/a.png",
        "ftp://bucket.example/a.png",
        "bucket.example/a.png",
        "https://",
        "https://bucket.example/../secret",
        "https://bucket.example/a/%2e%2e/secret",
        "https://bucket.example/a/%252e%252e/secret",
        "https://bucket.example/a\\..\\b",
        "https://bucket.example\\",
        "https://cdn.mava.app\\..\\..\\admin",
        "https://bucket.example/a.png?x=\\y",
        "https://bucket.example/a/./b",
        "https://bucket.example/a b.png",
    ] {
        let input = ticket_with(json!({ "message": { "content": "x", "attachments": [attachment("https://ok.example/x"), attachment(wrong)] } }));
        bad(&CREATE_TICKET, &input, "message.attachments[1].url", "INVALID_ATTACHMENT_URL");
    }
    ok(&CREATE_TICKET, &ticket_with(json!({ "message": { "content": "x", "attachments": [attachment("HTTPS://bucket.example/a..b/c.png?x=../y")] } })));
    let no_name = json!({ "message": { "content": "x", "attachments": [{ "url": "https://b.example/a" }] } });
    bad(&CREATE_TICKET, &ticket_with(no_name), "message.attachments[0].fileName", "REQUIRED");
    let bad_type = json!({ "message": { "content": "x", "attachments": [{ "url": "https://b.example/a", "fileName": "a", "type": "image" }] } });
    bad(&CREATE_TICKET, &ticket_with(bad_type), "message.attachments[0].type", "INVALID_ENUM");
    let neg = json!({ "message": { "content": "x", "attachments": [{ "url": "https://b.example/a", "fileName": "a", "fileSize": -1 }] } });
    bad(&CREATE_TICKET, &ticket_with(neg), "message.attachments[0].fileSize", "OUT_OF_RANGE");
}

#[test]
fn unknown_fields_are_reported_with_their_path() {
    bad(&CREATE_TICKET, &ticket_with(json!({ "categoryId": ID2 })), "categoryId", "UNKNOWN_FIELD");
    bad(&CREATE_TICKET, &json!({ "customer": { "email": "a@example.com", "mail": "x" } }).to_string(), "customer.mail", "UNKNOWN_FIELD");
}

#[test]
fn null_is_not_silently_sent_for_optional_fields() {
    bad(&CREATE_TICKET, &ticket_with(json!({ "category": null })), "category", "INVALID_TYPE");
}

#[test]
fn all_issues_are_reported_at_once() {
    let input = json!({
        "customer": { "email": "bad", "walletAddress": "0x1" },
        "priority": 9, "status": "x", "tags": [1], "emailSubjectLine": rep("s", 999),
        "message": { "content": "" }
    });
    let found = codes(&CREATE_TICKET, &input.to_string());
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["customer.email", "customer.walletAddress", "status", "priority", "tags[0]", "emailSubjectLine", "message.content"], "{found:?}");
}

#[test]
fn input_must_be_an_object() {
    for input in ["[]", "\"x\"", "3"] {
        bad(&CREATE_TICKET, input, "", "INVALID_TYPE");
    }
}

#[test]
fn a_missing_input_is_named_as_missing() {
    // `createTicket()` and `createTicket(null)` both arrive as null: "(got null)" told a user who
    // passed nothing about a null they never wrote.
    bad(&CREATE_TICKET, "null", "", "REQUIRED");
    let list = mava_sdk::core::schema::validate(&CREATE_TICKET, &mava_sdk::core::value::Value::Null).into_list();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].message, "createTicket needs an input object (got none)");
}

// ---- updateTicket ----

#[test]
fn update_rules() {
    ok(&UPDATE_TICKET, &json!({ "ticketId": ID, "status": "Resolved" }).to_string());
    ok(&UPDATE_TICKET, &json!({ "ticketId": ID, "priority": 3, "categoryId": ID2, "assignedTo": ID2 }).to_string());
    ok(&UPDATE_TICKET, &json!({ "ticketId": ID, "assignedTo": null }).to_string());
    bad(&UPDATE_TICKET, &json!({ "status": "Open" }).to_string(), "ticketId", "REQUIRED");
    bad(&UPDATE_TICKET, &json!({ "ticketId": ID }).to_string(), "", "REQUIRED");
    bad(&UPDATE_TICKET, &json!({ "ticketId": ID, "status": "Done" }).to_string(), "status", "INVALID_ENUM");
    bad(&UPDATE_TICKET, &json!({ "ticketId": ID, "priority": 5 }).to_string(), "priority", "INVALID_ENUM");
    bad(&UPDATE_TICKET, &json!({ "ticketId": ID, "assignedTo": "me@example.com" }).to_string(), "assignedTo", "INVALID_OBJECT_ID");
    bad(&UPDATE_TICKET, &json!({ "ticketId": ID, "status": "Open", "category": ID2 }).to_string(), "category", "UNKNOWN_FIELD");
    // A bad id, an unknown field and nothing to change: three issues at once.
    assert_eq!(codes(&UPDATE_TICKET, &json!({ "ticketId": "x", "category": ID2 }).to_string()).len(), 3);
}

// ---- sendMessage ----

#[test]
fn send_message_rules() {
    ok(&SEND_MESSAGE, &json!({ "ticketId": ID, "content": "Hi" }).to_string());
    ok(&SEND_MESSAGE, &json!({ "ticketId": ID, "content": "note", "messageType": "InternalNote" }).to_string());
    let file = json!({ "fileName": "a.pdf", "url": "http://files.example/a.pdf", "fileType": "application/pdf" });
    ok(&SEND_MESSAGE, &json!({ "ticketId": ID, "attachments": [file] }).to_string());
    bad(&SEND_MESSAGE, &json!({ "ticketId": ID }).to_string(), "", "CONTENT_REQUIRED");
    bad(&SEND_MESSAGE, &json!({ "ticketId": ID, "content": " ", "attachments": [] }).to_string(), "", "CONTENT_REQUIRED");
    bad(&SEND_MESSAGE, &json!({ "ticketId": ID, "content": "x", "messageType": "Note" }).to_string(), "messageType", "INVALID_ENUM");
    bad(&SEND_MESSAGE, &json!({ "content": "x" }).to_string(), "ticketId", "REQUIRED");
    bad(&SEND_MESSAGE, &json!({ "ticketId": ID, "attachments": [{ "fileName": "a", "url": "https://x.example/a" }] }).to_string(), "attachments[0].fileType", "REQUIRED");
    bad(&SEND_MESSAGE, &json!({ "ticketId": ID, "attachments": [{ "fileName": "a", "url": "file:///etc/passwd", "fileType": "text/plain" }] }).to_string(), "attachments[0].url", "INVALID_URL");
}

// ---- identify ----

#[test]
fn identify_rules() {
    ok(&IDENTIFY, r#"{"emailAddress":"","mavaCustomerId":"","customAttributes":[{"label":"plan","value":"pro"}]}"#);
    ok(&IDENTIFY, &json!({ "mavaCustomerId": ID, "plaformUserId": "u-1" }).to_string());
    ok(&IDENTIFY, "{}");
    bad(&IDENTIFY, r#"{"emailAddress":"nope"}"#, "emailAddress", "INVALID_EMAIL");
    bad(&IDENTIFY, r#"{"mavaCustomerId":"123"}"#, "mavaCustomerId", "INVALID_OBJECT_ID");
    bad(&IDENTIFY, r#"{"customAttributes":[{"label":"plan"}]}"#, "customAttributes[0].value", "REQUIRED");
    bad(&IDENTIFY, r#"{"customAttributes":[{"label":"plan","value":3}]}"#, "customAttributes[0].value", "INVALID_TYPE");
    bad(&IDENTIFY, r#"{"platformUserId":"u-1"}"#, "platformUserId", "UNKNOWN_FIELD");
    let m = mava_sdk::core::schema::validate(&IDENTIFY, &value(r#"{"platformUserId":"u-1"}"#)).list;
    assert!(m[0].message.contains("plaformUserId"), "{}", m[0].message);
}

// ---- fetchTickets ----

fn range(start: &str, end: &str) -> String {
    json!({ "startDate": start, "endDate": end }).to_string()
}

#[test]
fn fetch_dates_required_and_iso() {
    ok(&FETCH_TICKETS, &range("2026-01-01", "2026-04-01"));
    ok(&FETCH_TICKETS, &range("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z"));
    ok(&FETCH_TICKETS, &range("2026-01-01T10:00+02:00", "2026-01-01T09:00Z"));
    bad(&FETCH_TICKETS, r#"{"startDate":"2026-01-01"}"#, "endDate", "MISSING_DATE_RANGE");
    bad(&FETCH_TICKETS, r#"{"endDate":"2026-01-01"}"#, "startDate", "MISSING_DATE_RANGE");
    assert_eq!(codes(&FETCH_TICKETS, "{}").len(), 2);
    for wrong in ["2026-13-01", "2026-02-30", "2026/01/01", "01.01.2026", "2026-01-01T10:00", "2026-01-01T25:00Z", "2026-01-01 10:00Z", "2026-01-01T10:00:00.1234567891Z", "2026-01-01Z", "yesterday"] {
        bad(&FETCH_TICKETS, &range(wrong, "2026-04-01"), "startDate", "INVALID_DATE_RANGE");
    }
    ok(&FETCH_TICKETS, &range("2024-02-29", "2024-03-01"));
}

#[test]
fn fetch_end_after_start() {
    bad(&FETCH_TICKETS, &range("2026-04-01", "2026-04-01"), "endDate", "INVALID_DATE_RANGE");
    bad(&FETCH_TICKETS, &range("2026-04-01", "2026-01-01"), "endDate", "INVALID_DATE_RANGE");
    // Same instant written in two zones.
    bad(&FETCH_TICKETS, &range("2026-01-01T12:00:00+02:00", "2026-01-01T10:00:00Z"), "endDate", "INVALID_DATE_RANGE");
}

#[test]
fn fetch_range_at_most_one_year() {
    ok(&FETCH_TICKETS, &range("2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"));
    bad(&FETCH_TICKETS, &range("2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.001Z"), "endDate", "INVALID_DATE_RANGE");
    ok(&FETCH_TICKETS, &range("2026-01-01", "2027-01-01"));
    bad(&FETCH_TICKETS, &range("2026-01-01", "2027-01-02"), "endDate", "INVALID_DATE_RANGE");
    // 29 February + 1 year is 1 March, as JavaScript's Date computes it.
    ok(&FETCH_TICKETS, &range("2024-02-29", "2025-03-01"));
    bad(&FETCH_TICKETS, &range("2024-02-29", "2025-03-01T00:00:00.001Z"), "endDate", "INVALID_DATE_RANGE");
    // A leap year is 366 days long.
    ok(&FETCH_TICKETS, &range("2024-01-01", "2025-01-01"));
}

#[test]
fn fetch_limit_and_skip() {
    let q = |k: &str, v: serde_json::Value| with(&range("2026-01-01", "2026-02-01"), k, v);
    for l in [1, 50, 100] {
        ok(&FETCH_TICKETS, &q("limit", json!(l)));
    }
    for l in [json!(0), json!(101), json!(-1), json!(10.5), json!("10")] {
        bad(&FETCH_TICKETS, &q("limit", l.clone()), "limit", "INVALID_LIMIT");
    }
    ok(&FETCH_TICKETS, &q("skip", json!(0)));
    ok(&FETCH_TICKETS, &q("skip", json!(1_000_000)));
    for s in [json!(-1), json!(1.5), json!("0")] {
        bad(&FETCH_TICKETS, &q("skip", s), "skip", "INVALID_SKIP");
    }
}

#[test]
fn fetch_filters_and_sort() {
    let q = |k: &str, v: serde_json::Value| with(&range("2026-01-01", "2026-02-01"), k, v);
    ok(&FETCH_TICKETS, &q("status", json!("Open")));
    ok(&FETCH_TICKETS, &q("status", json!(["Open", "Pending"])));
    bad(&FETCH_TICKETS, &q("status", json!(["Open", "Closed"])), "status[1]", "INVALID_ENUM");
    bad(&FETCH_TICKETS, &q("status", json!([])), "status", "REQUIRED");
    ok(&FETCH_TICKETS, &q("assignedTo", json!(["Unassigned", ID])));
    assert_eq!(codes(&FETCH_TICKETS, &q("assignedTo", json!("nobody")))[0].0, "assignedTo");
    ok(&FETCH_TICKETS, &q("category", json!([ID, ID2])));
    bad(&FETCH_TICKETS, &q("tags", json!("vip")), "tags", "INVALID_OBJECT_ID");
    ok(&FETCH_TICKETS, &q("csatValues", json!(["1", "5", "no-rating", 3])));
    assert_eq!(codes(&FETCH_TICKETS, &q("csatValues", json!("6")))[0].0, "csatValues");
    assert_eq!(codes(&FETCH_TICKETS, &q("csatValues", json!(0)))[0].0, "csatValues");
    for o in ["web", "discord", "telegram", "telegram-group", "email"] {
        ok(&FETCH_TICKETS, &q("origin", json!(o)));
    }
    bad(&FETCH_TICKETS, &q("origin", json!("twitter")), "origin", "INVALID_ENUM");
    for s in ["createdAt", "status", "priority", "sourceType", "assignedTo", "category", "resolutionTime"] {
        ok(&FETCH_TICKETS, &q("sortBy", json!(s)));
    }
    bad(&FETCH_TICKETS, &q("sortBy", json!("updatedAt")), "sortBy", "UNSUPPORTED_SORT_FIELD");
    ok(&FETCH_TICKETS, &q("sortOrder", json!("asc")));
    bad(&FETCH_TICKETS, &q("sortOrder", json!("ASC")), "sortOrder", "UNSUPPORTED_SORT_ORDER");
    ok(&FETCH_TICKETS, &q("includeMessages", json!(true)));
    bad(&FETCH_TICKETS, &q("includeMessages", json!("true")), "includeMessages", "INVALID_TYPE");
}
