use super::Context;
use crate::diagnostic::Diagnostic;
use crate::load::Sources;
use crate::model::Plan;
pub fn check(_plan: &Plan, _sources: &Sources, _ctx: &Context, _out: &mut Vec<Diagnostic>) {}
