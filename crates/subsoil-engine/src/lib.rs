//! subsoil-engine (work in progress).
