//! mava-sdk: a typed, validated client for the Mava support-desk API and the Mavibot chatbot
//! API, compiled to WebAssembly for JavaScript runtimes.
//!
//! Data flows one way: JS input → [`core::value::Value`] → validation against the call's
//! description ([`core::schema`]) → request ([`core::request`]) → transport (`wasm`) → result
//! or error. `core`, `mava` and `mavibot` are plain Rust, tested natively; `wasm` is the only
//! module that touches JavaScript.

// The npm package's module (scripts/build.mjs passes `--cfg mava_package`) goes without std:
// a panic traps instead of formatting a message, which keeps std's panic and formatting code
// out. No panic is reachable from JavaScript input (the fuzz tests check); tests use std.
#![cfg_attr(mava_package, no_std)]

extern crate alloc;

#[cfg(mava_package)]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}

/// What std's prelude gives and `no_std` does not: `use crate::prelude::*` where needed.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    pub use alloc::{format, vec};
}

pub mod core;
pub mod mava;
pub mod mavibot;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
