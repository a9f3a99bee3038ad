//! The bad-input catalogue: every kind of error a scenario, a data file, a `--set` or an `extends` can
//! carry, one small file per case in `tests/catalogue/`. Each case states by hand the `file:line:col` and
//! field path its error must name (on the same `error:` line); the whole message is checked against
//! `tests/catalogue/expected.txt`, which `SUBSOIL_BLESS=1 cargo test -p subsoil-cli --test catalogue`
//! rewrites after a deliberate change of wording (review the diff: the locations are asserted here, not
//! blessed). Every case must also exit with status 2, write nothing to stdout and never panic.
//!
//! Cases run `subsoil check` (which runs nothing) from the catalogue folder, so file names in messages
//! are relative. The CSV and GeoJSON cases check `_base/one-mine.toml` with `--set deposits.file=...`,
//! `--set deposits.events-file=...` or `--set deposits.boundaries=...`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{subsoil_in, text};

/// One bad input.
struct Case {
    /// Name in `expected.txt`; also the case file's stem.
    name: &'static str,
    /// Arguments after `subsoil check`.
    args: &'static [&'static str],
    /// `file:line:col` the error must name.
    at: &'static str,
    /// Field path named right after the location (empty for a syntax error, which names none).
    path: &'static str,
}

const fn c(
    name: &'static str,
    args: &'static [&'static str],
    at: &'static str,
    path: &'static str,
) -> Case {
    Case { name, args, at, path }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    c("type-string-for-number", &["type-string-for-number.toml"], "type-string-for-number.toml:4:12", "fiscal.cit-rate"),
    c("type-bool-for-number", &["type-bool-for-number.toml"], "type-bool-for-number.toml:4:7", "macro.gdp"),
    c("type-array-for-number", &["type-array-for-number.toml"], "type-array-for-number.toml:4:13", "rates.valuation"),
    c("type-date-for-number", &["type-date-for-number.toml"], "type-date-for-number.toml:4:15", "fiscal.licence-fee"),
    c("type-number-for-string", &["type-number-for-string.toml"], "type-number-for-string.toml:4:8", "metadata.name"),
    c("type-number-for-bool", &["type-number-for-bool.toml"], "type-number-for-bool.toml:4:25", "deal.renewals-count-as-new"),
    c("type-string-for-bool", &["type-string-for-bool.toml"], "type-string-for-bool.toml:4:28", "deal.unexploited-count-as-new"),
    c("type-enum-regime", &["type-enum-regime.toml"], "type-enum-regime.toml:4:10", "projects.polokhivske-lithium.regime"),
    c("type-enum-decision", &["type-enum-decision.toml"], "type-enum-decision.toml:4:12", "projects.polokhivske-lithium.decision"),
    c("type-enum-stage", &["type-enum-stage.toml"], "type-enum-stage.toml:4:9", "projects.polokhivske-lithium.stage"),
    c("type-enum-profile-kind", &["type-enum-profile-kind.toml"], "type-enum-profile-kind.toml:4:8", "projects.polokhivske-lithium.profile.kind"),
    c("type-date-words", &["type-date-words.toml"], "type-date-words.toml:4:18", "deal.effective-date"),
    c("type-date-month-13", &["type-date-month-13.toml"], "type-date-month-13.toml:4:18", "deal.effective-date"),
    c("type-date-number", &["type-date-number.toml"], "type-date-number.toml:4:18", "deal.effective-date"),
    c("type-count-fraction", &["type-count-fraction.toml"], "type-count-fraction.toml:4:22", "fiscal.depreciation-years"),
    c("type-count-string", &["type-count-string.toml"], "type-count-string.toml:4:17", "time.horizon-years"),
    c("type-table-for-number", &["type-table-for-number.toml"], "type-table-for-number.toml:3:10", "fiscal"),
    c("type-string-for-map", &["type-string-for-map.toml"], "type-string-for-map.toml:3:12", "products"),
    c("type-string-for-array", &["type-string-for-array.toml"], "type-string-for-array.toml:4:17", "conflict.front-oblasts"),
    c("type-array-element", &["type-array-element.toml"], "type-array-element.toml:4:29", "conflict.front-oblasts[1]"),
    c("type-table-for-array-of-tables", &["type-table-for-array-of-tables.toml"], "type-table-for-array-of-tables.toml:4:8", "deal.cash"),
    c("type-unit-not-string", &["type-unit-not-string.toml"], "type-unit-not-string.toml:4:37", "fiscal.licence-fee.unit"),
    c("type-source-not-string", &["type-source-not-string.toml"], "type-source-not-string.toml:4:53", "fiscal.licence-fee.source"),
    c("type-dist-param-string", &["type-dist-param-string.toml"], "type-dist-param-string.toml:4:38", "fiscal.cit-rate.min"),
    c("type-values-not-array", &["type-values-not-array.toml"], "type-values-not-array.toml:4:42", "fiscal.cit-rate.values"),
    c("type-values-element", &["type-values-element.toml"], "type-values-element.toml:4:48", "fiscal.cit-rate.values[1]"),
    c("type-invalid-project-id", &["type-invalid-project-id.toml"], "type-invalid-project-id.toml:3:1", "projects.Big Mine"),
    c("type-invalid-product-id", &["type-invalid-product-id.toml"], "type-invalid-product-id.toml:3:1", "products.Cobalt"),
    c("unknown-key", &["unknown-key.toml"], "unknown-key.toml:4:12", "fiscal.cit_rate"),
    c("unknown-key-top-level", &["unknown-key-top-level.toml"], "unknown-key-top-level.toml:3:11", "fiscall"),
    c("unknown-key-in-project", &["unknown-key-in-project.toml"], "unknown-key-in-project.toml:4:12", "projects.polokhivske-lithium.capacity"),
    c("unknown-key-in-quantity", &["unknown-key-in-quantity.toml"], "unknown-key-in-quantity.toml:4:55", "fiscal.cit-rate.sauce"),
    c("string-too-long", &["string-too-long.toml"], "string-too-long.toml:4:9", "metadata.title"),
    c("range-negative-capex", &["range-negative-capex.toml"], "range-negative-capex.toml:4:9", "projects.polokhivske-lithium.capex"),
    c("range-percent-for-rate", &["range-percent-for-rate.toml"], "range-percent-for-rate.toml:4:12", "fiscal.cit-rate"),
    c("range-share-above-one", &["range-share-above-one.toml"], "range-share-above-one.toml:6:9", "deal.contributions[0].share"),
    c("range-gdp-too-small", &["range-gdp-too-small.toml"], "range-gdp-too-small.toml:4:7", "macro.gdp"),
    c("range-gdp-too-large", &["range-gdp-too-large.toml"], "range-gdp-too-large.toml:4:7", "macro.gdp"),
    c("range-horizon-zero", &["range-horizon-zero.toml"], "range-horizon-zero.toml:4:17", "time.horizon-years"),
    c("range-horizon-huge", &["range-horizon-huge.toml"], "range-horizon-huge.toml:4:17", "time.horizon-years"),
    c("range-start-year", &["range-start-year.toml"], "range-start-year.toml:4:14", "time.start-year"),
    c("range-hazard", &["range-hazard.toml"], "range-hazard.toml:4:20", "conflict.ceasefire-hazard"),
    c("range-leakage-negative", &["range-leakage-negative.toml"], "range-leakage-negative.toml:4:12", "leakage.receipts"),
    c("range-half-life-zero", &["range-half-life-zero.toml"], "range-half-life-zero.toml:4:13", "products.gold.half-life"),
    c("range-price-too-high", &["range-price-too-high.toml"], "range-price-too-high.toml:4:9", "products.gold.price"),
    c("range-volatility", &["range-volatility.toml"], "range-volatility.toml:4:14", "products.gold.volatility"),
    c("range-lock-up", &["range-lock-up.toml"], "range-lock-up.toml:4:17", "deal.lock-up-until"),
    c("range-rho", &["range-rho.toml"], "range-rho.toml:6:7", "correlations[0].rho"),
    c("range-slowdown-below-one", &["range-slowdown-below-one.toml"], "range-slowdown-below-one.toml:4:26", "stages.war-licensing-slowdown"),
    c("range-construction-years", &["range-construction-years.toml"], "range-construction-years.toml:4:22", "projects.polokhivske-lithium.construction-years"),
    c("range-nan", &["range-nan.toml"], "range-nan.toml:4:12", "fiscal.cit-rate"),
    c("range-infinity", &["range-infinity.toml"], "range-infinity.toml:4:7", "macro.gdp"),
    c("range-uncertain-support", &["range-uncertain-support.toml"], "range-uncertain-support.toml:4:12", "fiscal.cit-rate"),
    c("range-capacity-negative", &["range-capacity-negative.toml"], "range-capacity-negative.toml:4:12", "projects.polokhivske-lithium.products.lithium-spodumene.capacity"),
    c("unit-wrong", &["unit-wrong.toml"], "unit-wrong.toml:4:37", "fiscal.licence-fee.unit"),
    c("unit-percent-written", &["unit-percent-written.toml"], "unit-percent-written.toml:4:33", "fiscal.cit-rate.unit"),
    c("unit-product-mismatch", &["unit-product-mismatch.toml"], "unit-product-mismatch.toml:4:9", "products.gold.price"),
    c("unit-capacity-mismatch", &["unit-capacity-mismatch.toml"], "unit-capacity-mismatch.toml:4:12", "projects.polokhivske-lithium.products.lithium-spodumene.capacity"),
    c("quantity-source-and-assumption", &["quantity-source-and-assumption.toml"], "quantity-source-and-assumption.toml:4:12", "fiscal.cit-rate"),
    c("quantity-empty-source", &["quantity-empty-source.toml"], "quantity-empty-source.toml:4:56", "fiscal.cit-rate.source"),
    c("quantity-bad-reliability", &["quantity-bad-reliability.toml"], "quantity-bad-reliability.toml:4:75", "fiscal.cit-rate.reliability"),
    c("quantity-no-value", &["quantity-no-value.toml"], "quantity-no-value.toml:4:12", "fiscal.cit-rate"),
    c("quantity-derivation-alone", &["quantity-derivation-alone.toml"], "quantity-derivation-alone.toml:4:12", "fiscal.cit-rate.derivation"),
    c("quantity-not-uncertain", &["quantity-not-uncertain.toml"], "quantity-not-uncertain.toml:4:12", "conflict.unknown-control.operable"),
    c("quantity-rho-not-uncertain", &["quantity-rho-not-uncertain.toml"], "quantity-rho-not-uncertain.toml:6:7", "correlations[0].rho"),
    c("dist-unknown-kind", &["dist-unknown-kind.toml"], "dist-unknown-kind.toml:4:21", "fiscal.cit-rate.dist"),
    c("dist-missing-param", &["dist-missing-param.toml"], "dist-missing-param.toml:4:12", "fiscal.cit-rate"),
    c("dist-extra-param", &["dist-extra-param.toml"], "dist-extra-param.toml:4:61", "fiscal.cit-rate.mode"),
    c("dist-uniform-reversed", &["dist-uniform-reversed.toml"], "dist-uniform-reversed.toml:4:12", "fiscal.cit-rate"),
    c("dist-triangular-mode-outside", &["dist-triangular-mode-outside.toml"], "dist-triangular-mode-outside.toml:4:12", "fiscal.cit-rate"),
    c("dist-pert-min-equals-max", &["dist-pert-min-equals-max.toml"], "dist-pert-min-equals-max.toml:4:12", "fiscal.cit-rate"),
    c("dist-lognormal-p90-below-median", &["dist-lognormal-p90-below-median.toml"], "dist-lognormal-p90-below-median.toml:4:12", "products.gold.long-run"),
    c("dist-lognormal-two-specs", &["dist-lognormal-two-specs.toml"], "dist-lognormal-two-specs.toml:4:12", "products.gold.long-run"),
    c("dist-normal-negative-sd", &["dist-normal-negative-sd.toml"], "dist-normal-negative-sd.toml:4:16", "macro.inflation"),
    c("renamed-both-names", &["renamed-both-names.toml"], "renamed-both-names.toml:5:16", "macro.us-inflation"),
    c("dist-beta-tiny-shape", &["dist-beta-tiny-shape.toml"], "dist-beta-tiny-shape.toml:4:12", "leakage.receipts"),
    c("dist-triangular-huge-width", &["dist-triangular-huge-width.toml"], "dist-triangular-huge-width.toml:4:12", "products.gold.long-run"),
    c("dist-discrete-weights-sum", &["dist-discrete-weights-sum.toml"], "dist-discrete-weights-sum.toml:4:64", "fiscal.cit-rate.weights"),
    c("dist-discrete-length-mismatch", &["dist-discrete-length-mismatch.toml"], "dist-discrete-length-mismatch.toml:4:12", "fiscal.cit-rate"),
    c("dist-empirical-points-not-pairs", &["dist-empirical-points-not-pairs.toml"], "dist-empirical-points-not-pairs.toml:4:44", "fiscal.cit-rate.points[0]"),
    c("dist-empirical-points-not-array", &["dist-empirical-points-not-array.toml"], "dist-empirical-points-not-array.toml:4:43", "fiscal.cit-rate.points"),
    c("dist-pert-huge-lambda", &["dist-pert-huge-lambda.toml"], "dist-pert-huge-lambda.toml:4:12", "fiscal.cit-rate"),
    c("range-integer-beyond-64-bits", &["range-integer-beyond-64-bits.toml"], "range-integer-beyond-64-bits.toml:4:7", "macro.gdp"),
    c("unknown-key-huge", &["unknown-key-huge.toml"], "unknown-key-huge.toml:3:5004", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…"),
    c("missing-capex", &["missing-capex.toml"], "missing-capex.toml:3:1", "projects.new-mine.capex"),
    c("missing-products", &["missing-products.toml"], "missing-products.toml:3:1", "projects.new-mine.products"),
    c("missing-capacity", &["missing-capacity.toml"], "missing-capacity.toml:8:1", "projects.new-mine.products.lithium-spodumene.capacity"),
    c("missing-party-name", &["missing-party-name.toml"], "missing-party-name.toml:3:1", "deal.parties.eu.name"),
    c("missing-equity-cap", &["missing-equity-cap.toml"], "missing-equity-cap.toml:3:1", "deal.fund.equity-cap"),
    c("missing-contribution-share", &["missing-contribution-share.toml"], "missing-contribution-share.toml:3:1", "deal.contributions[0].share"),
    c("missing-product-price", &["missing-product-price.toml"], "missing-product-price.toml:3:1", "products.cobalt.price"),
    c("missing-top-level-tables", &["missing-top-level-tables.toml"], "missing-top-level-tables.toml:1:1", "rates"),
    c("consistency-unknown-deposit", &["consistency-unknown-deposit.toml"], "consistency-unknown-deposit.toml:4:11", "projects.polokhivske-lithium.deposit"),
    c("consistency-unknown-product-in-project", &["consistency-unknown-product-in-project.toml"], "consistency-unknown-product-in-project.toml:3:1", "projects.polokhivske-lithium.products.unobtainium"),
    c("consistency-no-products", &["consistency-no-products.toml"], "consistency-no-products.toml:8:12", "projects.new-mine.products"),
    c("consistency-psa-terms-without-psa", &["consistency-psa-terms-without-psa.toml"], "consistency-psa-terms-without-psa.toml:5:1", "projects.polokhivske-lithium.psa"),
    c("consistency-unknown-front-oblast", &["consistency-unknown-front-oblast.toml"], "consistency-unknown-front-oblast.toml:4:17", "conflict.front-oblasts"),
    c("consistency-unknown-exposed-oblast", &["consistency-unknown-exposed-oblast.toml"], "consistency-unknown-exposed-oblast.toml:4:19", "conflict.exposed-oblasts"),
    c("consistency-settlements-sum", &["consistency-settlements-sum.toml"], "consistency-settlements-sum.toml:8:15", "conflict.settlements[1].probability"),
    c("consistency-unknown-control-sum", &["consistency-unknown-control-sum.toml"], "consistency-unknown-control-sum.toml:4:12", "conflict.unknown-control.operable"),
    c("consistency-correlation-unknown-product", &["consistency-correlation-unknown-product.toml"], "consistency-correlation-unknown-product.toml:3:1", "correlations[0]"),
    c("consistency-correlation-self", &["consistency-correlation-self.toml"], "consistency-correlation-self.toml:3:1", "correlations[0]"),
    c("consistency-correlation-duplicate", &["consistency-correlation-duplicate.toml"], "consistency-correlation-duplicate.toml:7:1", "correlations[1]"),
    c("consistency-correlations-not-positive-definite", &["consistency-correlations-not-positive-definite.toml"], "consistency-correlations-not-positive-definite.toml:3:1", "correlations"),
    c("consistency-input-correlation-unknown", &["consistency-input-correlation-unknown.toml"], "consistency-input-correlation-unknown.toml:4:5", "input-correlations[0].a"),
    c("consistency-input-correlations-inconsistent", &["consistency-input-correlations-inconsistent.toml"], "consistency-input-correlations-inconsistent.toml:3:1", "input-correlations[0]"),
    c("consistency-input-correlation-self", &["consistency-input-correlation-self.toml"], "consistency-input-correlation-self.toml:3:1", "input-correlations[0]"),
    c("consistency-sensitivity-group-unmatched", &["consistency-sensitivity-group-unmatched.toml"], "consistency-sensitivity-group-unmatched.toml:4:26", "sensitivity.groups.markets[1]"),
    c("consistency-sensitivity-group-empty", &["consistency-sensitivity-group-empty.toml"], "consistency-sensitivity-group-empty.toml:4:11", "sensitivity.groups.markets"),
    c("flows-unknown-region", &["flows-unknown-region.toml"], "flows-unknown-region.toml:5:10", "licensing-flows[0].region"),
    c("flows-max-permits-too-small", &["flows-max-permits-too-small.toml"], "flows-max-permits-too-small.toml:7:24", "licensing-flows[0].max-permits-per-year"),
    c("flows-max-projects-too-small", &["flows-max-projects-too-small.toml"], "flows-max-projects-too-small.toml:10:25", "licensing-flows[0].max-projects-per-year"),
    c("flows-last-before-first", &["flows-last-before-first.toml"], "flows-last-before-first.toml:7:13", "licensing-flows[0].last-year"),
    c("flows-psa-without-regime", &["flows-psa-without-regime.toml"], "flows-psa-without-regime.toml:19:1", "licensing-flows[0].project.psa"),
    c("flows-unknown-product", &["flows-unknown-product.toml"], "flows-unknown-product.toml:16:1", "licensing-flows[0].project.products.silver"),
    c("flows-duplicate-id", &["flows-duplicate-id.toml"], "flows-duplicate-id.toml:20:6", "licensing-flows[1].id"),
    c("flows-missing-lag", &["flows-missing-lag.toml"], "flows-missing-lag.toml:3:1", "licensing-flows[0].lag"),
    c("consistency-cut-without-world-supply", &["consistency-cut-without-world-supply.toml"], "consistency-cut-without-world-supply.toml:10:17", "products.cobalt.dominant-producer.cut-threshold"),
    c("deal-no-host", &["deal-no-host.toml"], "deal-no-host.toml:4:8", "deal.parties"),
    c("deal-two-hosts", &["deal-two-hosts.toml"], "deal-two-hosts.toml:4:8", "deal.parties"),
    c("deal-unknown-cash-party", &["deal-unknown-cash-party.toml"], "deal-unknown-cash-party.toml:4:9", "deal.cash[0].party"),
    c("deal-unknown-credit-party", &["deal-unknown-credit-party.toml"], "deal-unknown-credit-party.toml:4:9", "deal.credits[0].party"),
    c("deal-unknown-partner", &["deal-unknown-partner.toml"], "deal-unknown-partner.toml:4:11", "deal.partner"),
    c("deal-contribution-years-reversed", &["deal-contribution-years-reversed.toml"], "deal-contribution-years-reversed.toml:3:1", "deal.contributions[0]"),
    c("deal-credit-years-reversed", &["deal-credit-years-reversed.toml"], "deal-credit-years-reversed.toml:3:1", "deal.credits[0]"),
    c("deal-fund-unknown-product", &["deal-fund-unknown-product.toml"], "deal-fund-unknown-product.toml:6:12", "deal.fund.products"),
    c("deal-tier-needs-party", &["deal-tier-needs-party.toml"], "deal-tier-needs-party.toml:3:1", "deal.tiers[0].party"),
    c("deal-tier-unknown-party", &["deal-tier-unknown-party.toml"], "deal-tier-unknown-party.toml:5:9", "deal.tiers[0].party"),
    c("deal-rest-not-last", &["deal-rest-not-last.toml"], "deal-rest-not-last.toml:3:1", "deal.tiers[0]"),
    c("deal-contributions-without-parties", &["deal-contributions-without-parties.toml"], "deal-contributions-without-parties.toml:3:1", "deal.parties"),
    c("deal-bad-stream", &["deal-bad-stream.toml"], "deal-bad-stream.toml:4:10", "deal.contributions[0].stream"),
    c("series-bad-year", &["series-bad-year.toml"], "series-bad-year.toml:4:47", "products.gold.price.by-year.twenty27"),
    c("series-gap", &["series-gap.toml"], "series-gap.toml:4:21", "products.gold.price.by-year"),
    c("series-not-accepted", &["series-not-accepted.toml"], "series-not-accepted.toml:4:24", "fiscal.cit-rate.by-year"),
    c("series-bad-outside", &["series-bad-outside.toml"], "series-bad-outside.toml:4:48", "products.gold.price.outside"),
    c("series-deck-not-covering", &["series-deck-not-covering.toml"], "series-deck-not-covering.toml:4:9", "products.gold.price.by-year"),
    c("royalty-series-not-covering", &["royalty-series-not-covering.toml"], "royalty-series-not-covering.toml:4:16", "products.gold.royalty-rate.by-year"),
    c("rent-change-without-factor", &["rent-change-without-factor.toml"], "rent-change-without-factor.toml:4:22", "fiscal.rent-change-factor"),
    c("stream-unknown-id", &["stream-unknown-id.toml"], "stream-unknown-id.toml:9:10", "deal.contributions[0].stream"),
    c("stream-unknown-receiver", &["stream-unknown-receiver.toml"], "stream-unknown-receiver.toml:10:12", "streams.oil.receiver"),
    c("stream-share-schedule-not-covering", &["stream-share-schedule-not-covering.toml"], "stream-share-schedule-not-covering.toml:13:9", "deal.contributions[0].share.by-year"),
    c("stream-negative-cap", &["stream-negative-cap.toml"], "stream-negative-cap.toml:14:7", "deal.contributions[0].cap"),
    c("stream-negative-amount", &["stream-negative-amount.toml"], "stream-negative-amount.toml:9:31", "streams.oil.amount.by-year.2026"),
    c("stream-with-receipts", &["stream-with-receipts.toml"], "stream-with-receipts.toml:13:12", "deal.contributions[0].receipts"),
    c("removed-infrastructure", &["removed-infrastructure.toml"], "removed-infrastructure.toml:3:1", "infrastructure"),
    c("removed-infrastructure-stream", &["removed-infrastructure-stream.toml"], "removed-infrastructure-stream.toml:4:10", "deal.contributions[0].stream"),
    c("dividends-without-holder", &["dividends-without-holder.toml"], "dividends-without-holder.toml:8:1", "deal.contributions[0].holder"),
    c("dividends-unknown-project", &["dividends-unknown-project.toml"], "dividends-unknown-project.toml:10:21", "deal.contributions[0].projects[1]"),
    c("dividends-unknown-holder", &["dividends-unknown-holder.toml"], "dividends-unknown-holder.toml:11:10", "deal.contributions[0].holder"),
    c("dividends-with-receipts", &["dividends-with-receipts.toml"], "dividends-with-receipts.toml:10:12", "deal.contributions[0].receipts"),
    c("dividends-field-on-royalty", &["dividends-field-on-royalty.toml"], "dividends-field-on-royalty.toml:11:16", "deal.contributions[0].equity-share"),
    c("dividends-equity-above-one", &["dividends-equity-above-one.toml"], "dividends-equity-above-one.toml:12:16", "deal.contributions[0].equity-share"),
    c("price-link-decreasing", &["price-link-decreasing.toml"], "price-link-decreasing.toml:13:83", "deal.credits[0].price-link.points[1].price"),
    c("price-link-value-above-one", &["price-link-value-above-one.toml"], "price-link-value-above-one.toml:13:96", "deal.credits[0].price-link.points[1].value"),
    c("price-link-unknown-product", &["price-link-unknown-product.toml"], "price-link-unknown-product.toml:12:26", "deal.contributions[0].price-link.product"),
    c("price-link-no-points", &["price-link-no-points.toml"], "price-link-no-points.toml:12:43", "deal.contributions[0].price-link.points"),
    c("above-price-unknown-product", &["above-price-unknown-product.toml"], "above-price-unknown-product.toml:14:27", "deal.contributions[0].above-price.product"),
    c("paid-to-unknown-party", &["paid-to-unknown-party.toml"], "paid-to-unknown-party.toml:12:11", "deal.contributions[0].paid-to"),
    c("phasing-not-summing", &["phasing-not-summing.toml"], "phasing-not-summing.toml:5:17", "projects.mine.capex-phasing"),
    c("phasing-wrong-length", &["phasing-wrong-length.toml"], "phasing-wrong-length.toml:5:17", "projects.mine.capex-phasing"),
    c("schedule-shorter-than-life", &["schedule-shorter-than-life.toml"], "schedule-shorter-than-life.toml:4:12", "projects.mine.products.gold.capacity.by-production-year"),
    c("schedule-with-profile", &["schedule-with-profile.toml"], "schedule-with-profile.toml:3:1", "projects.mine.profile"),
    c("schedule-by-calendar-year", &["schedule-by-calendar-year.toml"], "schedule-by-calendar-year.toml:4:20", "projects.mine.products.gold.opex.by-year"),
    c("currency-not-iso", &["currency-not-iso.toml"], "currency-not-iso.toml:4:12", "macro.currency"),
    c("currency-without-rate", &["currency-without-rate.toml"], "currency-without-rate.toml:4:9", "projects.mine.capex"),
    c("currency-uncertain-amount", &["currency-uncertain-amount.toml"], "currency-uncertain-amount.toml:6:9", "projects.mine.capex"),
    c("currency-rate-key", &["currency-rate-key.toml"], "currency-rate-key.toml:4:7", "macro.exchange-rates.eur"),
    c("schedule-year-zero", &["schedule-year-zero.toml"], "schedule-year-zero.toml:4:41", "projects.mine.products.gold.capacity.by-production-year.0"),
    c("remove-nothing-inherited", &["remove-nothing-inherited.toml"], "remove-nothing-inherited.toml:3:28", "remove"),
    c("remove-without-extends", &["remove-without-extends.toml"], "remove-without-extends.toml:2:11", "remove"),
    c("remove-not-array", &["remove-not-array.toml"], "remove-not-array.toml:3:10", "remove"),
    c("remove-and-range-error", &["remove-and-range-error.toml"], "remove-and-range-error.toml:5:12", "fiscal.cit-rate"),
    c("range-capacity-undefined-product", &["range-capacity-undefined-product.toml"], "range-capacity-undefined-product.toml:4:12", "projects.mine.products.silver.capacity"),
    c("above-price-negative", &["above-price-negative.toml"], "above-price-negative.toml:14:43", "deal.contributions[0].above-price.price"),
    c("order-by-line", &["order-by-line.toml"], "order-by-line.toml:4:9", "projects.mine.capex"),
    c("nsr-without-selling-terms", &["nsr-without-selling-terms.toml"], "nsr-without-selling-terms.toml:4:16", "projects.mine.products.gold.royalty-base"),
    c("nsr-selling-costs-unit", &["nsr-selling-costs-unit.toml"], "nsr-selling-costs-unit.toml:4:17", "projects.mine.products.gold.selling-costs"),
    c("deal-bad-receipts", &["deal-bad-receipts.toml"], "deal-bad-receipts.toml:5:12", "deal.contributions[0].receipts"),
    c("deal-bad-tier-kind", &["deal-bad-tier-kind.toml"], "deal-bad-tier-kind.toml:4:8", "deal.tiers[0].kind"),
    c("deal-bad-compounding", &["deal-bad-compounding.toml"], "deal-bad-compounding.toml:6:15", "deal.tiers[0].compounding"),
    c("deal-bad-invests-in", &["deal-bad-invests-in.toml"], "deal-bad-invests-in.toml:6:14", "deal.fund.invests-in"),
    c("fund-cash-rate-out-of-range", &["fund-cash-rate-out-of-range.toml"], "fund-cash-rate-out-of-range.toml:4:17", "deal.fund-cash.interest-rate"),
    c("fund-cash-rate-unit", &["fund-cash-rate-unit.toml"], "fund-cash-rate-unit.toml:4:40", "deal.fund-cash.interest-rate.unit"),
    c("fund-cash-bad-basis", &["fund-cash-bad-basis.toml"], "fund-cash-bad-basis.toml:5:18", "deal.fund-cash.interest-basis"),
    c("fund-cash-bad-policy", &["fund-cash-bad-policy.toml"], "fund-cash-bad-policy.toml:4:17", "deal.fund-cash.after-lock-up"),
    c("fund-cash-cap-without-retain", &["fund-cash-cap-without-retain.toml"], "fund-cash-cap-without-retain.toml:4:16", "deal.fund-cash.retain-up-to"),
    c("fund-cash-negative-cap", &["fund-cash-negative-cap.toml"], "fund-cash-negative-cap.toml:5:16", "deal.fund-cash.retain-up-to"),
    c("boundaries-not-json", &["_base/one-mine.toml", "--set", "deposits.boundaries=\"boundaries-not-json.geojson\""], "boundaries-not-json.geojson:5:3", "deposits.boundaries"),
    c("boundaries-point", &["_base/one-mine.toml", "--set", "deposits.boundaries=\"boundaries-point.geojson\""], "boundaries-point.geojson:1:1", "deposits.boundaries: features[0]"),
    c("boundaries-absent", &["_base/one-mine.toml", "--set", "deposits.boundaries=\"boundaries-absent.geojson\""], "--set:1:21", "deposits.boundaries"),
    c("deposits-bad-header", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-header.csv\""], "deposits-bad-header.csv:1:29", "header, column 5"),
    c("deposits-column-twice", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-column-twice.csv\""], "deposits-column-twice.csv:1:30", "header, column 6"),
    c("deposits-missing-column", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-missing-column.csv\""], "deposits-missing-column.csv:1:1", "header"),
    c("deposits-short-row", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-short-row.csv\""], "deposits-short-row.csv:3:1", "line 3"),
    c("deposits-bad-id", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-id.csv\""], "deposits-bad-id.csv:3:1", "deposit \"Field One\" (line 3), column `id`"),
    c("deposits-duplicate-id", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-duplicate-id.csv\""], "deposits-duplicate-id.csv:3:1", "deposit \"site\" (line 3), column `id`"),
    c("deposits-bad-stage", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-stage.csv\""], "deposits-bad-stage.csv:3:1", "deposit \"field\" (line 3), column `stage`"),
    c("deposits-bad-control", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-control.csv\""], "deposits-bad-control.csv:3:1", "deposit \"field\" (line 3), column `control`"),
    c("deposits-bad-control-date", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-control-date.csv\""], "deposits-bad-control-date.csv:3:1", "deposit \"field\" (line 3), column `control_as_of`"),
    c("deposits-bad-location-kind", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-location-kind.csv\""], "deposits-bad-location-kind.csv:3:1", "deposit \"field\" (line 3), column `location_kind`"),
    c("deposits-no-oblast", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-no-oblast.csv\""], "deposits-no-oblast.csv:3:1", "deposit \"field\" (line 3), column `oblast`"),
    c("deposits-latitude-range", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-latitude-range.csv\""], "deposits-latitude-range.csv:3:1", "deposit \"field\" (line 3), column `lat`"),
    c("deposits-longitude-not-number", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-longitude-not-number.csv\""], "deposits-longitude-not-number.csv:3:1", "deposit \"field\" (line 3), column `lon`"),
    c("deposits-lat-without-lon", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-lat-without-lon.csv\""], "deposits-lat-without-lon.csv:3:1", "deposit \"field\" (line 3), column `lat`"),
    c("deposits-bad-bool", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-bad-bool.csv\""], "deposits-bad-bool.csv:3:1", "deposit \"field\" (line 3), column `coords_approximate`"),
    c("deposits-negative-tonnes", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-negative-tonnes.csv\""], "deposits-negative-tonnes.csv:3:1", "deposit \"field\" (line 3), column `resource_tonnes`"),
    c("deposits-project-deposit-missing", &["_base/one-mine.toml", "--set", "deposits.file=\"deposits-project-deposit-missing.csv\""], "_base/one-mine.toml:44:11", "projects.mine.deposit"),
    c("events-bad-header", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-bad-header.csv\""], "events-bad-header.csv:1:1", "header, column 1"),
    c("events-unknown-deposit", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-unknown-deposit.csv\""], "events-unknown-deposit.csv:2:1", "event on line 2, column `deposit_id`"),
    c("events-bad-kind", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-bad-kind.csv\""], "events-bad-kind.csv:2:1", "event on line 2, column `event`"),
    c("events-bad-date", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-bad-date.csv\""], "events-bad-date.csv:2:1", "event on line 2, column `date`"),
    c("events-after-start", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-after-start.csv\""], "events-after-start.csv:3:1", "event on line 3, column `date`"),
    c("events-bad-bool", &["_base/one-mine.toml", "--set", "deposits.events-file=\"events-bad-bool.csv\""], "events-bad-bool.csv:2:1", "event on line 2, column `low_reliability`"),
    c("set-no-equals", &["ukraine-final-2025", "--set", "rates.valuation"], "--set:1:1", "--set"),
    c("set-newline", &["ukraine-final-2025", "--set", "rates.valuation=0.1\n[deal]\nlock-up-until=1000"], "--set:1:20", "--set"),
    c("set-empty-segment", &["ukraine-final-2025", "--set", "rates..valuation=0.1"], "--set:1:1", "--set"),
    c("set-bad-index", &["ukraine-final-2025", "--set", "deal.contributions[x].share=0.5"], "--set:1:1", "--set"),
    c("set-index-out-of-range", &["ukraine-final-2025", "--set", "deal.contributions[5].share=0.5"], "--set:1:1", "deal.contributions[5].share"),
    c("set-not-an-array", &["ukraine-final-2025", "--set", "fiscal[0]=1"], "--set:1:1", "fiscal[0]"),
    c("set-through-a-string", &["ukraine-final-2025", "--set", "metadata.name.x=1"], "--set:1:1", "metadata.name.x"),
    c("set-wrong-type", &["ukraine-final-2025", "--set", "fiscal.cit-rate=high"], "--set:1:17", "fiscal.cit-rate"),
    c("set-out-of-range", &["ukraine-final-2025", "--set", "time.horizon-years=0"], "--set:1:20", "time.horizon-years"),
    c("set-unknown-key", &["ukraine-final-2025", "--set", "fiscal.vat=0.2"], "--set:1:12", "fiscal.vat"),
    c("set-percent", &["ukraine-final-2025", "--set", "rates.valuation=5"], "--set:1:17", "rates.valuation"),
    c("set-bad-enum", &["ukraine-final-2025", "--set", "deal.contributions[0].receipts=\"old\""], "--set:1:32", "deal.contributions[0].receipts"),
    c("set-second-of-two", &["ukraine-final-2025", "--set", "rates.valuation=0.05", "--set", "rates.us-discount=-1"], "--set:1:19", "rates.partner-discount"),
    c("extends-missing-file", &["extends-missing-file.toml"], "extends-missing-file.toml:2:11", "extends"),
    c("extends-not-a-string", &["extends-not-a-string.toml"], "extends-not-a-string.toml:2:11", "extends"),
    c("extends-unknown-builtin", &["extends-unknown-builtin.toml"], "extends-unknown-builtin.toml:2:11", "extends"),
    c("extends-duplicate", &["extends-duplicate.toml"], "extends-duplicate.toml:2:28", "extends"),
    c("extends-self", &["extends-self.toml"], "extends-self.toml:2:11", "extends"),
    c("extends-directory", &["extends-directory.toml"], "extends-directory.toml:2:11", "extends"),
    c("extends-not-utf8", &["extends-not-utf8.toml"], "extends-not-utf8.toml:2:11", "extends"),
    c("extends-cycle", &["extends-cycle-a.toml"], "extends-cycle-b.toml:2:11", "extends"),
    c("format-version-2", &["format-version-2.toml"], "format-version-2.toml:1:18", "format-version"),
    c("format-version-missing", &["format-version-missing.toml"], "format-version-missing.toml:1:1", "format-version"),
    c("syntax-two-values", &["syntax-two-values.toml"], "syntax-two-values.toml:4:12", ""),
    c("syntax-duplicate-key", &["syntax-duplicate-key.toml"], "syntax-duplicate-key.toml:5:1", ""),
    c("syntax-unclosed-table", &["syntax-unclosed-table.toml"], "syntax-unclosed-table.toml:3:8", ""),
];

