//! subsoil-finance (work in progress).
