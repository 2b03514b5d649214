//! Diagrams as inline SVG, generated here so HTML needs no JavaScript: the risk matrix, the
//! call tree and the recovery timeline. Every plan string goes through [`xml`]; layout is
//! integer arithmetic, so the same plan gives the same bytes.

use super::i18n::{self, label};
use super::markdown::xml;
use super::recovery::Recovered;
use crate::model::{CallNode, Duration, Lang, Plan, Sp};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Tier colours, shared with the stylesheet.
pub fn tier_colour(tier: &str) -> &'static str {
    match tier {
        "critical" => "#c0392b",
        "essential" => "#e67e22",
        "necessary" => "#d4a017",
        "desirable" => "#2e9e5b",
        _ => "#7f8c8d",
    }
}

/// Colour of a risk score cell (likelihood x impact).
pub fn score_colour(score: u32) -> &'static str {
    match score {
        0..=4 => "#d3f0dc",
        5..=9 => "#fff1b8",
        10..=14 => "#ffd3a8",
        _ => "#f8b4b4",
    }
}

/// Display width: CJK and other wide characters count double.
fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

pub(crate) fn is_wide(c: char) -> bool {
    matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Cuts text to at most `max` width units, with an ellipsis when cut.
fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = if is_wide(c) { 2 } else { 1 };
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn open(out: &mut String, w: u32, h: u32, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}" class="diagram"><title>{t}</title>"#,
        t = xml(title)
    );
}

/// The 5 x 5 likelihood x impact heat map with the risk ids in their cells.
pub fn risk_matrix(plan: &Plan, lang: Lang) -> String {
    const CELL_W: u32 = 104;
    const CELL_H: u32 = 62;
    const LEFT: u32 = 64;
    const TOP: u32 = 12;
    let (w, h) = (LEFT + 5 * CELL_W + 12, TOP + 5 * CELL_H + 58);
    let mut cells: BTreeMap<(u8, u8), Vec<&str>> = BTreeMap::new();
    for r in &plan.risks {
        cells
            .entry((*r.likelihood, *r.impact))
            .or_default()
            .push(&r.id.value);
    }
    let mut out = String::new();
    open(&mut out, w, h, label(lang, "risk_matrix"));
    for impact in 1..=5u8 {
        let y = TOP + u32::from(5 - impact) * CELL_H;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="axis-num" text-anchor="middle">{impact}</text>"#,
            LEFT - 14,
            y + CELL_H / 2 + 4
        );
        for likelihood in 1..=5u8 {
            let x = LEFT + u32::from(likelihood - 1) * CELL_W;
            let score = u32::from(likelihood) * u32::from(impact);
            let _ = write!(
                out,
                r##"<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{}" stroke="#ffffff" stroke-width="2"/>"##,
                score_colour(score)
            );
            let _ = write!(
                out,
                r##"<text x="{}" y="{}" class="cell-score" text-anchor="end" fill="#00000066">{score}</text>"##,
                x + CELL_W - 5,
                y + 13
            );
            if let Some(ids) = cells.get(&(likelihood, impact)) {
                let mut lines: Vec<String> = Vec::new();
                let mut line = String::new();
                for id in ids {
                    let id = fit(id, 17);
                    if !line.is_empty() && width(&line) + 2 + width(&id) > 17 {
                        lines.push(std::mem::take(&mut line));
                    }
                    if !line.is_empty() {
                        line.push_str(", ");
                    }
                    line.push_str(&id);
                }
                lines.push(line);
                let hidden = lines.len().saturating_sub(4);
                lines.truncate(4);
                if hidden > 0
                    && let Some(last) = lines.last_mut()
                {
                    let _ = write!(last, " +{hidden}");
                }
                let first_y =
                    y + CELL_H / 2 + 4 - 6 * (u32::try_from(lines.len()).unwrap_or(1) - 1);
                for (i, l) in lines.iter().enumerate() {
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{}" class="cell-ids" text-anchor="middle">{}</text>"#,
                        x + CELL_W / 2,
                        first_y + 12 * u32::try_from(i).unwrap_or(0),
                        xml(l)
                    );
                }
            }
        }
    }
    for likelihood in 1..=5u32 {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" class="axis-num" text-anchor="middle">{likelihood}</text>"#,
            LEFT + (likelihood - 1) * CELL_W + CELL_W / 2,
            TOP + 5 * CELL_H + 18
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" class="axis-title" text-anchor="middle">{}</text>"#,
        LEFT + 5 * CELL_W / 2,
        TOP + 5 * CELL_H + 44,
        xml(label(lang, "likelihood_axis"))
    );
    let _ = write!(
        out,
        r#"<text x="16" y="{}" class="axis-title" text-anchor="middle" transform="rotate(-90 16 {})">{}</text>"#,
        TOP + 5 * CELL_H / 2,
        TOP + 5 * CELL_H / 2,
        xml(label(lang, "impact_axis"))
    );
    out.push_str("</svg>");
    out
}

