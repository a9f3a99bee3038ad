//! The boundaries a scenario's map is drawn on: a GeoJSON file named by `deposits.boundaries`.
//!
//! The file is a `FeatureCollection` of `Polygon` or `MultiPolygon` features, each with a `name`
//! property; the deposits name the areas they lie in (the `oblast` column of the deposits file, or
//! `region` of a site written inline) with the same names. Only what a map needs is kept: each area's name
//! and rings of `[longitude, latitude]` points.

use serde_json::Value;

use crate::diag::{Diagnostics, FileId, Location};

/// The boundaries of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundaries {
    /// The file, as the scenario names it (resolved: a path on disk, or a built-in file).
    pub file: String,
    /// Where the boundaries come from (`deposits.boundaries-source`), or the file when not given.
    pub source: String,
    /// The areas, in file order.
    pub areas: Vec<Area>,
}

/// One area of the boundaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Its name (the feature's `name` property).
    pub name: String,
    /// Its rings: closed lines of `[longitude, latitude]` points.
    pub rings: Vec<Vec<[f64; 2]>>,
}

impl Area {
    /// The middle of the area: the mean of the points of its longest ring.
    pub fn middle(&self) -> Option<(f64, f64)> {
        let ring = self.rings.iter().max_by_key(|r| r.len())?;
        let n = ring.len() as f64;
        (n > 0.0).then(|| {
            (ring.iter().map(|p| p[0]).sum::<f64>() / n, ring.iter().map(|p| p[1]).sum::<f64>() / n)
        })
    }
}

/// Byte offset of 1-based `line` and `column` in `text` (clamped to its end).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Reads the areas of the GeoJSON `text` (file `file`), reporting every problem against `field`.
pub(crate) fn read(
    file: FileId,
    text: &str,
    field: &str,
    d: &mut Diagnostics,
) -> Option<Vec<Area>> {
    let start = Some(Location { file, span: Some(0..0) });
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let at = offset(text, e.line(), e.column());
            d.error(
                Some(Location { file, span: Some(at..at) }),
                field,
                format!("not valid GeoJSON: {e}; expected a FeatureCollection of polygons"),
            );
            return None;
        }
    };
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        d.error(
            start.clone(),
            field,
            "expected a GeoJSON object with \"type\": \"FeatureCollection\"",
        );
        return None;
    }
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        d.error(start, field, "expected a \"features\" array in the FeatureCollection");
        return None;
    };
    let errors = d.len();
    let mut areas = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let at = format!("{field}: features[{i}]");
        let name = f.get("properties").and_then(|p| p.get("name")).and_then(Value::as_str);
        let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
            d.error(
                start.clone(),
                &at,
                "expected a non-empty \"name\" in the feature's properties",
            );
            continue;
        };
        match rings(f.get("geometry").unwrap_or(&Value::Null)) {
            Ok(rings) => areas.push(Area { name: name.to_string(), rings }),
            Err(why) => d.error(start.clone(), &at, format!("area {name:?}: {why}")),
        }
    }
    if areas.is_empty() && d.len() == errors {
        d.error(start, field, "the FeatureCollection has no features; expected at least one area");
    }
    (d.len() == errors).then_some(areas)
}

/// The rings of a `Polygon` or `MultiPolygon` geometry.
fn rings(geometry: &Value) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let point = |p: &Value| -> Result<[f64; 2], String> {
        let xy = p.as_array().filter(|a| a.len() >= 2);
        let lon = xy.and_then(|a| a[0].as_f64());
        let lat = xy.and_then(|a| a[1].as_f64());
        match (lon, lat) {
            (Some(lon), Some(lat))
                if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
            {
                Ok([lon, lat])
            }
            _ => Err(format!(
                "point {p} is not [longitude, latitude] with longitude in [-180, 180] and latitude in [-90, 90]"
            )),
        }
    };
    let ring = |r: &Value| -> Result<Vec<[f64; 2]>, String> {
        let pts = r.as_array().ok_or("a ring is not an array of points")?;
        if pts.len() < 4 {
            return Err(format!("a ring has {} points; a closed ring needs at least 4", pts.len()));
        }
        pts.iter().map(point).collect()
    };
    let polygon = |p: &Value| -> Result<Vec<Vec<[f64; 2]>>, String> {
        p.as_array().ok_or("a polygon is not an array of rings")?.iter().map(ring).collect()
    };
    let coordinates = geometry.get("coordinates").unwrap_or(&Value::Null);
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => polygon(coordinates),
        Some("MultiPolygon") => {
            let polygons =
                coordinates.as_array().ok_or("coordinates are not an array of polygons")?;
            let mut all = Vec::new();
            for p in polygons {
                all.extend(polygon(p)?);
            }
            Ok(all)
        }
        other => Err(format!(
            "geometry type {}; expected Polygon or MultiPolygon",
            other.map_or("missing".to_string(), |t| format!("{t:?}"))
        )),
    }
}