/// Files the cases use without being a case of their own.
const HELPERS: &[&str] = &["extends-cycle-b.toml", "expected.txt"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalogue")
}

/// Runs every case on two threads; returns each case's stderr, in table order.
fn run_all() -> Vec<Result<String, String>> {
    let dir = dir();
    let run = |case: &Case| -> Result<String, String> {
        let mut args = vec!["check"];
        args.extend_from_slice(case.args);
        let out = subsoil_in(Some(&dir), &args);
        // A cycle is reported with canonical paths: the folder is written `<catalogue>`.
        let canonical = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let err = text(&out.stderr).replace(canonical.to_str().expect("UTF-8 path"), "<catalogue>");
        let mut why = Vec::new();
        if out.status.code() != Some(2) {
            why.push(format!("exit status {:?}, expected 2", out.status.code()));
        }
        if !out.stdout.is_empty() {
            why.push(format!("wrote to stdout: {}", text(&out.stdout)));
        }
        if err.contains("panicked") {
            why.push("panicked".to_string());
        }
        let want = if case.path.is_empty() {
            format!("error: {}: ", case.at)
        } else {
            format!("error: {}: {}: ", case.at, case.path)
        };
        if !err.contains(&want) {
            why.push(format!("no error line starting {want:?}"));
        }
        if why.is_empty() { Ok(err) } else { Err(format!("{}\n{err}", why.join("; "))) }
    };
    let half = CASES.len().div_ceil(2);
    std::thread::scope(|s| {
        let a = s.spawn(|| CASES[..half].iter().map(run).collect::<Vec<_>>());
        let b = s.spawn(|| CASES[half..].iter().map(run).collect::<Vec<_>>());
        let mut all = a.join().expect("cases run");
        all.extend(b.join().expect("cases run"));
        all
    })
}