struct Placed {
    depth: u32,
    row2: u32, // twice the row, so a parent can sit between two children
    person: String,
    fallback: Option<String>,
    parent: Option<usize>,
}

/// The call tree, left to right: who calls whom, each box with its fallback.
#[allow(clippy::many_single_char_names)] // x, y, w, h: coordinates, as in the SVG itself
pub fn call_tree(plan: &Plan, names: &BTreeMap<String, String>, lang: Lang) -> String {
    const COL: u32 = 200;
    const BOX_W: u32 = 176;
    const ROW: u32 = 46;
    const BOX_H: u32 = 38;
    let mut placed: Vec<Placed> = Vec::new();
    let mut next_row = 0u32;
    if let Some(tree) = &plan.call_tree {
        for node in &tree.tree {
            place(node, 0, None, &mut next_row, &mut placed);
        }
    }
    let depth = placed.iter().map(|p| p.depth).max().unwrap_or(0);
    let (w, h) = ((depth + 1) * COL, next_row.max(1) * ROW);
    let mut out = String::new();
    open(&mut out, w, h, label(lang, "call_tree_diagram"));
    let y_of = |p: &Placed| p.row2 * ROW / 2 + (ROW - BOX_H) / 2;
    for p in &placed {
        if let Some(parent) = p.parent.and_then(|i| placed.get(i)) {
            let (x1, y1) = (parent.depth * COL + BOX_W, y_of(parent) + BOX_H / 2);
            let (x2, y2) = (p.depth * COL, y_of(p) + BOX_H / 2);
            let mid = x1 + (x2 - x1) / 2;
            let _ = write!(
                out,
                r#"<path d="M{x1} {y1} H{mid} V{y2} H{x2}" class="edge"/>"#
            );
        }
    }
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    for p in &placed {
        let (x, y) = (p.depth * COL, y_of(p));
        let (class, text_class) = if p.depth == 0 {
            ("node root", " on-root")
        } else {
            ("node", "")
        };
        let _ = write!(
            out,
            r#"<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" class="{class}"/>"#
        );
        let person = fit(&name(&p.person), 26);
        match &p.fallback {
            Some(f) => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" class="node-name{text_class}">{}</text>"#,
                    x + 9,
                    y + 16,
                    xml(&person)
                );
                let fb = fit(&format!("{}: {}", label(lang, "fallback"), name(f)), 32);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" class="node-fallback{text_class}">{}</text>"#,
                    x + 9,
                    y + 31,
                    xml(&fb)
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" class="node-name{text_class}">{}</text>"#,
                    x + 9,
                    y + 24,
                    xml(&person)
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

fn place(
    node: &Sp<CallNode>,
    depth: u32,
    parent: Option<usize>,
    next_row: &mut u32,
    out: &mut Vec<Placed>,
) -> u32 {
    let index = out.len();
    out.push(Placed {
        depth,
        row2: 0,
        person: node.person.value.clone(),
        fallback: node.fallback.as_ref().map(|f| f.value.clone()),
        parent,
    });
    let row2 = if node.calls.is_empty() {
        *next_row += 1;
        (*next_row - 1) * 2
    } else {
        let rows: Vec<u32> = node
            .calls
            .iter()
            .map(|c| place(c, depth + 1, Some(index), next_row, out))
            .collect();
        let (first, last) = (
            rows.first().copied().unwrap_or(0),
            rows.last().copied().unwrap_or(0),
        );
        // Centred between the first and last child, on a whole or half row.
        u32::midpoint(first, last)
    };
    out[index].row2 = row2;
    row2
}

/// The recovery timeline: one bar per function, in recovery order, from the start of the
/// disruption to its achievable recovery time, with its RTO marked.
#[allow(clippy::many_single_char_names)] // x, y, w, h: coordinates, as in the SVG itself
pub fn timeline(order: &[Recovered], lang: Lang) -> String {
    const H: u64 = 60;
    const D: u64 = 24 * H;
    const LABEL_W: u32 = 210;
    const CHART_W: u32 = 420;
    const ROW: u32 = 26;
    const TOP: u32 = 30;
    // Axis ticks. The scale ends at the first of them from 4h up (12h excepted: a tick, not
    // an end) that covers the longest bar.
    const TICKS: [u64; 19] = [
        0,
        30,
        H,
        2 * H,
        4 * H,
        8 * H,
        12 * H,
        D,
        2 * D,
        3 * D,
        7 * D,
        14 * D,
        21 * D,
        28 * D,
        42 * D,
        56 * D,
        91 * D,
        182 * D,
        364 * D,
    ];
    let rows = u32::try_from(order.len()).unwrap_or(u32::MAX).max(1);
    let (w, h) = (LABEL_W + CHART_W + 20, TOP + rows * ROW + 16);
    let longest = order
        .iter()
        .map(|r| r.rto.max(r.achievable.unwrap_or_default()))
        .max()
        .unwrap_or_default()
        .minutes()
        .max(60);
    // A square-root scale: hours stay readable next to weeks.
    let span = TICKS
        .into_iter()
        .filter(|t| *t >= 4 * H && *t != 12 * H)
        .find(|t| *t >= longest)
        .unwrap_or(longest);
    let root_span = (span * 10_000).isqrt().max(1);
    let x_of = |minutes: u64| {
        let root = (minutes.min(span) * 10_000).isqrt();
        LABEL_W + u32::try_from(root * u64::from(CHART_W) / root_span).unwrap_or(CHART_W)
    };
    let mut ticks: Vec<u64> = Vec::new();
    for t in TICKS {
        if t > span {
            break;
        }
        if ticks.last().is_none_or(|last| x_of(t) >= x_of(*last) + 44) {
            ticks.push(t);
        }
    }
    if ticks.last() != Some(&span) {
        if ticks
            .last()
            .is_some_and(|last| x_of(span) < x_of(*last) + 44)
        {
            ticks.pop();
        }
        ticks.push(span);
    }
    let mut out = String::new();
    open(&mut out, w, h, label(lang, "timeline"));
    for t in ticks {
        let x = x_of(t);
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" class="grid"/>"#,
            TOP - 6,
            TOP + rows * ROW
        );
        let text = i18n::duration(lang, &Duration::from_minutes(t).to_string());
        let _ = write!(
            out,
            r#"<text x="{x}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            TOP - 12,
            xml(&text)
        );
    }
    for (i, r) in order.iter().enumerate() {
        let y = TOP + u32::try_from(i).unwrap_or(0) * ROW;
        if i % 2 == 0 {
            let _ = write!(
                out,
                r#"<rect x="0" y="{y}" width="{}" height="{ROW}" class="stripe"/>"#,
                LABEL_W + CHART_W
            );
        }
        let _ = write!(
            out,
            r#"<text x="6" y="{}" class="row-label">{}</text>"#,
            y + 17,
            xml(&fit(&r.name, 30))
        );
        let colour = tier_colour(r.tier.unwrap_or(""));
        match r.achievable {
            Some(a) => {
                let x2 = x_of(a.minutes()).max(LABEL_W + 2);
                let class = if a > r.rto { "bar late" } else { "bar" };
                let _ = write!(
                    out,
                    r#"<rect x="{LABEL_W}" y="{}" width="{}" height="{}" rx="3" fill="{colour}" class="{class}"/>"#,
                    y + 6,
                    x2 - LABEL_W,
                    ROW - 12
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" class="no-bar">{}</text>"#,
                    LABEL_W + 6,
                    y + 17,
                    xml(label(lang, "no_procedure"))
                );
            }
        }
        let x = x_of(r.rto.minutes());
        let _ = write!(
            out,
            r#"<path d="M{x} {} V{} M{x} {} l4 4 l-4 4 l-4 -4 z" class="rto"/>"#,
            y + 3,
            y + ROW - 3,
            y + ROW / 2 - 4
        );
    }
    out.push_str("</svg>");
    out
}

/// The cost-versus-recovery-time chart of one function (§6, 成本因素): the expected loss a
/// year rising with the recovery time (incidents a year x `loss_per_day` x time), each priced
/// strategy option at its recovery time and yearly cost share (filled when chosen, hollow when
/// rejected), the RTO and MTD as dashed lines, and the balance point ringed.
// Coordinates are f64, printed with one decimal: the same plan gives the same bytes.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn cost_chart(f: &crate::cost::FunctionCost, lang: Lang) -> String {
    const W: u32 = 560;
    const H: u32 = 260;
    const LEFT: u32 = 70;
    const RIGHT: u32 = 20;
    const TOP: u32 = 16;
    const BOTTOM: u32 = 44;
    let plot_w = f64::from(W - LEFT - RIGHT);
    let plot_h = f64::from(H - TOP - BOTTOM);
    let options: Vec<&crate::cost::OptionCost> = f.priced().collect();
    let slowest = options
        .iter()
        .filter_map(|o| o.recovery_time)
        .max()
        .unwrap_or(f.mtd);
    let x_max = slowest.max(f.mtd).minutes().max(60) as f64 * 1.1;
    let loss_at = |minutes: f64| {
        f.incidents_per_year.unwrap_or(0.0) * f.loss_per_day.unwrap_or(0) as f64 * minutes
            / (24.0 * 60.0)
    };
    let y_max = options
        .iter()
        .filter_map(|o| o.cost_share)
        .map(|c| c as f64)
        .fold(loss_at(x_max), f64::max)
        .max(1.0)
        * 1.1;
    let x = |minutes: f64| f64::from(LEFT) + minutes / x_max * plot_w;
    let y = |amount: f64| f64::from(TOP) + plot_h - amount / y_max * plot_h;
    let mut out = String::new();
    open(
        &mut out,
        W,
        H,
        &format!("{}: {}", label(lang, "cost_tradeoff"), f.name),
    );
    // Axes.
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" stroke="#888"/><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#888"/>"##,
        b = H - BOTTOM,
        r = W - RIGHT
    );
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" class="axis-title" text-anchor="middle">{}</text>"#,
        f64::from(LEFT) + plot_w / 2.0,
        H - 8,
        xml(label(lang, "recovery_time"))
    );
    let _ = write!(
        out,
        r#"<text x="14" y="{c}" class="axis-title" text-anchor="middle" transform="rotate(-90 14 {c})">{}</text>"#,
        xml(label(lang, "per_year")),
        c = f64::from(TOP) + plot_h / 2.0
    );
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" class="axis-num" text-anchor="end">{}</text>"#,
        LEFT - 4,
        TOP + 10,
        xml(&short_amount(y_max))
    );
    let _ = write!(
        out,
        r#"<text x="{LEFT}" y="{}" class="axis-num" text-anchor="middle">0</text>"#,
        H - BOTTOM + 14
    );
    // RTO and MTD.
    for (d, name) in [(f.rto, "RTO"), (f.mtd, "MTD")] {
        let at = x(d.minutes() as f64);
        let _ = write!(
            out,
            r##"<line x1="{at:.1}" y1="{TOP}" x2="{at:.1}" y2="{b}" stroke="#c0392b" stroke-dasharray="4 3"/><text x="{at:.1}" y="{ty}" class="axis-num" text-anchor="middle">{name} {d}</text>"##,
            b = H - BOTTOM,
            ty = H - BOTTOM + 14
        );
    }
    // Expected loss a year, a straight line from 0.
    if f.incidents_per_year.is_some() && f.loss_per_day.is_some() {
        let (x1, y1) = (x(0.0), y(0.0));
        let (x2, y2) = (x(x_max), y(loss_at(x_max)));
        let _ = write!(
            out,
            r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#e67e22" stroke-width="2"/><text x="{x2:.1}" y="{ty:.1}" class="axis-num" text-anchor="end" fill="#e67e22">{}</text>"##,
            xml(label(lang, "expected_loss")),
            ty = (y2 - 4.0).max(f64::from(TOP) + 10.0)
        );
    }
    // The options.
    for o in &options {
        let (Some(t), Some(cost)) = (o.recovery_time, o.cost_share) else {
            continue;
        };
        let (cx, cy) = (x(t.minutes() as f64), y(cost as f64));
        let fill = if o.chosen { "#2c6fbb" } else { "#ffffff" };
        let _ = write!(
            out,
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="5" fill="{fill}" stroke="#2c6fbb" stroke-width="2"/>"##
        );
        if f.balance.as_deref() == Some(o.id.as_str()) {
            let _ = write!(
                out,
                r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="10" fill="none" stroke="#2e9e5b" stroke-width="2"/>"##
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" class="axis-num">{}</text>"#,
            cx + 8.0,
            cy - 6.0,
            xml(&fit(&o.id, 24))
        );
    }
    out.push_str("</svg>");
    out
}

/// An amount with a k or M suffix, for an axis.
fn short_amount(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.0}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_by_display_width() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdefg", 6), "abcde…");
        assert_eq!(fit("核心业务系统", 8), "核心业…");
    }
}
