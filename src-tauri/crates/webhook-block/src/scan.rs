//! Reading only what a block needs from a request body.
//!
//! Building a `serde_json::Value` of a whole 10 KiB body costs about eight times more than
//! checking its syntax, and a block reads a handful of values from it. The [`Scanner`] is a trie
//! of the block's paths: one pass over the bytes validates all of the JSON, keeps the values on
//! those paths, and skips everything else without allocating.
//!
//! The fast path only ever answers the common case, where every path is found. Anything else
//! (a miss, a duplicate key on a mapped path, a body that is not an object) is handed back so
//! the caller parses the body whole and explains it with the same words as always: the scanner
//! can make an answer faster, never different.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::path::{DataPath, Step};

/// The paths of one block, as a trie.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    nodes: Vec<Node>,
    targets: Vec<Target>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    // Sorted by name. A node has a handful of children while a body has many keys that match
    // none of them: a binary search rejects those faster than hashing each key.
    names: Vec<(String, usize)>,
    indices: Vec<(u64, usize)>,
    /// Keep this node's whole value: a path ends here, or goes on in a way only a parsed value
    /// can answer (a negative index needs the list's length).
    capture: bool,
}

#[derive(Debug, Clone)]
struct Target {
    /// The node whose captured value holds this path's value.
    node: usize,
    /// What is left of the path below that node.
    rest: Vec<Step>,
}

/// The values found by one scan.
#[derive(Debug)]
pub struct Scanned {
    captures: Vec<Option<Value>>,
    ambiguous: bool,
}

impl Scanner {
    /// A scanner for `paths`; [`Scanned::get`] takes their position in this list.
    pub fn new<'p>(paths: impl IntoIterator<Item = &'p DataPath>) -> Self {
        let mut scanner = Self {
            nodes: vec![Node::default()],
            targets: Vec::new(),
        };
        let mut walks = Vec::new();
        for path in paths {
            let mut here = 0;
            let mut walk = vec![0];
            for (depth, step) in path.steps().iter().enumerate() {
                let next = match step {
                    Step::Name(name) => scanner.nodes[here].child_named(name),
                    Step::Index(i) if *i >= 0 => scanner.nodes[here].child_at(i.unsigned_abs()),
                    Step::Index(_) => {
                        scanner.nodes[here].capture = true;
                        break;
                    }
                };
                here = next.unwrap_or_else(|| {
                    let id = scanner.nodes.len();
                    scanner.nodes.push(Node::default());
                    match step {
                        Step::Name(name) => {
                            let names = &mut scanner.nodes[here].names;
                            let at = names.partition_point(|(n, _)| n < name);
                            names.insert(at, (name.clone(), id));
                        }
                        Step::Index(i) => scanner.nodes[here].indices.push((i.unsigned_abs(), id)),
                    }
                    id
                });
                walk.push(here);
                if depth + 1 == path.steps().len() {
                    scanner.nodes[here].capture = true;
                }
            }
            walks.push((walk, path.steps().to_vec()));
        }
        // A path is answered by the highest captured node on its way: below it nothing is
        // scanned, the captured value is walked instead.
        for (walk, steps) in walks {
            let depth = walk
                .iter()
                .position(|n| scanner.nodes[*n].capture)
                .unwrap_or(walk.len() - 1);
            scanner.targets.push(Target {
                node: walk[depth],
                rest: steps[depth..].to_vec(),
            });
        }
        scanner
    }

    /// Scans `bytes`, which must be one JSON text. Errors are JSON syntax errors.
    pub fn scan(&self, bytes: &[u8]) -> Result<Scanned, serde_json::Error> {
        let mut scanned = Scanned {
            captures: vec![None; self.nodes.len()],
            ambiguous: false,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        NodeSeed {
            scanner: self,
            node: 0,
            out: &mut scanned,
        }
        .deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(scanned)
    }
}

impl Node {
    fn child_named(&self, key: &str) -> Option<usize> {
        self.names
            .binary_search_by(|(name, _)| name.as_str().cmp(key))
            .ok()
            .map(|at| self.names[at].1)
    }

    fn child_at(&self, index: u64) -> Option<usize> {
        self.indices.iter().find(|(i, _)| *i == index).map(|(_, id)| *id)
    }
}

