//! mava-sdk: a typed, validated client for the Mava support-desk API and the Mavibot chatbot
//! API, compiled to WebAssembly for JavaScript runtimes.
//!
//! Data flows one way: JS input → [`core::value::Value`] → validation against the call's
//! description ([`core::schema`]) → request ([`core::request`]) → transport (`wasm`) → result
//! or error. `core`, `mava` and `mavibot` are plain Rust, tested natively; `wasm` is the only
//! module that touches JavaScript.

pub mod core;
pub mod mava;
pub mod mavibot;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
