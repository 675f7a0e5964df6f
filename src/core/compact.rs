//! The compiled form of a call description: a [`Ty`] tree is written out at compile time, by
//! `const fn`s, as one byte string, and the validation engine reads only those bytes. Trees of
//! `&'static` references cost the module about three times as much once gzipped (pointers don't
//! compress); the trees stay the readable source, and tools and tests (the TypeScript
//! generator, the fuzz tests) read them through [`Shape::tree`], which every build but the
//! package's (`--cfg mava_package`) keeps.
//!
//! Layout of one shape: a tag byte, then
//! - `STR` fmt, nonempty, max (u32) · `ENUM` count, then each option as a string ·
//!   `INT` min (i32), max (i32) · `INT_ENUM` count, then each value (i32) · `NUM` nonneg ·
//!   `BOOL` · `ID` · `ANY` · `OPAQUE` (nothing more);
//! - `OBJ` open, count, then each field: name (string), flags, code (string, empty for
//!   none), the length of its shape (u16), its shape — the object's own fields, then `more`;
//! - `MAP`, `ONE_OR_MANY`, `NULLABLE` the inner shape; `ARR` nonempty, max (u32), the item
//!   shape; `EITHER` the length of the first shape (u16), the first, the second.
//!
//! A string is its length (one byte) and its UTF-8 bytes; numbers are little-endian.
//! Limits (strings of 255 bytes, shapes of 64 KiB) are checked while compiling.
//!
//! An API's list of calls compiles the same way into a [`CallTable`] (`call_table!`): per call
//! its name and path (strings), method and repeat risk (a byte each), and its input shape
//! (sized, empty for none); the cross-field checks, functions, stay beside it in call order.

use super::schema::{Call, Check, Fmt, Method, Repeat, Spec, Ty};

const STR: u8 = 1;
const ENUM: u8 = 2;
const INT: u8 = 3;
const INT_ENUM: u8 = 4;
const NUM: u8 = 5;
const BOOL: u8 = 6;
const ID: u8 = 7;
const OBJ: u8 = 8;
const MAP: u8 = 9;
const ARR: u8 = 10;
const ONE_OR_MANY: u8 = 11;
const NULLABLE: u8 = 12;
const EITHER: u8 = 13;
const ANY: u8 = 14;
const OPAQUE: u8 = 15;

/// A compiled shape, and (but in the package) the tree it came from. Made by [`shape!`].
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    bytes: &'static [u8],
    #[cfg(not(mava_package))]
    tree: &'static Ty,
}

impl Shape {
    #[doc(hidden)]
    pub const fn new(bytes: &'static [u8], tree: &'static Ty) -> Shape {
        #[cfg(mava_package)]
        let _ = tree;
        Shape {
            bytes,
            #[cfg(not(mava_package))]
            tree,
        }
    }

    /// The encoded shape the engine reads.
    pub fn enc(self) -> Enc {
        Enc(self.bytes)
    }

    /// The description this was compiled from (not in the package's module).
    #[cfg(not(mava_package))]
    pub fn tree(self) -> &'static Ty {
        self.tree
    }
}

/// `shape!(TY)`: the [`Shape`] of a [`Ty`] expression, compiled while compiling.
#[macro_export]
macro_rules! shape {
    ($ty:expr) => {{
        const TREE: &$crate::core::schema::Ty = &$ty;
        const LEN: usize = $crate::core::compact::encoded_len(TREE);
        const BYTES: [u8; LEN] = $crate::core::compact::encode::<LEN>(TREE);
        $crate::core::compact::Shape::new(&BYTES, TREE)
    }};
}

/// An API's calls compiled for the engine (layout above). Made by [`call_table!`].
pub struct CallTable {
    bytes: &'static [u8],
    checks: &'static [Option<Check>],
}

/// `call_table!(CALLS)`: the [`CallTable`] of a `&[&Call]` constant, compiled while compiling.
#[macro_export]
macro_rules! call_table {
    ($calls:expr) => {{
        const LIST: &[&$crate::core::schema::Call] = $calls;
        const LEN: usize = $crate::core::compact::table_len(LIST);
        const BYTES: [u8; LEN] = $crate::core::compact::table::<LEN>(LIST);
        const N: usize = LIST.len();
        const CHECKS: [Option<$crate::core::schema::Check>; N] = $crate::core::compact::checks::<N>(LIST);
        $crate::core::compact::CallTable::new(&BYTES, &CHECKS)
    }};
}

