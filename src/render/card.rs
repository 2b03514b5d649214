//! The wallet card: eight card-sized panels (85 x 54 mm) on one A4 or Letter sheet, cut out
//! along the crop marks and folded along the dashed lines into a card.
//!
//! What goes on the panels is decided here, not by the page: each panel holds a fixed number
//! of lines, items are measured (CJK characters count double), and what does not fit is left
//! out and said so, on the panel ("3 more: see the plan") and on stderr, never printed over
//! the fold.

use super::i18n;
use crate::model::{Lang, Plan};
use serde_json::{Value, json};

/// Lines of text a panel holds below its title, and characters in one line (at the card's
/// 6.5 pt type, 79 mm wide).
const LINES: usize = 14;
const WIDTH: usize = 56;
/// Panels on the sheet: two columns of four.
pub const PANELS: usize = 8;
/// Panels the call tree may take.
const CALL_PANELS: usize = 3;

/// One item on a panel: text, or a row of cells.
struct Item {
    cells: Vec<String>,
    /// Indentation in the call tree.
    depth: usize,
}

impl Item {
    fn text(t: impl Into<String>) -> Item {
        Item {
            cells: vec![t.into()],
            depth: 0,
        }
    }

    /// Lines the item takes: its cells side by side share the width.
    fn lines(&self) -> usize {
        let width: usize = self.cells.iter().map(|c| width(c) + 2).sum::<usize>() + 2 * self.depth;
        width.div_ceil(WIDTH).max(1)
    }
}

fn width(t: &str) -> usize {
    t.chars()
        .map(|c| if super::svg::is_wide(c) { 2 } else { 1 })
        .sum()
}

struct Panel {
    kind: &'static str,
    title: String,
    items: Vec<Item>,
    omitted: usize,
    /// Lines for items: a table's header row takes one.
    capacity: usize,
}

impl Panel {
    fn new(kind: &'static str, title: &str) -> Panel {
        Panel {
            kind,
            title: title.to_string(),
            items: Vec::new(),
            omitted: 0,
            // A table row with its padding and rule is taller than a line of text, and the
            // header row takes one.
            capacity: if matches!(kind, "calls" | "numbers") {
                LINES - 3
            } else {
                LINES
            },
        }
    }

    fn used(&self) -> usize {
        self.items.iter().map(Item::lines).sum()
    }

    /// Adds items while they fit (keeping a line for the "more" note when some do not).
    fn fill(&mut self, items: impl IntoIterator<Item = Item>) -> Vec<Item> {
        let items: Vec<Item> = items.into_iter().collect();
        let total: usize = items.iter().map(Item::lines).sum();
        let room = if self.used() + total <= self.capacity {
            self.capacity
        } else {
            self.capacity - 1
        };
        let mut rest = Vec::new();
        for item in items {
            if rest.is_empty() && self.used() + item.lines() <= room {
                self.items.push(item);
            } else {
                rest.push(item);
            }
        }
        rest
    }

    fn value(&self) -> Value {
        json!({
            "kind": self.kind,
            "title": self.title,
            "items": self.items.iter().map(|i| json!({ "cells": i.cells, "depth": i.depth })).collect::<Vec<_>>(),
            "omitted": self.omitted,
        })
    }
}

