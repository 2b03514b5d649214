//! Render on arbitrary bytes as a one-file plan: every document, Markdown and HTML, as
//! `bcp render --force` would (so plans with errors, dangling references and no recovery
//! analysis are rendered too). Asserts: no panic or hang; a plan without errors always
//! renders, to the same bytes twice; the HTML holds no element that runs code or loads
//! anything (the built-in templates have none, so any would come from plan text).
#![no_main]

use bcp::check::Context;
use bcp::model::Date;
use bcp::render::{Doc, Format, Paper, Settings, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The length's parity picks redaction, so plan files are seeds as they are.
    let redact = data.len() % 2 == 1;
    let loaded = bcp::load::load_bytes("bcp.yaml", data);
    let ctx = Context {
        today: Date::parse("2026-11-27").expect("a valid date"),
    };
    let checked = bcp::check_loaded(loaded, &ctx);
    let valid = !checked.has_errors();
    for format in [Format::Md, Format::Html] {
        let settings = Settings {
            docs: Doc::ALL.to_vec(),
            format,
            lang: None,
            redact,
            date: Some(ctx.today),
            paper: Paper::A4,
            compliance: None,
            since_approval: None,
            team: None,
        };
        let first = render(&checked, &settings);
        if !valid {
            continue;
        }
        let first = first.unwrap_or_else(|e| panic!("a valid plan does not render: {e}"));
        let second = render(&checked, &settings).expect("renders again");
        for (a, b) in first.iter().zip(&second) {
            assert!(
                a.bytes == b.bytes,
                "{} differs between two renders",
                a.file_name
            );
        }
        if format == Format::Html {
            for f in &first {
                let html = String::from_utf8_lossy(&f.bytes).to_lowercase();
                for tag in [
                    "<script", "<iframe", "<object", "<embed", "<img", "<form", "<base", "<link",
                ] {
                    assert!(!html.contains(tag), "{}: {tag} in the output", f.file_name);
                }
            }
        }
    }
});
