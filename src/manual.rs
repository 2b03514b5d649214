//! `bcp man`: one manual page that holds every command, the exit status and the environment.
//!
//! clap_mangen's whole-page output lists subcommands as `bcp-validate(1)` pages, which are
//! never installed; this page describes each command in a section of its own instead.

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

/// The manual page as roff.
///
/// # Errors
/// Never in practice: the page is written to memory.
pub fn page() -> Result<String, std::io::Error> {
    let cmd = crate::cli::public_command().disable_help_subcommand(true);
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let name = format!("bcp {}", sub.get_name());
        let sub_man = Man::new(
            sub.clone()
                .bin_name(&name)
                .disable_help_flag(true)
                .disable_version_flag(true),
        );
        let mut part = Vec::new();
        sub_man.render_synopsis_section(&mut part)?;
        part.extend_from_slice(b".PP\n");
        sub_man.render_description_section(&mut part)?;
        sub_man.render_options_section(&mut part)?;
        // The command's own sections become parts of its subsection.
        let mut roff = Roff::new();
        roff.control("SS", [name.as_str()]);
        out.extend_from_slice(roff.to_roff().as_bytes());
        for line in String::from_utf8_lossy(&part).lines() {
            if line.starts_with(".SH OPTIONS") {
                out.extend_from_slice(b".PP\nOptions:\n");
            } else if !line.starts_with(".SH") {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
        }
    }
    let mut roff = Roff::new();
    section(
        &mut roff,
        "EXIT STATUS",
        &[
            (
                "0",
                "Success. Warnings are allowed, unless --deny-warnings is given.",
            ),
            (
                "1",
                "The plan has errors (or warnings with --deny-warnings); the findings are printed.",
            ),
            (
                "2",
                "Usage or I/O failure: a wrong option, an unreadable path, a folder without bcp.yaml, bcp init over an existing plan, an --out that names a link or a device, no browser for a PDF.",
            ),
        ],
    );
    section(
        &mut roff,
        "ENVIRONMENT",
        &[
            (
                "NO_COLOR",
                "When set and not empty, output is not coloured (unless --color always).",
            ),
            (
                "SOURCE_DATE_EPOCH",
                "The date bcp render prints in documents, when --date is not given (seconds since 1970).",
            ),
        ],
    );
    out.extend_from_slice(roff.to_roff().as_bytes());
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A section of terms and their meanings.
fn section(roff: &mut Roff, title: &str, items: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (term, meaning) in items {
        roff.control("TP", []);
        roff.text([bold(*term)]);
        roff.text([roman(*meaning)]);
    }
}
