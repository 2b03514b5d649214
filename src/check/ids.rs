//! Ids are unique across the plan, and every reference names an entity of the right kind.

use crate::diagnostic::Diagnostic;
use crate::model::{Id, Plan, Span};
use crate::t;
use rustc_hash::FxHashMap;

/// What an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Person,
    Team,
    Risk,
    Function,
    Strategy,
    Procedure,
    System,
    Site,
    Supplier,
    Resource,
    Training,
    Scenario,
    Exercise,
    Message,
    Action,
}

impl Kind {
    /// Every kind: what an exception's `target` may name.
    pub const ALL: [Kind; 15] = [
        Kind::Person,
        Kind::Team,
        Kind::Risk,
        Kind::Function,
        Kind::Strategy,
        Kind::Procedure,
        Kind::System,
        Kind::Site,
        Kind::Supplier,
        Kind::Resource,
        Kind::Training,
        Kind::Scenario,
        Kind::Exercise,
        Kind::Message,
        Kind::Action,
    ];

    /// The kind's name in the language of messages.
    pub fn word(self) -> &'static str {
        crate::i18n::raw(crate::i18n::current(), &format!("kind.{}", self.as_str()))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Team => "team",
            Kind::Risk => "risk",
            Kind::Function => "function",
            Kind::Strategy => "strategy",
            Kind::Procedure => "procedure",
            Kind::System => "system",
            Kind::Site => "site",
            Kind::Supplier => "supplier",
            Kind::Resource => "resource",
            Kind::Training => "training",
            Kind::Scenario => "scenario",
            Kind::Exercise => "exercise",
            Kind::Message => "message",
            Kind::Action => "action",
        }
    }
}

/// Every id of the plan: its kind, where it is defined, and its position in its section's list.
#[derive(Debug, Default)]
pub struct Index {
    entries: FxHashMap<String, Entry>,
    /// Ids of entries that did not load: they exist, of an unknown kind.
    unloaded: std::collections::BTreeSet<String>,
    /// The ids of each kind, indexed for "did you mean" when the first suggestion is asked
    /// for (a clean plan never pays for it).
    suggestions: std::sync::OnceLock<FxHashMap<Kind, crate::suggest::Candidates>>,
}

#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub kind: Kind,
    pub span: Span,
    /// Position in the section's list (e.g. `plan.functions[position]`).
    pub position: usize,
}

impl Index {
    pub fn get(&self, id: &str) -> Option<Entry> {
        self.entries.get(id).copied()
    }

    pub fn kind(&self, id: &str) -> Option<Kind> {
        self.get(id).map(|e| e.kind)
    }

    /// The nearest id of one of the wanted kinds, for "did you mean". Near-constant time
    /// per call (see [`crate::suggest::Candidates`]): a plan may hold tens of thousands of
    /// unknown references.
    fn nearest(&self, given: &str, wanted: &[Kind]) -> Option<&str> {
        let by_kind = self.suggestions.get_or_init(|| {
            let mut ids: FxHashMap<Kind, Vec<&str>> = FxHashMap::default();
            for (id, entry) in &self.entries {
                ids.entry(entry.kind).or_default().push(id);
            }
            ids.into_iter()
                .map(|(kind, ids)| (kind, crate::suggest::Candidates::new(ids)))
                .collect()
        });
        crate::suggest::nearest(
            given,
            wanted
                .iter()
                .filter_map(|k| by_kind.get(k))
                .flat_map(|c| c.near(given)),
        )
    }
}