/// `expected.txt`: `== name` lines, each followed by that case's stderr.
fn parse_expected(s: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut name: Option<String> = None;
    let mut body = String::new();
    for line in s.split_inclusive('\n') {
        if let Some(n) = line.strip_prefix("== ") {
            if let Some(prev) = name.take() {
                map.insert(prev, std::mem::take(&mut body));
            }
            name = Some(n.trim_end().to_string());
        } else {
            body.push_str(line);
        }
    }
    if let Some(prev) = name {
        map.insert(prev, body);
    }
    map
}

#[test]
fn every_bad_input_names_its_location_and_field_and_exits_2() {
    assert!(CASES.len() >= 100, "the catalogue must hold at least 100 cases");
    let results = run_all();
    let mut failures = Vec::new();
    let mut rendered = String::new();
    for (case, r) in CASES.iter().zip(&results) {
        match r {
            Ok(err) => rendered.push_str(&format!("== {}\n{err}", case.name)),
            Err(why) => failures.push(format!("{}: {why}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );

    let path = dir().join("expected.txt");
    if std::env::var_os("SUBSOIL_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered).expect("write expected.txt");
        return;
    }
    let expected = parse_expected(&std::fs::read_to_string(&path).unwrap_or_default());
    let got = parse_expected(&rendered);
    let mut diffs = Vec::new();
    for (name, text) in &got {
        match expected.get(name) {
            Some(e) if e == text => {}
            Some(e) => diffs.push(format!("== {name}: expected\n{e}-- got\n{text}")),
            None => diffs.push(format!("== {name}: not in expected.txt")),
        }
    }
    for name in expected.keys().filter(|n| !got.contains_key(*n)) {
        diffs.push(format!("== {name}: in expected.txt but no longer a case"));
    }
    assert!(
        diffs.is_empty(),
        "{} messages differ from tests/catalogue/expected.txt (after a deliberate change: SUBSOIL_BLESS=1):\n\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn every_catalogue_file_is_a_case_and_names_are_unique() {
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
    for entry in std::fs::read_dir(dir()).expect("catalogue folder") {
        let file = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if file.starts_with('_') || HELPERS.contains(&file.as_str()) {
            continue;
        }
        let used = CASES.iter().any(|c| {
            c.args.iter().any(|a| {
                a.trim_start_matches("deposits.file=\"")
                    .trim_start_matches("deposits.events-file=\"")
                    .trim_start_matches("deposits.boundaries=\"")
                    .trim_end_matches('"')
                    == file
            })
        });
        assert!(used, "{file} is in tests/catalogue but no case uses it");
    }
}