impl CallTable {
    #[doc(hidden)]
    pub const fn new(bytes: &'static [u8], checks: &'static [Option<Check>]) -> CallTable {
        CallTable { bytes, checks }
    }

    /// The calls, in order.
    pub fn iter(&self) -> impl Iterator<Item = Spec> + '_ {
        let enc = Enc(self.bytes);
        let mut at = 0;
        self.checks.iter().map(move |&check| {
            let (name, next) = enc.str(at);
            let (path, next) = enc.str(next);
            let method = match enc.byte(next) {
                0 => Method::Get,
                1 => Method::Post,
                _ => Method::Put,
            };
            let repeat = match enc.byte(next + 1) {
                0 => Repeat::Safe,
                1 => Repeat::Creates,
                _ => Repeat::CreatesAtomically,
            };
            let (input, next) = enc.sized(next + 2);
            at = next;
            Spec { name, path, method, input: (!input.0.is_empty()).then_some(input), check, repeat }
        })
    }

    /// Call number `i`.
    pub fn get(&self, i: usize) -> Option<Spec> {
        self.iter().nth(i)
    }
}

// ------------------------------------------------------------------ writing (compile time)

#[doc(hidden)]
pub const fn table_len(calls: &[&Call]) -> usize {
    write_calls(calls, &mut [])
}

#[doc(hidden)]
pub const fn table<const N: usize>(calls: &[&Call]) -> [u8; N] {
    let mut out = [0u8; N];
    assert!(write_calls(calls, &mut out) == N, "table: wrong length");
    out
}

#[doc(hidden)]
pub const fn checks<const N: usize>(calls: &[&Call]) -> [Option<Check>; N] {
    let mut out = [None; N];
    let mut i = 0;
    while i < N {
        out[i] = calls[i].check;
        i += 1;
    }
    out
}

const fn write_calls(calls: &[&Call], out: &mut [u8]) -> usize {
    let mut at = 0;
    let mut i = 0;
    while i < calls.len() {
        let c = calls[i];
        at = put_str(out, at, c.name);
        at = put_str(out, at, c.path);
        at = put(out, at, match c.method {
            Method::Get => 0,
            Method::Post => 1,
            Method::Put => 2,
        });
        at = put(out, at, match c.repeat {
            Repeat::Safe => 0,
            Repeat::Creates => 1,
            Repeat::CreatesAtomically => 2,
        });
        let input: &[u8] = match c.input {
            Some(shape) => shape.bytes,
            None => &[],
        };
        at = put_u16(out, at, input.len());
        let mut k = 0;
        while k < input.len() {
            at = put(out, at, input[k]);
            k += 1;
        }
        i += 1;
    }
    at
}


/// The length of `t`'s encoding.
pub const fn encoded_len(t: &Ty) -> usize {
    write(t, &mut [], 0)
}

/// `t`'s encoding; `N` must be [`encoded_len`].
pub const fn encode<const N: usize>(t: &Ty) -> [u8; N] {
    let mut out = [0u8; N];
    assert!(write(t, &mut out, 0) == N, "encode: wrong length");
    out
}

/// Writes `b` at `at` if `out` is long enough (a counting pass passes an empty `out`).
const fn put(out: &mut [u8], at: usize, b: u8) -> usize {
    if at < out.len() {
        out[at] = b;
    }
    at + 1
}

const fn put_u16(out: &mut [u8], at: usize, n: usize) -> usize {
    assert!(n <= 0xFFFF, "a shape longer than 64 KiB");
    let at = put(out, at, n as u8);
    put(out, at, (n >> 8) as u8)
}

const fn put_u32(out: &mut [u8], mut at: usize, n: u32) -> usize {
    let b = n.to_le_bytes();
    let mut i = 0;
    while i < 4 {
        at = put(out, at, b[i]);
        i += 1;
    }
    at
}

const fn put_str(out: &mut [u8], mut at: usize, s: &str) -> usize {
    let b = s.as_bytes();
    assert!(b.len() <= 255, "a name longer than 255 bytes");
    at = put(out, at, b.len() as u8);
    let mut i = 0;
    while i < b.len() {
        at = put(out, at, b[i]);
        i += 1;
    }
    at
}

/// A shape preceded by its length, so that a reader can step over it.
const fn put_sized(out: &mut [u8], at: usize, t: &Ty) -> usize {
    let at = put_u16(out, at, encoded_len(t));
    write(t, out, at)
}