/// Builds the index, reporting duplicate ids (R001), then checks every reference (R002, R003).
pub fn check(plan: &Plan, out: &mut Vec<Diagnostic>) -> Index {
    // The lists of entries with ids, by kind: counted, then indexed.
    macro_rules! sections {
        ($then:ident) => {
            $then!(people => Person, teams => Team, risks => Risk, functions => Function,
                strategies => Strategy, procedures => Procedure, systems => System,
                sites => Site, suppliers => Supplier, resources => Resource,
                training => Training, scenarios => Scenario, exercises => Exercise)
        };
    }
    macro_rules! count_all {
        ($($list:ident => $kind:ident),*) => { 0 $(+ plan.$list.len())* };
    }
    let messages = plan
        .emergency_response
        .as_ref()
        .map_or(&[][..], |er| &er.messages);
    let actions = || {
        plan.exercises
            .iter()
            .filter_map(|e| e.results.as_ref())
            .flat_map(|r| &r.actions)
    };
    let mut index = Index {
        unloaded: plan.unloaded_ids.clone(),
        ..Index::default()
    };
    // Sized once: grown by doubling, the table of a 10,000-function plan's 28,000 ids was
    // rehashed a dozen times, a tenth of the checks' work.
    index
        .entries
        .reserve(sections!(count_all) + messages.len() + actions().count());
    let mut add = |id: &Id, kind: Kind, position: usize| {
        if let Some(problem) = id_problem(&id.value) {
            out.push(
                Diagnostic::error("R004", t!("R004.message", kind = kind.word(), problem))
                    .at(id.span)
                    .help(t!("R004.help", example = kind.as_str())),
            );
        }
        if let Some(first) = index.entries.get(id.as_str()) {
            out.push(
                Diagnostic::error("R001", t!("R001.message", id = id.value))
                    .at(id.span)
                    .label(t!("R001.label", kind = kind.word(), id = id.value))
                    .also(first.span, t!("R001.first_as", kind = first.kind.word()))
                    .help(t!("R001.help")),
            );
        } else {
            index.entries.insert(
                id.value.clone(),
                Entry {
                    kind,
                    span: id.span,
                    position,
                },
            );
        }
    };
    macro_rules! index_all {
        ($($list:ident => $kind:ident),*) => {$(
            for (i, item) in plan.$list.iter().enumerate() {
                add(&item.id, Kind::$kind, i);
            }
        )*};
    }
    sections!(index_all);
    for (i, m) in messages.iter().enumerate() {
        add(&m.id, Kind::Message, i);
    }
    for (i, a) in actions().enumerate() {
        add(&a.id, Kind::Action, i);
    }
    references(plan, &index, out);
    index
}

/// Longest id, in characters: ids are printed in tables, anchors and file names.
const MAX_ID_CHARS: usize = 100;

/// Why an id cannot be used, if it cannot: empty, too long, or holding whitespace or
/// invisible control characters (a right-to-left override makes a printed id lie about
/// what it names).
fn id_problem(id: &str) -> Option<String> {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    // Most ids are short and plain ASCII (`payments`, `F-0042`): nothing to look at further.
    if !id.is_empty() && id.len() <= MAX_ID_CHARS && id.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    if id.is_empty() {
        Some(t!("R004.empty"))
    } else if id.chars().count() > MAX_ID_CHARS {
        Some(t!(
            "R004.too_long",
            n = id.chars().count(),
            max = MAX_ID_CHARS
        ))
    } else {
        id.chars()
            .find(|&c| c.is_whitespace() || invisible(c))
            .map(|c| t!("R004.holds", char = char_name(c)))
    }
}

fn char_name(c: char) -> String {
    match c {
        ' ' => t!("R004.space"),
        '\t' => t!("R004.tab"),
        c if c.is_whitespace() => t!("R004.other_space", hex = format!("{:04X}", u32::from(c))),
        c => t!("R004.invisible", hex = format!("{:04X}", u32::from(c))),
    }
}

/// Checks one reference against the kinds it may name.
/// `what` names the place of the reference; it is only formatted for a finding.
pub(super) fn expect(
    index: &Index,
    reference: &Id,
    wanted: &[Kind],
    what: &dyn Fn() -> String,
    out: &mut Vec<Diagnostic>,
) {
    let found = index.get(reference);
    if found.is_some_and(|entry| wanted.contains(&entry.kind))
        || (found.is_none() && index.unloaded.contains(reference.as_str()))
    {
        return;
    }
    let what = what();
    let names = if wanted.len() == Kind::ALL.len() {
        t!("kind.id")
    } else {
        wanted
            .iter()
            .map(|k| k.word())
            .collect::<Vec<_>>()
            .join(crate::i18n::raw(crate::i18n::current(), "kind.or"))
    };
    let id = &reference.value;
    if let Some(entry) = found {
        out.push(
            Diagnostic::error(
                "R003",
                t!(
                    "R003.message",
                    what,
                    a_names = with_article(&names),
                    id,
                    a_kind = with_article(entry.kind.word())
                ),
            )
            .at(reference.span)
            .label(t!("R003.label", names))
            .also(entry.span, t!("R003.defined", id))
            .help(match index.nearest(reference, wanted) {
                Some(suggestion) => t!("R003.did_you_mean", names, suggestion),
                None => t!("R003.name_one", names),
            }),
        );
    } else {
        let mut d = Diagnostic::error("R002", t!("R002.message", names, id, what))
            .at(reference.span)
            .label(t!("R002.label"));
        d = d.help(match index.nearest(reference, wanted) {
            Some(suggestion) => t!("did_you_mean", suggestion),
            None => t!("R002.define", a_names = with_article(&names), id),
        });
        out.push(d);
    }
}

