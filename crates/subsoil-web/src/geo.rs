//! The deposits of a scenario as GeoJSON.

use serde_json::{Value, json};
use subsoil_scenario::Scenario;

/// A GeoJSON `FeatureCollection` with one feature per deposit: a point at its longitude and latitude,
/// or no geometry (`null`) when the data give no coordinates.
pub(crate) fn deposits(s: &Scenario) -> Value {
    let features: Vec<Value> = s
        .deposits
        .iter()
        .map(|d| {
            let geometry = match (d.lon, d.lat) {
                (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => {
                    json!({ "type": "Point", "coordinates": [lon, lat] })
                }
                _ => Value::Null,
            };
            json!({
                "type": "Feature",
                "id": d.id,
                "geometry": geometry,
                "properties": {
                    "id": d.id,
                    "name": d.name,
                    "commodities": d.commodities,
                    "oblasts": d.oblasts,
                    "stage": d.stage.name(),
                    "control": d.control.name(),
                    "coords_approximate": d.coords_approximate,
                },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "scenario": s.name, "features": features })
}
