//! Every compiled shape read back: the engine reads call descriptions only in their compiled
//! form (`core::compact`), so each shape the crate ships is decoded here and compared, node
//! by node, with the tree it was compiled from.

use mava_sdk::core::compact::{Enc, Node};
use mava_sdk::core::options;
use mava_sdk::core::schema::{Shape, Ty};
use mava_sdk::{mava, mavibot};

/// A tree, written out in full.
fn tree(t: &Ty) -> String {
    match t {
        Ty::Str { fmt, max, nonempty } => format!("str({fmt:?},{max},{nonempty})"),
        Ty::Enum(o) => format!("enum{o:?}"),
        Ty::Int { min, max } => format!("int({min},{max})"),
        Ty::IntEnum(o) => format!("ints{o:?}"),
        Ty::Num { nonneg } => format!("num({nonneg})"),
        Ty::Bool => "bool".into(),
        Ty::Id => "id".into(),
        Ty::Obj(o) => {
            let fields: Vec<String> =
                o.fields.iter().chain(o.more).map(|f| format!("{}/{}/{:?}:{}", f.name, f.flags, f.code, tree(f.ty))).collect();
            format!("obj({},{{{}}})", o.open, fields.join(","))
        }
        Ty::Map(i) => format!("map({})", tree(i)),
        Ty::Arr { item, max, nonempty } => format!("arr({},{max},{nonempty})", tree(item)),
        Ty::OneOrMany(i) => format!("many({})", tree(i)),
        Ty::Nullable(i) => format!("null({})", tree(i)),
        Ty::Either(a, b) => format!("either({},{})", tree(a), tree(b)),
        Ty::Any => "any".into(),
        Ty::Opaque => "opaque".into(),
    }
}

/// The same, read from the bytes.
fn read(e: Enc) -> String {
    match e.node() {
        Node::Str { fmt, max, nonempty } => format!("str({fmt:?},{max},{nonempty})"),
        Node::Enum(o) => format!("enum{:?}", o.collect::<Vec<_>>()),
        Node::Int { min, max } => format!("int({min},{max})"),
        Node::IntEnum(o) => format!("ints{:?}", o.collect::<Vec<_>>()),
        Node::Num { nonneg } => format!("num({nonneg})"),
        Node::Bool => "bool".into(),
        Node::Id => "id".into(),
        Node::Obj { open, fields } => {
            let fields: Vec<String> = fields.map(|f| format!("{}/{}/{:?}:{}", f.name, f.flags, f.code, read(f.ty))).collect();
            format!("obj({open},{{{}}})", fields.join(","))
        }
        Node::Map(i) => format!("map({})", read(i)),
        Node::Arr { item, max, nonempty } => format!("arr({},{max},{nonempty})", read(item)),
        Node::OneOrMany(i) => format!("many({})", read(i)),
        Node::Nullable(i) => format!("null({})", read(i)),
        Node::Either(a, b) => format!("either({},{})", read(a), read(b)),
        Node::Any => "any".into(),
        Node::Opaque => "opaque".into(),
    }
}

fn same(what: &str, s: Shape) {
    assert_eq!(read(s.enc()), tree(s.tree()), "{what}");
}

#[test]
fn every_shape_reads_back_as_its_tree() {
    let mut n = 0;
    for c in mava::CALLS.iter().chain(mavibot::CALLS).copied().chain([&mavibot::ANY_ACTION]) {
        if let Some(s) = c.input {
            same(c.name, s);
            n += 1;
        }
    }
    for (what, s) in [("client options", options::CLIENT), ("call options", options::CALL), ("action", mavibot::ACTION_NAME), ("webhook", mavibot::WEBHOOK)] {
        same(what, s);
        n += 1;
    }
    assert!(n >= 45, "only {n} shapes");
}

#[test]
fn every_call_table_reads_back_as_its_calls() {
    for (what, table, calls) in [("mava", &mava::TABLE, mava::CALLS), ("mavibot", &mavibot::TABLE, mavibot::CALLS)] {
        let read: Vec<_> = table.iter().collect();
        assert_eq!(read.len(), calls.len(), "{what}");
        for (spec, call) in read.iter().zip(calls) {
            assert_eq!((spec.name, spec.path, spec.method, spec.repeat), (call.name, call.path, call.method, call.repeat), "{what}");
            assert_eq!(spec.input, call.input.map(Shape::enc), "{}", call.name);
            assert_eq!(spec.check.map(|f| f as usize), call.check.map(|f| f as usize), "{}", call.name);
        }
        assert!(table.get(calls.len()).is_none());
    }
}
