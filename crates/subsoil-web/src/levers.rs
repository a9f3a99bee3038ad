//! Levers: a scenario's named lists of overrides, expanded into `--set` strings.

use axum::http::StatusCode;

use crate::error::ApiError;
use crate::request::Source;

/// The `--set` list that pulls `levers` of the scenario `source` and then applies `sets`: each lever's
/// overrides in the order the request names the levers, then the request's own.
pub(crate) fn expand(
    source: &Source,
    levers: &[String],
    sets: &[String],
) -> Result<Vec<String>, ApiError> {
    if levers.is_empty() {
        return Ok(sets.to_vec());
    }
    let s = source.load(&[]).map_err(|e| ApiError::scenario(&e))?;
    let mut out = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for (i, name) in levers.iter().enumerate() {
        let Some(lever) = s.levers.iter().find(|l| l.name == *name) else {
            let known: Vec<&str> = s.levers.iter().map(|l| l.name.as_str()).collect();
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                Some(&format!("levers[{i}]")),
                format!(
                    "{} has no lever {name:?}; its levers: {}",
                    s.name,
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                ),
            ));
        };
        if let Some(g) = &lever.group {
            if groups.contains(&g.as_str()) {
                return Err(ApiError::bad(
                    &format!("levers[{i}]"),
                    format!(
                        "{name:?} is a second lever of the group {g:?}; pull at most one of a group"
                    ),
                ));
            }
            groups.push(g);
        }
        out.extend(lever.sets.iter().cloned());
    }
    out.extend(sets.iter().cloned());
    Ok(out)
}
