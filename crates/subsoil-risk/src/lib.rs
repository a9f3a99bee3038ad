//! subsoil-risk (work in progress).
