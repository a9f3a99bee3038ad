//! What the report's map needs, recorded in `summary.json` so that the page stays a function of it:
//! the boundaries (oblasts) and, for every deposit of the scenario, where it is and how sure that is.
//!
//! The boundaries are those of Ukraine (`data/ukraine-oblasts.geojson`, embedded), used when the
//! scenario's deposits lie in its oblasts; a scenario elsewhere gets no map. (A scenario field that
//! names its own boundaries file is left for later.) A deposit without coordinates is placed at the
//! middle of its first oblast and marked approximate.

use serde::Serialize;
use serde_json::Value;
use subsoil_scenario::Scenario;

/// The oblasts of Ukraine, simplified (about 1 km).
const UKRAINE: &str = include_str!("../../../data/ukraine-oblasts.geojson");

/// The map of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Map {
    /// Where the boundaries come from.
    pub boundaries_source: &'static str,
    /// Areas: a name and rings of `[lon, lat]` points.
    pub areas: Vec<Area>,
    /// Every deposit of the scenario that can be placed.
    pub deposits: Vec<Place>,
}

/// One area of the boundaries.
#[derive(Clone, Debug, Serialize)]
pub struct Area {
    /// Name (the oblast's).
    pub name: String,
    /// Rings, outer and holes alike, each a closed list of `[lon, lat]`.
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// A deposit on the map.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// Deposit id (the `deposit` of the run's projects).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// `site` (coordinates of the deposit), `approximate` (of a nearby place) or `oblast` (the middle of
    /// its oblast: no coordinates are known).
    pub located: &'static str,
    /// The state's receipts (new and existing, real) from the deposit's projects in the base case.
    pub base_case_receipts: f64,
}

/// The rings of a GeoJSON geometry (Polygon or MultiPolygon).
fn rings(geometry: &Value) -> Vec<Vec<[f64; 2]>> {
    let ring = |r: &Value| -> Vec<[f64; 2]> {
        r.as_array()
            .map(|pts| {
                pts.iter()
                    .filter_map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]))
                    .collect()
            })
            .unwrap_or_default()
    };
    let polygon = |p: &Value| -> Vec<Vec<[f64; 2]>> {
        p.as_array().map(|rs| rs.iter().map(ring).collect()).unwrap_or_default()
    };
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => geometry.get("coordinates").map(polygon).unwrap_or_default(),
        Some("MultiPolygon") => geometry
            .get("coordinates")
            .and_then(Value::as_array)
            .map(|ps| ps.iter().flat_map(polygon).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The middle of an area: the mean of the points of its longest ring.
fn middle(area: &Area) -> Option<(f64, f64)> {
    let ring = area.rings.iter().max_by_key(|r| r.len())?;
    let n = ring.len() as f64;
    (n > 0.0).then(|| {
        (ring.iter().map(|p| p[0]).sum::<f64>() / n, ring.iter().map(|p| p[1]).sum::<f64>() / n)
    })
}

/// The map of a run of `s`, or `None` when its deposits are not in the boundaries the program has.
pub fn map(s: &Scenario) -> Option<Map> {
    let geo: Value = serde_json::from_str(UKRAINE).ok()?;
    let areas: Vec<Area> = geo
        .get("features")?
        .as_array()?
        .iter()
        .filter_map(|f| {
            let name = f.get("properties")?.get("name")?.as_str()?.to_string();
            Some(Area { name, rings: rings(f.get("geometry")?) })
        })
        .collect();
    let in_areas = |oblast: &str| areas.iter().find(|a| a.name == oblast);
    if !s.deposits.iter().any(|d| d.oblasts.iter().any(|o| in_areas(o).is_some())) {
        return None;
    }
    let (bc, _) = subsoil_engine::base_case(s);
    let deposits = s
        .deposits
        .iter()
        .filter_map(|d| {
            let ((lon, lat), located) = match (d.lon, d.lat) {
                (Some(lon), Some(lat)) => {
                    ((lon, lat), if d.coords_approximate { "approximate" } else { "site" })
                }
                _ => (d.oblasts.iter().find_map(|o| in_areas(o).and_then(middle))?, "oblast"),
            };
            let base_case_receipts = bc
                .projects
                .iter()
                .filter(|p| p.deposit == d.id)
                .map(|p| p.receipts_new + p.receipts_existing)
                .sum();
            Some(Place {
                id: d.id.clone(),
                name: d.name.clone(),
                lon,
                lat,
                located,
                base_case_receipts,
            })
        })
        .collect();
    Some(Map {
        boundaries_source: "data/ukraine-oblasts.geojson: Natural Earth 1:10m admin 1 (public domain), simplified",
        areas,
        deposits,
    })
}
