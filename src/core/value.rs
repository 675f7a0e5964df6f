//! The input model: a JSON-shaped value. At the wasm boundary it is deserialized from a
//! JavaScript value by serde-wasm-bindgen (`wasm::convert`), in native tests from JSON text by
//! serde_json: one [`Deserialize`] impl serves both. Validation and request building work on
//! this type only, so every rule runs natively under `cargo test`.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// How deep an input may nest (the top level is depth 0). Deeper values — or values that refer
/// to themselves — are refused with an issue rather than walked.
pub const MAX_DEPTH: u32 = 64;

/// A JSON-compatible value. Numbers keep their text for request bodies and query strings: the
/// shortest that reads back as the same number (`0.1`, `20`; very large or small numbers are
/// written out in full where JavaScript would use an exponent, the same number either way).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64, String),
    Str(String),
    /// A `Date`, as its ISO 8601 text (what `JSON.stringify` sends): a string wherever one is
    /// expected, and named as a Date where it isn't.
    Date(String),
    Arr(Vec<Value>),
    /// Keys in insertion order, as `Object.keys` gives them.
    Obj(Vec<(String, Value)>),
    /// Something JSON cannot carry, or that could not be read; validation reports it.
    Other(Odd),
}

/// What an input held that is not JSON, or could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Odd {
    Function,
    Symbol,
    BigInt,
    /// `NaN` or an infinity.
    NonFinite,
    InvalidDate,
    /// Reading it threw: a getter, a proxy trap, a revoked proxy.
    Unreadable,
    /// A string holding a lone UTF-16 surrogate: it has no UTF-8 form, so it can't be sent as
    /// given (it would arrive as U+FFFD, a different text than the one validated).
    LoneSurrogate,
    /// Nested deeper than [`MAX_DEPTH`], or refers to itself.
    TooDeep,
    /// An array longer than the wasm layer reads (`wasm::convert::MAX_ITEMS`).
    TooLong,
    /// Any other value JSON can't carry.
    Unsupported,
}

impl Odd {
    pub const ALL: [Odd; 10] = [
        Odd::Function,
        Odd::Symbol,
        Odd::BigInt,
        Odd::NonFinite,
        Odd::InvalidDate,
        Odd::Unreadable,
        Odd::LoneSurrogate,
        Odd::TooDeep,
        Odd::TooLong,
        Odd::Unsupported,
    ];

    /// What it was, for issue messages ("must be a string (got a function)").
    pub fn describe(self) -> &'static str {
        match self {
            Odd::Function => "a function",
            Odd::Symbol => "a symbol",
            Odd::BigInt => "a bigint",
            Odd::NonFinite => "a non-finite number",
            Odd::InvalidDate => "an invalid Date",
            Odd::Unreadable => "a value that throws when read",
            Odd::LoneSurrogate => "a string with a lone surrogate",
            Odd::TooDeep => "a value nested too deeply",
            Odd::TooLong => "an array of over a million items",
            Odd::Unsupported => "an unsupported value",
        }
    }

    /// The number a marker carries across the boundary (see [`MARK`]).
    pub fn index(self) -> u8 {
        Odd::ALL.iter().position(|o| *o == self).unwrap_or(Odd::ALL.len() - 1) as u8
    }

    pub fn from_index(i: u64) -> Odd {
        usize::try_from(i).ok().and_then(|i| Odd::ALL.get(i)).copied().unwrap_or(Odd::Unsupported)
    }
}

/// The key of a marker object `{ "\0mava:odd": <index> }`: how the wasm layer's reader hands a
/// value JSON can't carry to this deserializer, in place of the value; `{ "\0mava:odd": "<ISO
/// text>" }` stands for a `Date`.
pub const MARK: &str = "\0mava:odd";

