//! subsoil-stats (work in progress).
