//! Load + validate on arbitrary bytes as a one-file plan, then print the findings in every
//! format. Beyond "no panic, no hang", it checks what a user relies on: every position points
//! into the file (a line that exists, a column within it or just past its end), the JSON
//! and SARIF outputs are JSON, and a file that parses is written back by `load::to_yaml` as
//! YAML that parses to an equal plan file.
#![no_main]

use bcp::check::Context;
use bcp::diagnostic::{Format, render};
use bcp::model::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = bcp::load::load_bytes("bcp.yaml", data);
    let ctx = Context {
        today: Date::parse("2026-11-27").expect("a valid date"),
    };
    let checked = bcp::check_loaded(loaded, &ctx);
    let sources = &checked.loaded.sources;
    for d in &checked.diagnostics {
        let spans = d.span.iter().chain(d.labels.iter().map(|l| &l.span));
        for span in spans {
            let line = sources.line(span.file, span.line).unwrap_or_else(|| {
                panic!(
                    "{} `{}` points at line {} past the file's end",
                    d.code, d.message, span.line
                )
            });
            let width = u32::try_from(line.chars().count()).unwrap_or(u32::MAX);
            assert!(
                span.column >= 1 && span.column <= width.saturating_add(1),
                "{} `{}` points at column {} of a {width}-character line {:?}",
                d.code,
                d.message,
                span.column,
                line
            );
        }
    }
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        for color in [false, true] {
            let text = render(&checked.diagnostics, sources, format, color);
            if matches!(format, Format::Json | Format::Sarif) {
                serde_json::from_str::<serde_json::Value>(&text).expect("JSON output parses");
            }
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Ok(Some(file)) = bcp::load::parse_str(text) {
            let yaml = bcp::load::to_yaml(&file).expect("a parsed plan file can be written");
            let again = bcp::load::parse_str(&yaml)
                .unwrap_or_else(|d| {
                    panic!(
                        "written plan does not parse: {} at {:?}\n{yaml}",
                        d.message, d.span
                    )
                })
                .expect("written plan is not empty");
            assert!(again == file, "written plan reads back different:\n{yaml}");
        }
    }
});
