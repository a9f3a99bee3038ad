//! `--per-path`: `paths.parquet`, one row per path with its sampled scalar inputs and its scalar outputs,
//! for pandas, polars, DuckDB and R. Written with the parquet crate's low-level typed writer (no Arrow),
//! Snappy-compressed, one row group per 32,768 paths; the bytes depend only on the run, not on the
//! number of threads.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::{Compression, Repetition, Type as Physical};
use parquet::data_type::{DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use subsoil_engine::{PathColumns, Rows, RunConfig, per_path};
use subsoil_scenario::Scenario;

use crate::save::SaveError;

/// Paths per row group.
const ROW_GROUP: usize = 32_768;

/// Columns being filled for the next row group.
struct Buffer {
    writer: SerializedFileWriter<BufWriter<File>>,
    paths: Vec<i64>,
    columns: Vec<Vec<f64>>,
}

impl Buffer {
    fn push(&mut self, rows: &Rows) -> parquet::errors::Result<()> {
        let width = self.columns.len();
        for (i, row) in rows.values.chunks_exact(width).enumerate() {
            self.paths.push((rows.first + i as u64) as i64);
            for (col, v) in self.columns.iter_mut().zip(row) {
                col.push(*v);
            }
            if self.paths.len() == ROW_GROUP {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.paths.is_empty() {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut column) = group.next_column()? {
            if index == 0 {
                column.typed::<Int64Type>().write_batch(&self.paths, None, None)?;
            } else {
                column.typed::<DoubleType>().write_batch(&self.columns[index - 1], None, None)?;
            }
            column.close()?;
            index += 1;
        }
        group.close()?;
        self.paths.clear();
        for c in &mut self.columns {
            c.clear();
        }
        Ok(())
    }
}

/// The table's schema: `path` (int64), then every input and every output (double), all required.
fn schema(columns: &PathColumns) -> parquet::errors::Result<Type> {
    let mut fields = vec![Arc::new(
        Type::primitive_type_builder("path", Physical::INT64)
            .with_repetition(Repetition::REQUIRED)
            .build()?,
    )];
    for name in columns.inputs.iter().map(String::as_str).chain(columns.outputs.iter().copied()) {
        fields.push(Arc::new(
            Type::primitive_type_builder(name, Physical::DOUBLE)
                .with_repetition(Repetition::REQUIRED)
                .build()?,
        ));
    }
    Type::group_type_builder("subsoil_paths").with_fields(fields).build()
}

/// Runs the paths of `config` again and writes their rows to `path`.
pub fn write(scenario: &Scenario, config: &RunConfig, path: &Path) -> Result<(), SaveError> {
    let io =
        |e: &dyn std::fmt::Display| SaveError::Io(format!("cannot write {}: {e}", path.display()));
    let columns = PathColumns::of(scenario);
    let schema = Arc::new(schema(&columns).map_err(|e| io(&e))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("subsoil {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let file = File::create(path).map_err(|e| io(&e))?;
    let writer =
        SerializedFileWriter::new(BufWriter::new(file), schema, props).map_err(|e| io(&e))?;
    let mut buffer = Buffer {
        writer,
        paths: Vec::with_capacity(ROW_GROUP),
        columns: vec![Vec::with_capacity(ROW_GROUP); columns.width()],
    };
    let mut sink = |rows: &Rows| buffer.push(rows);
    match per_path(scenario, config, &mut sink) {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(io(&e)),
        Err(e) => return Err(SaveError::Io(format!("cannot run the paths again: {e}"))),
    }
    buffer.flush().map_err(|e| io(&e))?;
    let file = buffer.writer.into_inner().map_err(|e| io(&e))?;
    file.into_inner().map_err(|e| io(&e.error()))?.sync_all().map_err(|e| io(&e))?;
    Ok(())
}
