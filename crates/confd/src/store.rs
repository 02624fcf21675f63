//! The key-value snapshot a template reads: confd's `memkv` store, with
//! its lookup semantics (`get`, `gets` by `path.Match` pattern, `ls`,
//! `lsdir`), read by the template functions.

use std::collections::BTreeMap;

use flotta_gotemplate::Value;

use crate::gopath;

/// Keys and values, by key (`/database/host` → `127.0.0.1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Store {
    kvs: BTreeMap<String, String>,
}

/// Go's type names for what the store hands templates.
pub(crate) const KV_PAIR: &str = "memkv.KVPair";
pub(crate) const KV_PAIRS: &str = "memkv.KVPairs";

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// Sets `key` to `value`.
    pub fn set(&mut self, key: &str, value: &str) {
        self.kvs.insert(key.to_owned(), value.to_owned());
    }

    /// Removes `key`.
    pub fn delete(&mut self, key: &str) {
        self.kvs.remove(key);
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.kvs.get(key).map(String::as_str)
    }

    /// Every key and value, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.kvs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.kvs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kvs.is_empty()
    }

    /// `memkv.GetAll`: the pairs whose keys match a `path.Match` pattern,
    /// sorted by key.
    pub(crate) fn get_all(&self, pattern: &str) -> Result<Vec<(&str, &str)>, String> {
        let mut out = Vec::new();
        for (k, v) in &self.kvs {
            if gopath::matches(pattern, k).map_err(|_| "syntax error in pattern".to_owned())? {
                out.push((k.as_str(), v.as_str()));
            }
        }
        Ok(out)
    }

    /// `memkv.List`: the names directly under `path` (keys and directories).
    pub(crate) fn list(&self, path: &str) -> Vec<String> {
        let prefix = terms(path);
        let mut seen = std::collections::BTreeSet::new();
        for k in self.kvs.keys() {
            if k == path {
                seen.insert(gopath::base(k));
                continue;
            }
            let target = terms(&gopath::dir(k));
            if has_prefix(&prefix, &target) {
                let stripped = k.strip_prefix(path).unwrap_or(k);
                let stripped = stripped.strip_prefix('/').unwrap_or(stripped);
                seen.insert(stripped.split('/').next().unwrap_or_default().to_owned());
            }
        }
        seen.into_iter().collect()
    }

    /// `memkv.ListDir`: the directories directly under `path`.
    pub(crate) fn list_dir(&self, path: &str) -> Vec<String> {
        let prefix = terms(path);
        let mut seen = std::collections::BTreeSet::new();
        for k in self.kvs.keys() {
            if k.starts_with(path) {
                let items = terms(&gopath::dir(k));
                if has_prefix(&prefix, &items) && items.len() > prefix.len() {
                    seen.insert(items[prefix.len()].clone());
                }
            }
        }
        seen.into_iter().collect()
    }
}

fn terms(path: &str) -> Vec<String> {
    gopath::clean(path).split('/').map(str::to_owned).collect()
}

fn has_prefix(prefix: &[String], test: &[String]) -> bool {
    test.len() >= prefix.len() && prefix.iter().zip(test).all(|(a, b)| a == b)
}

/// A `memkv.KVPair` as templates see it: `.Key` and `.Value`.
pub(crate) fn kv_pair(key: &str, value: &str) -> Value {
    Value::structure(
        KV_PAIR,
        [("Key", Value::from(key)), ("Value", Value::from(value))],
    )
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Store {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Store {
            kvs: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kelseyhightower/memkv store_test.go: listTestMap.
    fn list_test_map() -> Store {
        [
            ("/deis/database/user", "user"),
            ("/deis/database/pass", "pass"),
            ("/deis/services/key", "value"),
            ("/deis/services/notaservice/foo", "bar"),
            ("/deis/services/srv1/node1", "10.244.1.1:80"),
            ("/deis/services/srv1/node2", "10.244.1.2:80"),
            ("/deis/services/srv1/node3", "10.244.1.3:80"),
            ("/deis/services/srv2/node1", "10.244.2.1:80"),
            ("/deis/services/srv2/node2", "10.244.2.2:80"),
            ("/deis/prefix/node1", "prefix_node1"),
            ("/deis/prefix/node2/leafnode", "prefix_node2"),
            ("/deis/prefix/node3/leafnode", "prefix_node3"),
            ("/deis/prefix_a/node4", "prefix_a_node4"),
            ("/deis/prefixb/node5/leafnode", "prefixb_node5"),
            ("/deis/dirprefix/node1", "prefix_node1"),
            ("/deis/dirprefix/node2/leafnode", "prefix_node2"),
            ("/deis/dirprefix/node3/leafnode", "prefix_node3"),
            ("/deis/dirprefix_a/node4", "prefix_a_node4"),
            ("/deis/dirprefixb/node5/leafnode", "prefixb_node5"),
        ]
        .into_iter()
        .collect()
    }

    /// memkv TestList, TestListForSamePrefix, TestListForFile,
    /// TestListEmptyChildren(TrailingSlash), TestListDir,
    /// TestListDirForSamePrefix.
    #[test]
    fn memkv_list_and_list_dir() {
        let s = list_test_map();
        for p in ["/deis/services", "/deis/services/"] {
            assert_eq!(s.list(p), ["key", "notaservice", "srv1", "srv2"], "{p}");
            assert_eq!(s.list_dir(p), ["notaservice", "srv1", "srv2"], "{p}");
        }
        for p in ["/deis/prefix", "/deis/prefix/"] {
            assert_eq!(s.list(p), ["node1", "node2", "node3"], "{p}");
        }
        for p in ["/deis/dirprefix", "/deis/dirprefix/"] {
            assert_eq!(s.list_dir(p), ["node2", "node3"], "{p}");
        }
        assert_eq!(s.list("/deis/services/key"), ["key"]);
        let top: Store = [("/top/first", ""), ("/top/second", "")]
            .into_iter()
            .collect();
        assert!(top.list("/top/first/").is_empty());
        assert!(top.list("/top/second/").is_empty());
        assert_eq!(top.list("/top/first"), ["first"]);
        assert_eq!(top.list("/top/second"), ["second"]);
    }

    /// memkv TestGetAll.
    #[test]
    fn memkv_get_all() {
        let s: Store = [
            ("/app/db/pass", "foo"),
            ("/app/db/user", "admin"),
            ("/app/port", "443"),
            ("/app/url", "app.example.com"),
            ("/app/vhosts/host1", "app.example.com"),
            ("/app/upstream/host1", "203.0.113.0.1:8080"),
            ("/app/upstream/host1/domain", "app.example.com"),
            ("/app/upstream/host2", "203.0.113.0.2:8080"),
            ("/app/upstream/host2/domain", "app.example.com"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            s.get_all("/app/db/*").unwrap(),
            [("/app/db/pass", "foo"), ("/app/db/user", "admin")]
        );
        assert_eq!(
            s.get_all("/app/*/host1").unwrap(),
            [
                ("/app/upstream/host1", "203.0.113.0.1:8080"),
                ("/app/vhosts/host1", "app.example.com")
            ]
        );
        assert_eq!(
            s.get_all("/app/upstream/*").unwrap(),
            [
                ("/app/upstream/host1", "203.0.113.0.1:8080"),
                ("/app/upstream/host2", "203.0.113.0.2:8080")
            ]
        );
        assert!(s.get_all("[]a]").is_err());
        assert!(s.get_all("/app/missing/*").unwrap().is_empty());
    }
}
