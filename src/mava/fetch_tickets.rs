//! `GET /api/tickets`: one page of the ticket export, with filters (A.8). Array filters are
//! sent as repeated keys. Codes are the API's own (`INVALID_LIMIT`, `MISSING_DATE_RANGE` …).

use super::tickets::STATUSES;
use crate::core::format::{add_one_year, parse_iso8601};
use crate::core::issue::{code, Issues};
use crate::core::schema::*;
use crate::core::value::Value;

const DATE: Ty = Ty::Str { fmt: Fmt::Iso8601, max: 0, nonempty: true };
const AGENT_FILTER: Ty = Ty::Either(&OBJECT_ID, &Ty::Enum(&["Unassigned"]));
const CSAT: Ty = Ty::Either(&Ty::Enum(&["1", "2", "3", "4", "5", "no-rating"]), &Ty::IntEnum(&[1, 2, 3, 4, 5]));

pub const SORT_FIELDS: &[&str] = &["createdAt", "status", "priority", "sourceType", "assignedTo", "category", "resolutionTime"];

pub const FETCH_TICKETS: Call = Call {
    name: "fetchTickets",
    path: "/api/tickets",
    method: Method::Get,
    input: Some(&Ty::Obj(&Object {
        fields: &[
            // A missing date is reported by `check_dates` with MISSING_DATE_RANGE.
            Field::coded("startDate", &DATE, REQ_BY_CHECK, code::INVALID_DATE_RANGE),
            Field::coded("endDate", &DATE, REQ_BY_CHECK, code::INVALID_DATE_RANGE),
            Field::coded("limit", &Ty::Int { min: 1, max: 100 }, 0, code::INVALID_LIMIT),
            Field::coded("skip", &Ty::Int { min: 0, max: i32::MAX }, 0, code::INVALID_SKIP),
            Field::new("status", &Ty::OneOrMany(&Ty::Enum(STATUSES)), 0),
            Field::new("assignedTo", &Ty::OneOrMany(&AGENT_FILTER), 0),
            Field::new("category", &Ty::OneOrMany(&OBJECT_ID), 0),
            Field::new("tags", &Ty::OneOrMany(&OBJECT_ID), 0),
            Field::new("csatValues", &Ty::OneOrMany(&CSAT), 0),
            Field::new("origin", &Ty::OneOrMany(&Ty::Enum(&["web", "discord", "telegram", "telegram-group", "email"])), 0),
            Field::coded("sortBy", &Ty::Enum(SORT_FIELDS), 0, code::UNSUPPORTED_SORT_FIELD),
            Field::coded("sortOrder", &Ty::Enum(&["asc", "desc"]), 0, code::UNSUPPORTED_SORT_ORDER),
            Field::new("includeMessages", &Ty::Bool, 0),
        ],
        open: false,
        more: &[],
    })),
    check: Some(check_dates),
    repeat: Repeat::Safe,
};

/// Both dates present, `endDate` (exclusive) after `startDate`, and at most one calendar year
/// apart: `endDate <= startDate + 1 year`.
fn check_dates(input: &Value, issues: &mut Issues) {
    for key in ["startDate", "endDate"] {
        if !input.has(key) {
            issues.push(key, code::MISSING_DATE_RANGE, "is required");
        }
    }
    let parse = |k| input.get(k).and_then(Value::as_str).and_then(|s| parse_iso8601(s).ok());
    if let (Some(start), Some(end)) = (parse("startDate"), parse("endDate")) {
        if end <= start {
            issues.push("endDate", code::INVALID_DATE_RANGE, "must be after startDate");
        } else if end > add_one_year(start) {
            issues.push("endDate", code::INVALID_DATE_RANGE, "must be at most one year after startDate");
        }
    }
}
