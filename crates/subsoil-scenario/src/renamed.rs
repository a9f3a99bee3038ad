//! Fields the format renamed, and their former names, which stay accepted wherever a field path is
//! written: a key in a scenario file or layer (each layer's tree is renamed as it is read, before it is
//! merged, so a layer may use either name over any other), a `--set` path, a file's `overrides`, a
//! `remove` list, a lever, and the names and patterns of inputs (`[[input-correlations]]`,
//! `[sensitivity.groups]`, the command line's input patterns, a claim's inputs). Everything after reads the
//! current name: the validated tree, the model, the inputs and the outputs.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::tree::{Kind, Node};

/// Renamed fields, as (former path, current path); each pair differs in its last key only.
pub const RENAMED: &[(&str, &str)] =
    &[("macro.us-inflation", "macro.inflation"), ("rates.us-discount", "rates.partner-discount")];

/// `path` (a field path, or an input's name or pattern) with a former field's name replaced by its
/// current one: the field itself or anything under it (`macro.us-inflation.scale`).
pub fn current(path: &str) -> Cow<'_, str> {
    for (former, now) in RENAMED {
        if let Some(rest) = path.strip_prefix(former)
            && (rest.is_empty() || rest.starts_with(['.', '[']))
        {
            return Cow::Owned(format!("{now}{rest}"));
        }
    }
    Cow::Borrowed(path)
}

/// The former name of the field or input called `name`, if it was renamed.
pub fn former(name: &str) -> Option<&'static str> {
    RENAMED.iter().find(|(_, now)| *now == name).map(|(former, _)| *former)
}

/// Renames the former keys of one layer's tree to their current names, keeping each value's location.
/// A table that gives both names is an error at the one written second.
pub fn rename_layer(root: &mut Node, d: &mut Diagnostics) {
    for (former, now) in RENAMED {
        let (parent, old_key) = former.rsplit_once('.').expect("a dotted path");
        let new_key = now.rsplit_once('.').expect("a dotted path").1;
        let Some(t) = table_at(root, parent) else { continue };
        let Some(old) = t.remove(old_key) else { continue };
        match t.get(new_key) {
            Some(new) => {
                let (second, key) = if old.span.start > new.span.start {
                    (old.location(), *former)
                } else {
                    (new.location(), *now)
                };
                d.error(
                    Some(second),
                    key,
                    format!(
                        "`{old_key}` is the former name of `{new_key}`, and this table gives both: \
                         keep one (`{new_key}`)"
                    ),
                );
            }
            None => {
                t.insert(new_key.to_string(), old);
            }
        }
    }
}

/// The entries of the table at dotted path `path`, if the tree has one there.
fn table_at<'a>(root: &'a mut Node, path: &str) -> Option<&'a mut BTreeMap<String, Node>> {
    let mut node = root;
    for k in path.split('.') {
        match &mut node.kind {
            Kind::Table(t) => node = t.get_mut(k)?,
            _ => return None,
        }
    }
    match &mut node.kind {
        Kind::Table(t) => Some(t),
        _ => None,
    }
}