impl Value {
    /// The value of `key` in an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True when `key` is present and not `null`.
    pub fn has(&self, key: &str) -> bool {
        !matches!(self.get(key), None | Some(Value::Null))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Date(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n, _) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// The JSON type name used in issue messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Num(..) => "number",
            Value::Str(_) => "string",
            Value::Date(_) => "a Date",
            Value::Arr(_) => "array",
            Value::Obj(_) => "object",
            Value::Other(odd) => odd.describe(),
        }
    }

    /// A number and its shortest text; non-finite numbers are not JSON.
    pub fn num(n: f64) -> Value {
        if n.is_finite() {
            // `-0` is `0` in JSON, as JavaScript writes it.
            Value::Num(n, if n == 0.0 { "0".into() } else { n.to_string() })
        } else {
            Value::Other(Odd::NonFinite)
        }
    }

    pub fn str(s: &str) -> Value {
        Value::Str(s.into())
    }

    /// Every string in the value (object keys included) with `f` applied.
    pub fn map_strings(&self, f: &impl Fn(&str) -> String) -> Value {
        match self {
            Value::Str(s) => Value::Str(f(s)),
            Value::Date(s) => Value::Date(f(s)),
            Value::Arr(items) => Value::Arr(items.iter().map(|v| v.map_strings(f)).collect()),
            Value::Obj(entries) => Value::Obj(entries.iter().map(|(k, v)| (f(k), v.map_strings(f))).collect()),
            other => other.clone(),
        }
    }

    /// Whether any string in the value (object keys included) satisfies `f`.
    pub fn any_string(&self, f: &impl Fn(&str) -> bool) -> bool {
        match self {
            Value::Str(s) | Value::Date(s) => f(s),
            Value::Arr(items) => items.iter().any(|v| v.any_string(f)),
            Value::Obj(entries) => entries.iter().any(|(k, v)| f(k) || v.any_string(f)),
            _ => false,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        Seed { depth: 0 }.deserialize(d)
    }
}

/// Deserializes one value at `depth`: deeper than [`MAX_DEPTH`] it is skipped (without being
/// walked) and becomes `Other(TooDeep)`, so no input can exhaust the stack.
#[derive(Clone, Copy)]
struct Seed {
    depth: u32,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed {
    fn inner(self) -> Option<Seed> {
        (self.depth < MAX_DEPTH).then_some(Seed { depth: self.depth + 1 })
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Num(n as f64, n.to_string()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Num(n as f64, n.to_string()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::num(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.into()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let Some(inner) = self.inner() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Value::Other(Odd::TooDeep));
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(Value::Arr(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(inner) = self.inner() else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Value::Other(Odd::TooDeep));
        };
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.is_empty() && key == MARK {
                let marked = map.next_value::<Marked>()?;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(marked.0);
            }
            let value = map.next_value_seed(inner)?;
            entries.push((key, value));
        }
        Ok(Value::Obj(entries))
    }
}

/// What a marker stands for: an `Odd` by its index, or a `Date` by its text.
struct Marked(Value);

impl<'de> serde::Deserialize<'de> for Marked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Marked, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Marked;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a marker's index or date")
            }
            fn visit_u64<E>(self, i: u64) -> Result<Marked, E> {
                Ok(Marked(Value::Other(Odd::from_index(i))))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Marked, E> {
                Ok(Marked(Value::Other(Odd::from_index(u64::try_from(i).unwrap_or(u64::MAX)))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Marked, E> {
                Ok(Marked(Value::Date(s.into())))
            }
        }
        d.deserialize_any(V)
    }
}

/// As JSON: what is not JSON (`Other`) becomes `null`, as `JSON.stringify` writes it.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Other(_) => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Num(n, _) => s.serialize_f64(*n),
            Value::Str(text) | Value::Date(text) => s.serialize_str(text),
            Value::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A `Value` read as a serde data source: the typed options (`core::options`) are derived
/// `Deserialize` structs read from the input once it has passed its checks.
impl<'de> Deserializer<'de> for &'de Value {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Null | Value::Other(_) => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            // Integers as integers, so integer fields accept them.
            Value::Num(n, _) if n.fract() == 0.0 && *n >= 0.0 && *n < 1.8e19 => v.visit_u64(*n as u64),
            Value::Num(n, _) if n.fract() == 0.0 && *n < 0.0 && *n >= -9.2e18 => v.visit_i64(*n as i64),
            Value::Num(n, _) => v.visit_f64(*n),
            Value::Str(s) | Value::Date(s) => v.visit_borrowed_str(s),
            Value::Arr(items) => v.visit_seq(serde::de::value::SeqDeserializer::new(items.iter())),
            Value::Obj(entries) => v.visit_map(serde::de::value::MapDeserializer::new(entries.iter().map(|(k, x)| (k.as_str(), x)))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    /// Enums are unit variants named by a string (`"POST"`).
    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], v: V) -> Result<V::Value, Self::Error> {
        match self {
            Value::Str(s) => v.visit_enum(serde::de::IntoDeserializer::into_deserializer(s.as_str())),
            _ => Err(serde::de::Error::invalid_type(serde::de::Unexpected::Other(self.type_name()), &"a string")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de> serde::de::IntoDeserializer<'de, serde::de::value::Error> for &'de Value {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}
