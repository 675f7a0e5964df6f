//! Target-independent logic: no wasm-bindgen types here, everything is tested with plain
//! `cargo test`. Input model, validation engine, request building, response reading.

pub mod codec;
pub mod format;
pub mod issue;
pub mod options;
pub mod paging;
pub mod ratelimit;
pub mod request;
pub mod response;
pub mod retry;
pub mod schema;
pub mod secret;
pub mod value;
