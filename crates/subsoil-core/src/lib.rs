//! subsoil-core (work in progress).
