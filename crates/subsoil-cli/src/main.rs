//! The `subsoil` command-line tool.
fn main() {}
