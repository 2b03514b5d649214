use super::Index;
use crate::diagnostic::Diagnostic;
use crate::model::Plan;
pub fn check(_plan: &Plan, _index: &Index, _out: &mut Vec<Diagnostic>) {}
