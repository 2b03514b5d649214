//! Loading a file that does not load whole, section by section and list entry by list entry,
//! so that one run reports a problem in every entry, and the entries that load are checked.

use super::outline::Outline;
use super::{CURRENT_FILE, LINE_OFFSET, Unloaded, from_yaml, messages};
use crate::diagnostic::Diagnostic;
use crate::model::PlanFile;

/// What a file gave when loaded in parts.
pub(super) struct Recovered {
    pub plan: PlanFile,
    pub problems: Vec<Diagnostic>,
    pub unloaded: Unloaded,
}

/// Loads each section of the file on its own, and each entry of a list section that does not
/// load whole. `None` when the outline does not allow it, or when every part loads on its own
/// (the problem lies between parts): the file's first problem is reported then.
pub(super) fn recover(text: &str, file: u32, outline: &Outline) -> Option<Recovered> {
    if !outline.separable {
        return None;
    }
    let sections = crate::schema::sections();
    let starts = super::line_starts(text);
    let parse_part =
        |header: Option<&str>, from, to| parse_part(text, &starts, file, header, from, to);
    let mut plan = PlanFile::default();
    let mut problems = Vec::new();
    let mut unloaded = Unloaded::default();
    for section in &outline.sections {
        let problem = match parse_part(None, section.line, section.end) {
            Ok(part) => {
                absorb(&mut plan, part);
                continue;
            }
            Err(problem) => problem,
        };
        unloaded.sections.insert(section.key.clone());
        let entries = section.entries.as_deref().unwrap_or_default();
        let before = problems.len();
        let header = format!("{}:", section.key);
        // Runs of entries are parsed together and halved while they fail: a long list with a
        // few broken entries takes a few dozen parses, not one per entry.
        let mut runs = vec![entries];
        while let Some(run) = runs.pop() {
            let (Some(first), Some(last)) = (run.first(), run.last()) else {
                continue;
            };
            match parse_part(Some(&header), first.line, last.end) {
                Ok(part) => absorb(&mut plan, part),
                Err(problem) if run.len() == 1 => {
                    problems.push(*problem);
                    match &first.id {
                        Some(id) => {
                            unloaded.ids.insert(id.clone());
                        }
                        None => unloaded.unknown = true,
                    }
                }
                // Halves in reverse, so that the first half is parsed first and the entries
                // keep their order.
                Err(_) => {
                    let (a, b) = run.split_at(run.len() / 2);
                    runs.push(b);
                    runs.push(a);
                }
            }
        }
        if problems.len() == before {
            // Not a list, or its entries load one by one: the section's own problem. What a
            // section holds is unknown unless it defines no ids (`plan`, `call_tree`).
            problems.push(*problem);
            unloaded.unknown |= !(sections.contains(&section.key)
                && matches!(section.key.as_str(), "plan" | "call_tree" | "files"));
        }
    }
    (!problems.is_empty()).then_some(Recovered {
        plan,
        problems,
        unloaded,
    })
}

/// Parses lines `[from, to)` of the file (1-based; `starts` are the lines' byte offsets),
/// after a `header` line when given, with positions as in the whole file.
fn parse_part(
    text: &str,
    starts: &[usize],
    file: u32,
    header: Option<&str>,
    from: usize,
    to: usize,
) -> Result<PlanFile, Box<Diagnostic>> {
    let at = |line: usize| starts.get(line - 1).copied().unwrap_or(text.len());
    let lines = &text[at(from).min(text.len())..at(to).min(text.len())];
    let part = match header {
        Some(header) => format!("{header}\n{lines}"),
        None => lines.to_string(),
    };
    let offset = u32::try_from(from - 1 - usize::from(header.is_some())).unwrap_or(0);
    CURRENT_FILE.with(|f| f.set(file));
    LINE_OFFSET.with(|o| o.set(offset));
    let result = from_yaml::<PlanFile>(&part);
    LINE_OFFSET.with(|o| o.set(0));
    // The message is worked out on the part (its positions read the part's text), then moved
    // to the file's lines.
    result.map_err(|e| {
        let mut d = messages::yaml_error(&e, &part, file);
        for span in d
            .span
            .iter_mut()
            .chain(d.labels.iter_mut().map(|l| &mut l.span))
        {
            span.line = span.line.saturating_add(offset);
        }
        Box::new(d)
    })
}

/// Moves a part's sections into the file's.
fn absorb(into: &mut PlanFile, part: PlanFile) {
    fn once<T>(slot: &mut Option<T>, value: Option<T>) {
        if value.is_some() {
            *slot = value;
        }
    }
    // Every field by name: a new section fails to compile here until it is merged too.
    let PlanFile {
        plan,
        people,
        teams,
        call_tree,
        risks,
        functions,
        strategies,
        emergency_response,
        procedures,
        systems,
        sites,
        suppliers,
        resources,
        training,
        scenarios,
        exercises,
        files,
        exceptions,
    } = part;
    once(&mut into.plan, plan);
    once(&mut into.call_tree, call_tree);
    once(&mut into.emergency_response, emergency_response);
    once(&mut into.files, files);
    into.people.extend(people);
    into.teams.extend(teams);
    into.risks.extend(risks);
    into.functions.extend(functions);
    into.strategies.extend(strategies);
    into.procedures.extend(procedures);
    into.systems.extend(systems);
    into.sites.extend(sites);
    into.suppliers.extend(suppliers);
    into.resources.extend(resources);
    into.training.extend(training);
    into.scenarios.extend(scenarios);
    into.exercises.extend(exercises);
    into.exceptions.extend(exceptions);
}
