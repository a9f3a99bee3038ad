//! Lowering of how a project sells each product: the payable share, the treatment, refining and freight
//! charges, and whether the royalty is on the gross value of the output or on the net smelter return.

use subsoil_core::{Param, Product, Project};

use crate::diag::Diagnostics;
use crate::inputs::Inputs;
use crate::walk::Values;

/// Sets each project product's selling terms from `projects.<id>.products.<product>` (`payable`,
/// `selling-costs`, `royalty-base`); without them a product is sold at its full gross value.
pub fn lower_nsr(
    v: &Values,
    products: &[Product],
    projects: &mut [Project],
    inputs: &mut Inputs,
    d: &mut Diagnostics,
) {
    for p in projects.iter_mut() {
        for pp in &mut p.products {
            let Some(product) = products.get(pp.product) else { continue };
            let base = format!("projects.{}.products.{}", p.id, product.id);
            let selling = format!("{base}.selling-costs");
            crate::lower::check_unit(v, &selling, &format!("USD/{}", product.unit), d);
            if let Some(q) = v.q(&format!("{base}.payable")) {
                pp.payable = inputs.param(q);
            }
            if let Some(q) = v.q(&selling) {
                pp.selling_costs = inputs.param(q);
            }
            pp.royalty_on_nsr = v.str(&format!("{base}.royalty-base")) == Some("nsr");
            let sold_as_is = matches!(pp.payable, Param::Fixed(x) if x == 1.0)
                && matches!(pp.selling_costs, Param::Fixed(x) if x == 0.0);
            if pp.royalty_on_nsr && sold_as_is {
                let path = format!("{base}.royalty-base");
                d.error(
                    v.loc(&path),
                    path,
                    "a royalty on the net smelter return needs the product's `payable` share or `selling-costs` (without them it is the gross value)",
                );
            }
        }
    }
}
