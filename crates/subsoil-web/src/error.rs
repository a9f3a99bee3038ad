//! Errors as the API answers them: a status and `{"error": ..., "field": ...}`, with every located
//! problem of a scenario under `errors`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use subsoil_scenario::LoadError;

/// One located problem of a scenario: the file, line and column, the field path and what was expected.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Located {
    /// The file as the CLI names it (`upload.toml` for an uploaded scenario, `builtin:...` for built-ins,
    /// `--set` for an override).
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
    /// Dotted field path.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A refused request.
#[derive(Clone, Debug, Serialize)]
pub struct ApiError {
    /// HTTP status.
    #[serde(skip)]
    pub status: StatusCode,
    /// What is wrong, in one sentence (for a scenario, every problem as the CLI prints them).
    pub error: String,
    /// The request field at fault (`paths`, `sets[2]`, `toml`, ...), or the scenario field of the first
    /// problem; `null` when no one field is.
    pub field: Option<String>,
    /// For a scenario that does not load: every problem, located.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Located>,
}

impl ApiError {
    /// A refusal with `status` about `field`.
    pub fn new(status: StatusCode, field: Option<&str>, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            field: field.map(str::to_string),
            errors: Vec::new(),
        }
    }

    /// 400: the request is malformed at `field`.
    pub fn bad(field: &str, error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, Some(field), error)
    }

    /// 400 for a scenario that does not load, with every problem located as the CLI locates it.
    pub fn scenario(e: &LoadError) -> ApiError {
        let errors: Vec<Located> = e
            .diagnostics
            .items
            .iter()
            .map(|d| {
                let file = d.location.as_ref().map(|l| e.sources.get(l.file));
                let at = d
                    .location
                    .as_ref()
                    .and_then(|l| l.span.as_ref())
                    .zip(file)
                    .map(|(span, f)| f.line_col(span.start));
                Located {
                    file: file.map(|f| f.name.clone()),
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                    field: d.path.clone(),
                    message: d.message.clone(),
                }
            })
            .collect();
        let field = errors.first().map(|l| l.field.clone());
        ApiError { status: StatusCode::BAD_REQUEST, error: e.render(), field, errors }
    }

    /// 500: a fault of the server (a worker that failed), never of the request.
    pub fn internal(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, None, error)
    }

    /// The body as JSON bytes.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(self)
            .unwrap_or_else(|_| b"{\"error\":\"error\",\"field\":null}".to_vec())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body();
        (self.status, [(axum::http::header::CONTENT_TYPE, "application/json")], body)
            .into_response()
    }
}