const fn write(t: &Ty, out: &mut [u8], at: usize) -> usize {
    match t {
        Ty::Str { fmt, max, nonempty } => {
            let at = put(out, at, STR);
            let at = put(out, at, *fmt as u8);
            let at = put(out, at, *nonempty as u8);
            put_u32(out, at, *max)
        }
        Ty::Enum(options) => {
            assert!(options.len() <= 255, "an enum of more than 255 options");
            let at = put(out, at, ENUM);
            let mut at = put(out, at, options.len() as u8);
            let mut i = 0;
            while i < options.len() {
                at = put_str(out, at, options[i]);
                i += 1;
            }
            at
        }
        Ty::Int { min, max } => {
            let at = put(out, at, INT);
            let at = put_u32(out, at, *min as u32);
            put_u32(out, at, *max as u32)
        }
        Ty::IntEnum(options) => {
            assert!(options.len() <= 255, "an enum of more than 255 options");
            let at = put(out, at, INT_ENUM);
            let mut at = put(out, at, options.len() as u8);
            let mut i = 0;
            while i < options.len() {
                at = put_u32(out, at, options[i] as u32);
                i += 1;
            }
            at
        }
        Ty::Num { nonneg } => {
            let at = put(out, at, NUM);
            put(out, at, *nonneg as u8)
        }
        Ty::Bool => put(out, at, BOOL),
        Ty::Id => put(out, at, ID),
        Ty::Obj(o) => {
            let count = o.fields.len() + o.more.len();
            assert!(count <= 255, "an object of more than 255 fields");
            let at = put(out, at, OBJ);
            let at = put(out, at, o.open as u8);
            let mut at = put(out, at, count as u8);
            let mut i = 0;
            while i < count {
                let f = if i < o.fields.len() { &o.fields[i] } else { &o.more[i - o.fields.len()] };
                at = put_str(out, at, f.name);
                at = put(out, at, f.flags);
                at = put_str(out, at, match f.code {
                    Some(c) => c,
                    None => "",
                });
                at = put_sized(out, at, f.ty);
                i += 1;
            }
            at
        }
        Ty::Map(inner) => {
            let at = put(out, at, MAP);
            write(inner, out, at)
        }
        Ty::Arr { item, max, nonempty } => {
            let at = put(out, at, ARR);
            let at = put(out, at, *nonempty as u8);
            let at = put_u32(out, at, *max);
            write(item, out, at)
        }
        Ty::OneOrMany(inner) => {
            let at = put(out, at, ONE_OR_MANY);
            write(inner, out, at)
        }
        Ty::Nullable(inner) => {
            let at = put(out, at, NULLABLE);
            write(inner, out, at)
        }
        Ty::Either(a, b) => {
            let at = put(out, at, EITHER);
            let at = put_sized(out, at, a);
            write(b, out, at)
        }
        Ty::Any => put(out, at, ANY),
        Ty::Opaque => put(out, at, OPAQUE),
    }
}

// ------------------------------------------------------------------ reading (run time)

/// One encoded shape. Reading never panics: a byte past the end reads as 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Enc(&'static [u8]);

/// What an encoded shape says, one level deep; the mirror of [`Ty`].
pub enum Node {
    Str { fmt: Fmt, max: u32, nonempty: bool },
    Enum(Strs),
    Int { min: i32, max: i32 },
    IntEnum(Ints),
    Num { nonneg: bool },
    Bool,
    Id,
    Obj { open: bool, fields: Fields },
    Map(Enc),
    Arr { item: Enc, max: u32, nonempty: bool },
    OneOrMany(Enc),
    Nullable(Enc),
    Either(Enc, Enc),
    Any,
    Opaque,
}

/// One field of an object shape.
pub struct FieldView {
    pub name: &'static str,
    pub flags: u8,
    /// The API's own code for any failure of this field.
    pub code: Option<&'static str>,
    pub ty: Enc,
}

const FMTS: [Fmt; 11] = [
    Fmt::Any,
    Fmt::ObjectId,
    Fmt::Email,
    Fmt::Wallet,
    Fmt::HttpsUrl,
    Fmt::Url,
    Fmt::Iso8601,
    Fmt::DateDmy,
    Fmt::LocalDateTime,
    Fmt::NoQuotes,
    Fmt::Name,
];

impl Enc {
    fn byte(self, i: usize) -> u8 {
        self.0.get(i).copied().unwrap_or(0)
    }

    fn u16(self, i: usize) -> usize {
        usize::from(self.byte(i)) | usize::from(self.byte(i + 1)) << 8
    }