/// A kind's name with its indefinite article, where the language has one (`an exercise`).
fn with_article(word: &str) -> String {
    let form = if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "kind.article_an"
    } else {
        "kind.article_a"
    };
    t!(form, word)
}

fn references(plan: &Plan, index: &Index, out: &mut Vec<Diagnostic>) {
    use Kind::{Function, Person, Risk, Scenario, Site, Supplier, System, Team};
    let mut wrong_section = Vec::new();
    // Findings pushed directly, while `r` holds `out`.
    let mut extra = Vec::new();
    // `what` is only formatted when a finding is reported: a clean plan allocates nothing here.
    let mut r =
        |id: &Id, wanted: &[Kind], what: &dyn Fn() -> String| expect(index, id, wanted, what, out);
    let meta = &plan.meta;
    if plan.has_meta {
        r(&meta.owner, &[Person], &|| t!("what.plan_owner"));
    }
    for s in &meta.scope.sites {
        r(s, &[Site], &|| t!("what.plan_scope"));
    }
    for a in &meta.approvals {
        r(&a.by, &[Person], &|| t!("what.approval"));
    }
    if let Some(review) = &meta.review {
        for h in &review.history {
            r(&h.by, &[Person], &|| t!("what.review_history"));
        }
    }
    for c in &meta.change_log {
        r(&c.author, &[Person], &|| t!("what.change_log"));
    }
    for t in &plan.teams {
        let what = || t!("what.team", id = t.id.value);
        for p in t.lead.iter().chain(&t.second_lead).chain(&t.members) {
            r(p, &[Person], &what);
        }
    }
    if let Some(tree) = &plan.call_tree {
        let mut stack: Vec<_> = tree.tree.iter().collect();
        while let Some(node) = stack.pop() {
            r(&node.person, &[Person], &|| t!("what.call_tree"));
            if let Some(f) = &node.fallback {
                r(f, &[Person], &|| t!("what.fallback"));
            }
            stack.extend(node.calls.iter());
        }
    }
    for risk in &plan.risks {
        let what = || t!("what.risk", id = risk.id.value);
        r(&risk.owner, &[Person], &what);
        for f in &risk.affects {
            r(f, &[Function], &what);
        }
    }
    for f in &plan.functions {
        let what = || t!("what.function", id = f.id.value);
        if let Some(o) = &f.owner {
            r(o, &[Person], &what);
        }
        for k in &f.resources.key_people {
            r(&k.person, &[Person], &what);
            if let Some(b) = &k.backup {
                r(b, &[Person], &what);
            }
        }
        for d in &f.depends_on.functions {
            r(d, &[Function], &|| {
                t!("what.depends_on", list = "functions", what = what())
            });
        }
        for d in &f.depends_on.systems {
            r(d, &[System], &|| {
                t!("what.depends_on", list = "systems", what = what())
            });
        }
        for d in &f.depends_on.sites {
            r(d, &[Site], &|| {
                t!("what.depends_on", list = "sites", what = what())
            });
        }
        for d in &f.depends_on.suppliers {
            r(d, &[Supplier], &|| {
                t!("what.depends_on", list = "suppliers", what = what())
            });
        }
        if let Some(w) = &f.workaround {
            for c in &w.covers {
                r(c, &[System], &|| t!("what.workaround", what = what()));
            }
        }
    }
    for s in &plan.strategies {
        for f in &s.covers {
            r(f, &[Function], &|| t!("what.strategy", id = s.id.value));
        }
    }
    if let Some(er) = &plan.emergency_response {
        for a in &er.activation_authority {
            r(a, &[Person, Team], &|| t!("what.activation_authority"));
        }
        for m in &er.messages {
            if let Some(s) = &m.sender {
                r(s, &[Person, Team], &|| t!("what.message", id = m.id.value));
            }
        }
    }
    // One table for the steps of every procedure in turn: made once, not 10,000 times.
    let mut steps: FxHashMap<&str, Span> = FxHashMap::default();
    for p in &plan.procedures {
        let what = || t!("what.procedure", id = p.id.value);
        for t in &p.recovers {
            r(t, &[Function, System], &what);
        }
        steps.clear();
        for s in &p.steps {
            r(&s.team, &[Team], &|| {
                t!("what.step", id = s.id.value, what = what())
            });
            if let Some(first) = steps.insert(s.id.as_str(), s.id.span) {
                extra.push(
                    Diagnostic::error(
                        "R001",
                        t!("R001.step.message", id = s.id.value, what = what()),
                    )
                    .at(s.id.span)
                    .also(first, t!("R001.step.first"))
                    .help(t!("R001.step.help")),
                );
            }
        }
        // Indexed once per procedure, when a first `after` names an unknown step.
        let known = std::cell::OnceCell::new();
        for s in &p.steps {
            for a in &s.after {
                if !steps.contains_key(a.as_str()) {
                    let known = known
                        .get_or_init(|| crate::suggest::Candidates::new(steps.keys().copied()));
                    extra.push(
                        Diagnostic::error(
                            "R002",
                            t!("R002.step.message", step = a.value, id = s.id.value),
                        )
                        .at(a.span)
                        .label(t!("R002.step.label", what = what()))
                        .help(match known.nearest(a) {
                            Some(suggestion) => t!("did_you_mean", suggestion),
                            None => t!("R002.step.help"),
                        }),
                    );
                }
            }
        }
    }
    for s in &plan.systems {
        let what = || t!("what.system", id = s.id.value);
        if let Some(o) = &s.owner {
            r(o, &[Team, Person], &what);
        }
        wrong_section.extend(s.depends_on.functions.iter().map(|d| (d, what())));
        for d in &s.depends_on.systems {
            r(d, &[System], &|| {
                t!("what.depends_on", list = "systems", what = what())
            });
        }
        for d in &s.depends_on.sites {
            r(d, &[Site], &|| {
                t!("what.depends_on", list = "sites", what = what())
            });
        }
        for d in &s.depends_on.suppliers {
            r(d, &[Supplier], &|| {
                t!("what.depends_on", list = "suppliers", what = what())
            });
        }
        if let Some(d) = &s.dr_site {
            r(d, &[Site], &|| t!("what.dr_site", what = what()));
        }
    }
    for s in &plan.sites {
        if let Some(a) = &s.alternate {
            r(a, &[Site], &|| t!("what.alternate_site", id = s.id.value));
        }
    }
    for s in &plan.suppliers {
        for a in &s.alternates {
            r(a, &[Supplier], &|| {
                t!("what.alternate_suppliers", id = s.id.value)
            });
        }
    }
    for res in &plan.resources {
        let what = || t!("what.resource", id = res.id.value);
        r(&res.location, &[Site], &what);
        r(&res.owner, &[Person], &what);
    }
    for sc in &plan.scenarios {
        let what = || t!("what.scenario", id = sc.id.value);
        for risk in &sc.risks {
            r(risk, &[Risk], &what);
        }
        for l in &sc.loses {
            r(l, &[Site, System, Supplier, Team, Person], &|| {
                t!("what.loses", what = what())
            });
        }
    }
    for e in &plan.exercises {
        let what = || t!("what.exercise", id = e.id.value);
        if let Some(s) = &e.scenario {
            r(s, &[Scenario], &what);
        }
        for p in &e.participants {
            r(p, &[Team, Person], &what);
        }
        if let Some(results) = &e.results {
            for d in &results.demonstrated {
                r(&d.target, &[Function, System], &what);
            }
            for a in &results.actions {
                r(&a.owner, &[Person], &|| t!("what.action", id = a.id.value));
            }
        }
    }
    for (d, what) in wrong_section {
        extra.push(
            Diagnostic::error("R003", t!("R003.wrong_section.message", what, id = d.value))
                .at(d.span)
                .help(t!("R003.wrong_section.help")),
        );
    }
    out.extend(extra);
}
