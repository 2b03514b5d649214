use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = bcp::cli::Cli::parse();
    match bcp::run(cli) {
        Ok(bcp::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(bcp::Outcome::PlanErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
