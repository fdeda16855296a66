//! Terminal output: progress bars, aligned tables (CJK-aware), JSON.

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobmatch::{Error, Result};
use unicode_width::UnicodeWidthStr;

/// A progress bar on stderr when it is a terminal and not `--quiet`.
pub fn progress(len: u64, what: &str, quiet: bool, bytes: bool) -> ProgressBar {
    let target = if quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    let template = if bytes {
        "{msg:>10} [{bar:40}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}"
    } else {
        "{msg:>10} [{bar:40}] {human_pos}/{human_len} {rate} ETA {eta}"
    };
    bar.set_style(
        ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            // Records per second, whole: indicatif's {per_sec} prints four decimals.
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

/// Whether stdout is a terminal (human-first output) or a pipe (JSON Lines).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Opens a file for buffered reading, counting the bytes read.
pub fn open_counted(path: &Path) -> Result<(BufReader<CountingReader<File>>, Arc<AtomicU64>, u64)> {
    let file = File::open(path).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e,
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let count = Arc::new(AtomicU64::new(0));
    let reader = BufReader::with_capacity(
        1 << 20,
        CountingReader {
            inner: file,
            count: count.clone(),
        },
    );
    Ok((reader, count, len))
}

/// A reader that counts the bytes passing through it.
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Creates a file for buffered writing.
pub fn create(path: &Path) -> Result<BufWriter<File>> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| Error::Io {
            path: Some(path.to_owned()),
            source: e,
        })
}

/// Writes a value to a file as pretty-printed JSON with a final newline
/// (reports, configs); the error names the file.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut json = serde_json::to_vec_pretty(value).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e.into(),
    })?;
    json.push(b'\n');
    std::fs::write(path, json).map_err(|e| Error::Io {
        path: Some(path.to_owned()),
        source: e,
    })
}

/// Prints rows as an aligned table; widths count CJK characters as two
/// columns. Columns whose header starts with '>' are right-aligned.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let right: Vec<bool> = headers.iter().map(|h| h.starts_with('>')).collect();
    let headers: Vec<&str> = headers.iter().map(|h| h.trim_start_matches('>')).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.width());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            if right[i] {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if i + 1 < cells.len() {
                    out.push_str(&pad);
                }
            }
            if i + 1 < cells.len() {
                out.push_str("  ");
            }
        }
        println!("{}", out.trim_end());
    };
    line(headers.clone());
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Prints a value as pretty JSON.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Io {
        path: None,
        source: e.into(),
    })?;
    println!("{text}");
    Ok(())
}

/// Shortens a string to at most `width` display columns.
pub fn clip(s: &str, width: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if (out.as_str().width() + c.to_string().width()) > width.saturating_sub(1) {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}
