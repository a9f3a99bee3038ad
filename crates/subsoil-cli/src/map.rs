//! What the report's map needs, recorded in `summary.json` so that the page stays a function of it:
//! the boundaries the scenario names (`deposits.boundaries`) and, for every deposit of the scenario,
//! where it is and how sure that is. A scenario that names no boundaries, or whose deposits lie in none
//! of their areas, gets no map. A deposit without coordinates is placed at the middle of its first area
//! and marked approximate.

use serde::Serialize;
use subsoil_scenario::Scenario;

/// The map of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Map {
    /// Where the boundaries come from.
    pub boundaries_source: String,
    /// Areas: a name and rings of `[lon, lat]` points.
    pub areas: Vec<Area>,
    /// Every deposit of the scenario that can be placed.
    pub deposits: Vec<Place>,
}

/// One area of the boundaries.
#[derive(Clone, Debug, Serialize)]
pub struct Area {
    /// Name (as the deposits' `oblasts` give it).
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
    /// Mean over the run's paths of the state's receipts (new and existing licences, real, net of
    /// leakage) from the deposit's projects.
    pub receipts_mean: f64,
}

/// The map of the run `r` of `s`, or `None` when `s` names no boundaries that hold its deposits.
pub fn map(s: &Scenario, r: &subsoil_engine::RunResult) -> Option<Map> {
    let boundaries = s.boundaries.as_ref()?;
    let areas: Vec<Area> = boundaries
        .areas
        .iter()
        .map(|a| Area { name: a.name.clone(), rings: a.rings.clone() })
        .collect();
    let in_areas = |oblast: &str| boundaries.areas.iter().find(|a| a.name == oblast);
    if !s.deposits.iter().any(|d| d.oblasts.iter().any(|o| in_areas(o).is_some())) {
        return None;
    }
    let deposits = s
        .deposits
        .iter()
        .filter_map(|d| {
            let ((lon, lat), located) = match (d.lon, d.lat) {
                (Some(lon), Some(lat)) => {
                    ((lon, lat), if d.coords_approximate { "approximate" } else { "site" })
                }
                _ => {
                    (d.oblasts.iter().find_map(|o| in_areas(o).and_then(|a| a.middle()))?, "oblast")
                }
            };
            let receipts_mean =
                r.projects.iter().filter(|p| p.deposit == d.id).map(|p| p.receipts_mean).sum();
            Some(Place { id: d.id.clone(), name: d.name.clone(), lon, lat, located, receipts_mean })
        })
        .collect();
    Some(Map { boundaries_source: boundaries.source.clone(), areas, deposits })
}
