//! Integration tests: run the `bcp` binary on fixture plans and compare what a user sees.
//! One test binary (faster to link); one module per command.

mod bad_input;
mod common;
mod deep;
mod documents;
mod every_problem;
mod examples;
mod files;
mod generate;
mod governance;
mod graph;
mod help;
mod init;
mod lang;
mod output;
mod props;
mod questionnaire;
mod render;
mod report;
mod safety;
mod scenarios;
mod schema;
mod serve;
mod validate;
