//! subsoil-scenario (work in progress).
