use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = bcp::cli::Cli::parse();
    let stderr_color = bcp::use_color(cli.color, bcp::Stream::Stderr);
    match bcp::run(cli) {
        Ok(bcp::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(bcp::Outcome::PlanErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{}", bcp::error_message(&e, stderr_color));
            ExitCode::from(2)
        }
    }
}
