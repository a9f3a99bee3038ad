//! A scenario given as text (`load_text`), the `overrides` a file records, and `[levers.<id>]`.

use subsoil_scenario::{load, load_text};

const BASE: &str = "format-version = 1\nextends = \"ukraine-final-2025\"\n";

#[test]
fn overrides_in_a_file_give_the_model_the_same_sets_give() {
    let sets =
        vec!["conflict.ceasefire-year=2030".to_string(), "deal.credits[0].per-year=0".to_string()];
    let by_flag = load("ukraine-final-2025", &sets).expect("loads");
    let text = format!(
        "overrides = [\"conflict.ceasefire-year=2030\", \"deal.credits[0].per-year=0\"]\n{BASE}"
    );
    let by_file = load_text("variant.toml", &text, &[]).expect("loads");
    assert_eq!(format!("{:?}", by_flag.model), format!("{:?}", by_file.model));
    assert_eq!(by_flag.inputs.list.len(), by_file.inputs.list.len());
    // A --set given as well comes after the file's overrides, so it wins.
    let later =
        load_text("variant.toml", &text, &["conflict.ceasefire-year=2040".into()]).expect("loads");
    let again = load(
        "ukraine-final-2025",
        &["deal.credits[0].per-year=0".into(), "conflict.ceasefire-year=2040".into()],
    )
    .expect("loads");
    assert_eq!(format!("{:?}", later.model), format!("{:?}", again.model));
}

#[test]
fn overrides_that_are_not_strings_are_located() {
    let e = load_text("v.toml", &format!("overrides = [\"rates.valuation=0.05\", 3]\n{BASE}"), &[])
        .unwrap_err();
    let text = e.render();
    assert!(text.contains("v.toml:1:38: overrides[1]: expected an array of strings"), "{text}");
}

#[test]
fn levers_are_read_with_their_overrides_and_an_unknown_field_is_located() {
    let ok = format!(
        "{BASE}\n[levers.no-credits]\nlabel = \"No military-aid credits\"\ngroup = \"credits\"\nset = [\"deal.credits[0].per-year=0\"]\n"
    );
    let s = load_text("l.toml", &ok, &[]).expect("loads");
    let lever = s.levers.iter().find(|l| l.name == "no-credits").expect("the lever");
    assert_eq!(lever.label, "No military-aid credits");
    assert_eq!(lever.group.as_deref(), Some("credits"));
    assert_eq!(lever.sets, vec!["deal.credits[0].per-year=0".to_string()]);
    let bad = format!("{BASE}\n[levers.x]\nlabel = \"x\"\nset = [\"deal.no-such-field=1\"]\n");
    let text = load_text("l.toml", &bad, &[]).unwrap_err().render();
    assert!(text.contains("l.toml:6:7: levers.x.set[0]"), "{text}");
    assert!(text.contains("not an override of a known field"), "{text}");
}

#[test]
fn a_scenario_given_as_text_reads_no_file() {
    for text in [
        "format-version = 1\nextends = \"../scenarios/ukraine-base.toml\"\n".to_string(),
        format!("{BASE}[deposits]\nfile = \"/etc/passwd\"\n"),
    ] {
        let e = load_text("t.toml", &text, &[]).unwrap_err().render();
        assert!(e.contains("a scenario given as text reads no files"), "{e}");
    }
}

#[test]
fn every_lever_of_every_built_in_scenario_loads() {
    let mut pulled = 0;
    for (name, _) in subsoil_scenario::builtin::SCENARIOS {
        let s = load(name, &[]).expect("loads");
        let groups: Vec<&str> = s.levers.iter().filter_map(|l| l.group.as_deref()).collect();
        // The Ukrainian versions share the base's levers; the Sicomines deals have none.
        if name.starts_with("ukraine-") {
            assert!(groups.contains(&"frontline-loss"), "{name}");
            assert!(s.levers.iter().any(|l| l.name == "no-dominant-producer"), "{name}");
        }
        for lever in &s.levers {
            let with = load(name, &lever.sets)
                .unwrap_or_else(|e| panic!("{name} {}: {}", lever.name, e.render()));
            assert_ne!(with.hash, s.hash, "{name} {}", lever.name);
            pulled += 1;
        }
    }
    let final_ = load("ukraine-final-2025", &[]).expect("loads");
    assert_eq!(
        final_.levers.iter().filter(|l| l.group.as_deref() == Some("aid-credits")).count(),
        3
    );
    // Off, the dominant producer's uncertain episode inputs are gone from the lithium products.
    let off = load(
        "ukraine-final-2025",
        &final_.levers.iter().find(|l| l.name == "no-dominant-producer").expect("lever").sets,
    )
    .expect("loads");
    assert!(off.inputs.list.len() <= final_.inputs.list.len());
    assert_eq!(pulled, 4 * 3 + 3);
}
