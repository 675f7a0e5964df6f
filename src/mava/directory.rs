//! The organisation's directory: `GET /api/categories` (A.3) and `GET /api/agents` (A.4).

use crate::core::schema::{Call, Method, Repeat};

pub const GET_CATEGORIES: Call = Call {
    name: "getCategories",
    path: "/api/categories",
    method: Method::Get,
    input: None,
    check: None,
    repeat: Repeat::Safe,
};

/// The Get Agents page prints `GET /api/categories` by mistake and other pages say
/// `GET /agents`; `/api/agents` follows every other endpoint (api-reference A.12.3).
pub const GET_AGENTS: Call = Call {
    name: "getAgents",
    path: "/api/agents",
    method: Method::Get,
    input: None,
    check: None,
    repeat: Repeat::Safe,
};
