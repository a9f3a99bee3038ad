//! Deposits written in the scenario file (`[deposits.sites.<id>]`) as rows like the deposits file's.

use crate::deposits::DepositRow;
use crate::diag::Diagnostics;
use crate::sections::InlineDeposit;
use crate::typed::Entries;

/// Deposits written in the scenario under `[deposits.sites.<id>]` (in file order), added after those of
/// the deposits file; an id both places give is an error.
pub(crate) fn inline_deposits(
    sites: &Entries<InlineDeposit>,
    rows: &mut Vec<DepositRow>,
    d: &mut Diagnostics,
) {
    for (id, site) in &sites.entries {
        let loc = site.site.loc.clone();
        if rows.iter().any(|r| &r.id == id) {
            d.error(loc, &site.site.path, format!("deposit {id:?} is also in the deposits file"));
            continue;
        }
        let Some(location) = loc else { continue };
        let (lat, lon) = (&site.lat, &site.lon);
        if lat.is_some() != lon.is_some() {
            let given = lat.as_ref().or(lon.as_ref()).and_then(|q| q.location.clone());
            d.error(given, site.site.join("lat"), "give both lat and lon, or neither");
        }
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        rows.push(DepositRow {
            id: id.clone(),
            name: site.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| id.clone()),
            name_uk: String::new(),
            commodities: site.commodities.items.clone(),
            oblasts: vec![site.region.clone()],
            location_kind: "site".into(),
            lat: lat.as_ref().map(|q| q.median()),
            lon: lon.as_ref().map(|q| q.median()),
            coords_approximate: false,
            stage: site.stage.0,
            resource_tonnes: None,
            grade: String::new(),
            contained: String::new(),
            control: site.control,
            control_as_of: String::new(),
            licence_holder: text(&site.licence_holder),
            notes: String::new(),
            sources: text(&site.source),
            low_reliability: false,
            location,
        });
    }
}