impl Scanned {
    /// The value of path number `index`, or `None` when the scan cannot tell: either it is
    /// missing or the body was ambiguous; the caller then parses the body whole.
    pub fn get<'s>(&'s self, scanner: &Scanner, index: usize) -> Option<&'s Value> {
        if self.ambiguous {
            return None;
        }
        let target = scanner.targets.get(index)?;
        let mut here = self.captures[target.node].as_ref()?;
        for step in &target.rest {
            here = match (step, here) {
                (Step::Name(name), Value::Object(map)) => map.get(name)?,
                (Step::Index(i), Value::Array(items)) => {
                    let at = if *i >= 0 {
                        usize::try_from(*i).ok()?
                    } else {
                        items.len().checked_sub(usize::try_from(i.unsigned_abs()).ok()?)?
                    };
                    items.get(at)?
                }
                _ => return None,
            };
        }
        Some(here)
    }
}

struct NodeSeed<'a> {
    scanner: &'a Scanner,
    node: usize,
    out: &'a mut Scanned,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.scanner.nodes[self.node].capture {
            let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
            self.out.captures[self.node] = Some(value);
            Ok(())
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let node = &self.scanner.nodes[self.node];
        let mut seen: Vec<usize> = Vec::new();
        while let Some(child) = map.next_key_seed(KeySeed(node))? {
            match child {
                Some(child) => {
                    // A repeated key means the last one wins in a parsed value; rather than
                    // undo what the first one captured, let the full parse decide.
                    if seen.contains(&child) {
                        self.out.ambiguous = true;
                    }
                    seen.push(child);
                    map.next_value_seed(NodeSeed {
                        scanner: self.scanner,
                        node: child,
                        out: self.out,
                    })?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let node = &self.scanner.nodes[self.node];
        let mut index = 0u64;
        loop {
            let more = match node.child_at(index) {
                Some(child) => seq
                    .next_element_seed(NodeSeed {
                        scanner: self.scanner,
                        node: child,
                        out: self.out,
                    })?
                    .is_some(),
                None => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    // A scalar where a path goes deeper: the path misses, which the full parse will explain.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Reads an object key and looks it up among a node's children without allocating.
struct KeySeed<'a>(&'a Node);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.child_named(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn paths(texts: &[&str]) -> Vec<DataPath> {
        texts.iter().map(|t| DataPath::parse(t).unwrap()).collect()
    }

    #[test]
    fn finds_what_a_full_parse_finds() {
        let paths = paths(&[
            "data.name",
            "data.items[1].sku",
            "data.items[-1].sku",
            "data",
            "data.name.first",
            "x",
        ]);
        let scanner = Scanner::new(&paths);
        let body =
            json!({"data": {"name": {"first": "Ada"}, "items": [{"sku": 1}, {"sku": 2}, {"sku": 3}]}, "pad": [1, 2]});
        let scanned = scanner.scan(body.to_string().as_bytes()).unwrap();
        for (i, path) in paths.iter().enumerate() {
            assert_eq!(scanned.get(&scanner, i), path.get(&body).ok(), "{path}");
        }
    }

    #[test]
    fn a_repeated_mapped_key_defers_to_the_full_parse() {
        let paths = paths(&["data.a"]);
        let scanner = Scanner::new(&paths);
        let scanned = scanner.scan(br#"{"data": {"a": 1}, "data": {"b": 2}}"#).unwrap();
        assert_eq!(scanned.get(&scanner, 0), None);
        // Repeated keys elsewhere do not matter.
        let scanned = scanner.scan(br#"{"x": 1, "x": 2, "data": {"a": 1}}"#).unwrap();
        assert_eq!(scanned.get(&scanner, 0), Some(&json!(1)));
    }

    #[test]
    fn broken_json_is_an_error_even_where_nothing_is_mapped() {
        let scanner = Scanner::new(&paths(&["data.a"]));
        for bad in [
            &b"{\"data\": {\"a\": 1}, \"pad\": [1,]}"[..],
            b"{\"data\": {\"a\": 1}} trailing",
            b"",
            b"{\"pad\": tru}",
        ] {
            assert!(scanner.scan(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_full_parse_on_generated_bodies(
            body in arbitrary_json(),
            texts in prop::collection::vec("(data|items|x|[a-c])(\\.(data|items|x|[a-c])|\\[-?[0-2]\\]){0,3}", 1..5),
        ) {
            let paths: Vec<DataPath> = texts.iter().filter_map(|t| DataPath::parse(t).ok()).collect();
            let scanner = Scanner::new(&paths);
            let scanned = scanner.scan(body.to_string().as_bytes()).unwrap();
            for (i, path) in paths.iter().enumerate() {
                if let Some(found) = scanned.get(&scanner, i) {
                    prop_assert_eq!(Some(found), path.get(&body).ok(), "{}", path);
                }
                if let Ok(expected) = path.get(&body) {
                    prop_assert_eq!(scanned.get(&scanner, i), Some(expected), "{}", path);
                }
            }
        }
    }

    fn arbitrary_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            "[a-z]{0,3}".prop_map(Value::from)
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("data|items|x|[a-c]", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