/// The card's panels for the plan, or for one team (`--team`): the part of the call tree that
/// team's people need, their team's leads first.
///
/// `ctx` is the template context (contacts already redacted when asked). Returns the panels
/// and a note for each panel whose content did not all fit.
pub fn build(
    plan: &Plan,
    ctx: &super::tree::Tree,
    lang: Lang,
    team: Option<&str>,
) -> (Value, Vec<String>) {
    let l = |k: &str| i18n::label(lang, k);
    let all_names = super::context::names(plan);
    let name = |id: &str| all_names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let phone = |id: &str| {
        let contacts = &ctx["people_index"][id]["contacts"];
        ["mobile", "phone"]
            .iter()
            .find_map(|k| contacts[*k].as_str())
            .unwrap_or("—")
            .to_string()
    };
    let team = team.and_then(|t| plan.teams.iter().find(|x| x.id.value == t));
    let mut notes = Vec::new();
    let mut panels: Vec<Panel> = Vec::new();

    // 1: the front, what the card is and whose.
    let mut front = Panel::new("front", l("card_title"));
    let mut facts = vec![
        Item::text(plan.meta.organisation.clone()),
        Item::text(plan.meta.title.clone()),
    ];
    if let Some(t) = team {
        facts.push(Item::text(format!(
            "{}{} {}",
            l("team"),
            l("colon"),
            t.name
        )));
    }
    facts.push(Item::text(format!(
        "{} {}",
        l("version"),
        plan.meta.version
    )));
    if let Some(c) = &plan.meta.classification {
        facts.push(Item::text(c.clone()));
    }
    let _ = front.fill(facts);
    panels.push(front);

    let er = plan.emergency_response.as_ref();
    // 2: when to activate, and who may.
    let mut activate = Panel::new("list", l("card_activate"));
    let mut items: Vec<Item> = er
        .map(|e| {
            e.activation_criteria
                .iter()
                .map(|c| Item::text(c.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(e) = er.filter(|e| !e.activation_authority.is_empty()) {
        let who: Vec<String> = e
            .activation_authority
            .iter()
            .map(|a| name(&a.value))
            .collect();
        items.push(Item::text(format!(
            "{}{} {}",
            l("activation_authority"),
            l("colon"),
            who.join(super::sep(lang))
        )));
    }
    overflow(&mut activate, items, &mut notes, lang);
    panels.push(activate);

    // 3: first actions, with the team's own responsibilities on a team card.
    let mut first = Panel::new("numbered", l("card_first"));
    let mut items: Vec<Item> = er
        .map(|e| {
            e.first_actions
                .iter()
                .map(|a| Item::text(a.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(t) = team {
        items.extend(t.responsibilities.iter().map(|r| Item::text(r.clone())));
    }
    overflow(&mut first, items, &mut notes, lang);
    panels.push(first);

    // 4-6: who calls whom (a team card: its people, who calls them and whom they call).
    let calls = ctx["calls"].as_array().unwrap_or_default();
    let members: Vec<String> = team
        .map(|t| {
            t.lead
                .iter()
                .chain(&t.second_lead)
                .chain(&t.members)
                .map(|m| m.value.clone())
                .collect()
        })
        .unwrap_or_default();
    let wanted = |c: &super::tree::Tree| {
        team.is_none() || {
            let person = c["person"].as_str().unwrap_or("");
            let caller = c["caller"].as_str().unwrap_or("");
            members.iter().any(|m| m == person || m == caller)
        }
    };
    let mut rows: Vec<Item> = calls
        .iter()
        .filter(|c| wanted(c))
        .map(|c| {
            let person = c["person"].as_str().unwrap_or("");
            let fallback = c["fallback"].as_str().map(name).unwrap_or_default();
            let depth = usize::try_from(c["depth"].as_u64().unwrap_or(0)).unwrap_or(0);
            Item {
                cells: vec![name(person), phone(person), fallback],
                // A team card shows its part of the tree flat: the depths of the whole
                // tree would indent it for no reason.
                depth: if team.is_some() { 0 } else { depth.min(4) },
            }
        })
        .collect();
    if rows.is_empty() {
        let mut none = Panel::new("list", l("card_call"));
        let _ = none.fill([Item::text(l("no_call_tree"))]);
        panels.push(none);
    }
    for i in 0..CALL_PANELS {
        if rows.is_empty() {
            break;
        }
        let title = if i == 0 {
            l("card_call").to_string()
        } else {
            format!("{} ({})", l("card_call"), i + 1)
        };
        let mut panel = Panel::new("calls", &title);
        let rest = panel.fill(std::mem::take(&mut rows));
        if i + 1 == CALL_PANELS && !rest.is_empty() {
            panel.omitted = rest.len();
            notes.push(omitted_note(&title, rest.len(), lang));
        }
        rows = rest;
        panels.push(panel);
    }

    // Key numbers, then assembly points.
    let mut numbers = Panel::new("numbers", l("card_numbers"));
    let items: Vec<Item> = er
        .map(|e| {
            e.key_numbers
                .iter()
                .map(|k| Item {
                    cells: vec![k.name.clone(), k.number.clone()],
                    depth: 0,
                })
                .collect()
        })
        .unwrap_or_default();
    overflow(&mut numbers, items, &mut notes, lang);
    panels.push(numbers);

    let mut assembly = Panel::new("list", l("card_assembly"));
    let items: Vec<Item> = plan
        .sites
        .iter()
        .flat_map(|s| {
            s.assembly_points
                .iter()
                .map(|p| Item::text(format!("{}{} {}", s.name, l("colon"), p)))
        })
        .collect();
    overflow(&mut assembly, items, &mut notes, lang);
    panels.push(assembly);

    // Panels with nothing to say, and the room left on the sheet, are for notes.
    panels.retain(|p| p.kind == "front" || !p.items.is_empty());
    while panels.len() < PANELS {
        panels.push(Panel::new("notes", l("card_notes")));
    }
    panels.truncate(PANELS);
    let value = json!({
        "team": team.map(|t| t.name.clone()),
        "panels": panels.iter().map(Panel::value).collect::<Vec<_>>(),
    });
    (value, notes)
}

/// Fills a panel; what does not fit is counted on the panel and in a note.
fn overflow(panel: &mut Panel, items: Vec<Item>, notes: &mut Vec<String>, lang: Lang) {
    let rest = panel.fill(items);
    if !rest.is_empty() {
        panel.omitted = rest.len();
        notes.push(omitted_note(&panel.title, rest.len(), lang));
    }
}

fn omitted_note(title: &str, n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "wallet card: {n} {} of “{title}” did not fit on the card and {} left out (the full plan has them)",
            if n == 1 { "entry" } else { "entries" },
            if n == 1 { "is" } else { "are" }
        ),
        Lang::ZhCn => format!("应急卡片：“{title}”有 {n} 项放不下，已略去（完整计划中有）"),
    }
}