    fn u32(self, i: usize) -> u32 {
        u32::from_le_bytes([self.byte(i), self.byte(i + 1), self.byte(i + 2), self.byte(i + 3)])
    }

    fn from(self, i: usize) -> Enc {
        Enc(self.0.get(i..).unwrap_or_default())
    }

    /// The string at `i` and where the next item starts.
    fn str(self, i: usize) -> (&'static str, usize) {
        let end = i + 1 + usize::from(self.byte(i));
        let bytes = self.0.get(i + 1..end).unwrap_or_default();
        debug_assert!(core::str::from_utf8(bytes).is_ok(), "a string read off its layout");
        // SAFETY: these bytes are never input: `write` copied them, at compile time, from one
        // whole `&str` (≤ 255 bytes, so its length byte is exact), and the reader finds them
        // at the offsets `write` used. `tests/compact.rs` reads back every shape the crate
        // compiles (with the check above) and compares it with the tree it came from.
        (unsafe { core::str::from_utf8_unchecked(bytes) }, end)
    }

    /// The sized shape at `i` and where the next item starts.
    fn sized(self, i: usize) -> (Enc, usize) {
        let end = i + 2 + self.u16(i);
        (Enc(self.0.get(i + 2..end).unwrap_or_default()), end)
    }

    pub fn node(self) -> Node {
        match self.byte(0) {
            STR => Node::Str { fmt: FMTS.get(usize::from(self.byte(1))).copied().unwrap_or(Fmt::Any), nonempty: self.byte(2) != 0, max: self.u32(3) },
            ENUM => Node::Enum(Strs { enc: self, at: 2, left: self.byte(1) }),
            INT => Node::Int { min: self.u32(1) as i32, max: self.u32(5) as i32 },
            INT_ENUM => Node::IntEnum(Ints { enc: self, at: 2, left: self.byte(1) }),
            NUM => Node::Num { nonneg: self.byte(1) != 0 },
            BOOL => Node::Bool,
            ID => Node::Id,
            OBJ => Node::Obj { open: self.byte(1) != 0, fields: Fields { enc: self, at: 3, left: self.byte(2) } },
            MAP => Node::Map(self.from(1)),
            ARR => Node::Arr { nonempty: self.byte(1) != 0, max: self.u32(2), item: self.from(6) },
            ONE_OR_MANY => Node::OneOrMany(self.from(1)),
            NULLABLE => Node::Nullable(self.from(1)),
            EITHER => {
                let (a, next) = self.sized(1);
                Node::Either(a, self.from(next))
            }
            ANY => Node::Any,
            _ => Node::Opaque,
        }
    }

    /// The fields of an object shape (none for any other).
    pub fn fields(self) -> Fields {
        match self.node() {
            Node::Obj { fields, .. } => fields,
            _ => Fields { enc: self, at: 0, left: 0 },
        }
    }

    /// The field `name` of an object shape.
    pub fn field(self, name: &str) -> Option<FieldView> {
        self.fields().find(|f| f.name == name)
    }
}

/// The options of an `ENUM`.
#[derive(Clone)]
pub struct Strs {
    enc: Enc,
    at: usize,
    left: u8,
}

impl Iterator for Strs {
    type Item = &'static str;
    fn next(&mut self) -> Option<&'static str> {
        self.left = self.left.checked_sub(1)?;
        let (s, next) = self.enc.str(self.at);
        self.at = next;
        Some(s)
    }
}

/// The values of an `INT_ENUM`.
#[derive(Clone)]
pub struct Ints {
    enc: Enc,
    at: usize,
    left: u8,
}

impl Iterator for Ints {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        self.left = self.left.checked_sub(1)?;
        let n = self.enc.u32(self.at) as i32;
        self.at += 4;
        Some(n)
    }
}

/// The fields of an `OBJ`, in order.
#[derive(Clone)]
pub struct Fields {
    enc: Enc,
    at: usize,
    left: u8,
}

impl Iterator for Fields {
    type Item = FieldView;
    fn next(&mut self) -> Option<FieldView> {
        self.left = self.left.checked_sub(1)?;
        let (name, at) = self.enc.str(self.at);
        let flags = self.enc.byte(at);
        let (code, at) = self.enc.str(at + 1);
        let (ty, next) = self.enc.sized(at);
        self.at = next;
        Some(FieldView { name, flags, code: (!code.is_empty()).then_some(code), ty })
    }
}
