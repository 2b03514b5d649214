//! Questionnaire workbooks: one per respondent (a function's owner), in the plan's language.
//!
//! Every function sheet is a protected form: column A asks, B (and C for a duration's unit)
//! takes the answer, D shows the value in the plan when the form was made (the baseline an
//! import compares against, so an answer left alone never overwrites a newer plan value),
//! E explains. Only answer cells are unlocked; each has the check its field needs.

use super::{
    DepKind, FORMAT, Field, ImpactPart, LAYOUT, LISTS_SHEET, MAP_SHEET, PEOPLE_COLUMN, WorkPart,
    cell_ref, checksum, duration_cells, pick, unit_names,
};
use crate::error::Error;
use crate::model::{Duration, Function, Lang, Plan, Rpo, Tier};
use crate::xlsx::{Cell, CellRule, Column, Properties, Sheet, Validation, Workbook};
use std::collections::BTreeMap;

/// Whose questionnaires to write; empty selects every function owner.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub owners: Vec<String>,
    pub departments: Vec<String>,
}

/// One respondent's workbook.
#[derive(Debug)]
pub struct Questionnaire {
    pub file_name: String,
    /// The owner's person id, or `unassigned` for functions without an owner.
    pub respondent: String,
    pub functions: usize,
    pub bytes: Vec<u8>,
}

/// Respondent id for functions without an owner.
pub const UNASSIGNED: &str = "unassigned";

/// Blank dependency rows offered under the existing ones, per kind.
const SPARE_ROWS: usize = 2;

/// The column of answers and of their units.
const ANSWER: usize = 1;
const UNIT: usize = 2;

/// Builds the workbooks of the selected respondents, in order of their ids.
///
/// # Errors
/// [`Error::Usage`] when the selection matches no function; [`Error::Document`] when the
/// spreadsheet writer fails.
pub fn workbooks(
    plan: &Plan,
    lang: Lang,
    selection: &Selection,
) -> Result<Vec<Questionnaire>, Error> {
    let mut by_owner: BTreeMap<String, Vec<&Function>> = BTreeMap::new();
    for f in &plan.functions {
        let owner = f.owner.as_ref().map_or(UNASSIGNED, |o| o.value.as_str());
        let department = plan
            .people
            .iter()
            .find(|p| p.id.value == owner)
            .and_then(|p| p.department.as_deref());
        let chosen = (selection.owners.is_empty() && selection.departments.is_empty())
            || selection.owners.iter().any(|o| o == owner)
            || department.is_some_and(|d| selection.departments.iter().any(|s| s == d));
        if chosen {
            by_owner.entry(owner.to_string()).or_default().push(f);
        }
    }
    if by_owner.is_empty() {
        return Err(Error::Usage {
            message: if plan.functions.is_empty() {
                "the plan has no functions to ask about\nhelp: add `functions` to the plan first"
                    .to_string()
            } else {
                "no function's owner matches `--owner`/`--department`\nhelp: owners are person ids (`owner:` of a function); departments are people's `department:`".to_string()
            },
        });
    }
    by_owner
        .into_iter()
        .map(|(owner, functions)| {
            let book = workbook(plan, lang, &owner, &functions);
            Ok(Questionnaire {
                file_name: format!("{}.xlsx", file_stem(&owner)),
                functions: functions.len(),
                respondent: owner,
                bytes: crate::xlsx::write(&book)?,
            })
        })
        .collect()
}

/// A file name from a person id: ids are plain, but a file name must never leave the folder.
fn file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("bia-{stem}")
}

/// `id — name`, as the drop-downs list things.
pub fn entry(id: &str, name: &str) -> String {
    format!("{id} — {name}")
}

fn workbook(plan: &Plan, lang: Lang, owner: &str, functions: &[&Function]) -> Workbook {
    let l = |en, zh| pick(lang, en, zh).to_string();
    let person = plan.people.iter().find(|p| p.id.value == owner);
    let respondent = person.map_or_else(|| l("(no owner)", "(未指定负责人)"), |p| p.name.clone());
    let lists = lists_sheet(plan);
    let mut map_rows: Vec<Vec<Cell>> = Vec::new();
    let mut sheets = Vec::new();
    let mut used = vec![
        pick(lang, "Instructions", "填写说明").to_string(),
        LISTS_SHEET.to_string(),
        MAP_SHEET.to_string(),
    ];
    for f in functions {
        let name = crate::xlsx::unique_sheet_name(&f.id.value, &used);
        used.push(name.clone());
        let (sheet, questions) = function_sheet(plan, lang, f, &name, &lists);
        for (cell, field) in questions {
            map_rows.push(vec![
                Cell::text("question"),
                Cell::text(&name),
                Cell::text(cell),
                Cell::text(&f.id.value),
                Cell::text(field.key()),
            ]);
        }
        sheets.push(sheet);
    }
    let sum = checksum(std::iter::once(LAYOUT).chain(map_rows.iter().flat_map(|r| {
        r[1..].iter().map(|c| match c {
            Cell::Text(t) => t.as_str(),
            _ => "",
        })
    })));
    let meta = |key: &str, value: &str| {
        vec![
            Cell::text(key),
            Cell::text(value),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]
    };
    let mut map = vec![
        meta("format", FORMAT),
        meta("layout", LAYOUT),
        meta("plan", &plan.meta.title),
        meta("plan_version", &plan.meta.version),
        meta("respondent", owner),
        meta("checksum", &sum),
    ];
    map.extend(map_rows);

    let mut all = vec![cover(plan, lang, &respondent, functions), lists.sheet];
    all.push(Sheet {
        name: MAP_SHEET.into(),
        columns: ["key", "value", "cell", "function", "field"]
            .into_iter()
            .map(|h| Column::text(h, 16.0))
            .collect(),
        rows: map,
        hidden: true,
        protected: true,
        ..Sheet::default()
    });
    all.extend(sheets);
    Workbook {
        sheets: all,
        properties: Properties {
            title: format!(
                "{} — {respondent}",
                l("BIA questionnaire", "业务影响分析问卷")
            ),
            subject: plan.meta.title.clone(),
            company: plan.meta.organisation.clone(),
            language: lang.code().to_string(),
            status: None,
            keywords: format!("bcp; {FORMAT}; {}", plan.meta.version),
            date: None,
        },
    }
}

fn cover(plan: &Plan, lang: Lang, respondent: &str, functions: &[&Function]) -> Sheet {
    let l = |en, zh| pick(lang, en, zh).to_string();
    let mut lines = vec![
        format!("{} — {}", plan.meta.organisation, plan.meta.title),
        format!("{}: {respondent}", l("For", "填写人")),
        format!("{}: {}", l("Plan version", "计划版本"), plan.meta.version),
        String::new(),
        l(
            "This questionnaire collects the business impact analysis of the functions you own. Each function has its own sheet.",
            "本问卷收集您负责的业务功能的业务影响分析,每个功能一张工作表。",
        ),
        l(
            "Fill in the white cells of column B (and C for a duration's unit). Column D shows what the plan says today; leave a cell as it is when the value is still right.",
            "请填写 B 列(时长的单位填在 C 列)中的白色单元格。D 列为计划中的现值;数值仍然正确时请保持不变。",
        ),
        l(
            "Durations are a whole number and a unit (minutes, hours, days, weeks). RTO: how soon the function must run again; RPO: how much recent data may be lost (n/a for a function that holds no data of its own); MTD: the longest outage the business survives. RTO must not exceed MTD.",
            "时长填写整数和单位(分钟、小时、天、周)。RTO:功能必须恢复的时间;RPO:可容忍丢失的数据时间范围(功能本身不保存数据时选 n/a);MTD:业务可承受的最长中断时间。RTO 不得超过 MTD。",
        ),
        l(
            "Dependencies, peak periods, impacts over time and key people: one row (for an impact, four rows) per entry; clear it to remove the entry, fill an empty one to add one. Choose ids, people, categories and severities from the drop-down lists.",
            "依赖项、业务高峰期、中断影响和关键人员:每项一行(每项影响四行);清空即删除该项,填写空行即新增。编号、人员、类别和严重程度请从下拉列表中选择。",
        ),
        l(
            "Do not rename, move or add sheets: answers are read from known cells. Return the file to the continuity office.",
            "请勿重命名、移动或新增工作表:系统从固定单元格读取答案。填写完成后请交回业务连续性管理部门。",
        ),
        String::new(),
        l("Functions in this questionnaire:", "本问卷包含的功能:"),
    ];
    lines.extend(functions.iter().map(|f| entry(&f.id.value, &f.name)));
    Sheet {
        name: l("Instructions", "填写说明"),
        columns: vec![Column::text(l("BIA questionnaire", "业务影响分析问卷"), 110.0).wrapped()],
        rows: lines.into_iter().map(|t| vec![Cell::text(t)]).collect(),
        protected: true,
        form: true,
        ..Sheet::default()
    }
}

/// The hidden sheet of drop-down entries, and the range each dependency kind validates against.
struct Lists {
    sheet: Sheet,
    ranges: BTreeMap<DepKind, String>,
    /// The people, for key people and their backups; `None` when the plan has none.
    people: Option<String>,
    /// The systems' entries, `id — name`.
    systems: Vec<String>,
}

fn lists_sheet(plan: &Plan) -> Lists {
    let columns: Vec<(DepKind, Vec<String>)> = vec![
        (
            DepKind::Functions,
            plan.functions
                .iter()
                .map(|f| entry(&f.id.value, &f.name))
                .collect(),
        ),
        (
            DepKind::Systems,
            plan.systems
                .iter()
                .map(|s| entry(&s.id.value, &s.name))
                .collect(),
        ),
        (
            DepKind::Sites,
            plan.sites
                .iter()
                .map(|s| entry(&s.id.value, &s.name))
                .collect(),
        ),
        (
            DepKind::Suppliers,
            plan.suppliers
                .iter()
                .map(|s| entry(&s.id.value, &s.name))
                .collect(),
        ),
    ];
    let people: Vec<String> = plan
        .people
        .iter()
        .map(|p| entry(&p.id.value, &p.name))
        .collect();
    let longest = columns
        .iter()
        .map(|(_, v)| v.len())
        .chain([people.len()])
        .max()
        .unwrap_or(0);
    let rows = (0..longest)
        .map(|i| {
            columns
                .iter()
                .map(|(_, v)| v)
                .chain([&people])
                .map(|v| v.get(i).map_or(Cell::Empty, Cell::text))
                .collect()
        })
        .collect();
    let ranges = columns
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(kind, v)| {
            let c = kind.list_column();
            (
                kind.to_owned(),
                format!("='{LISTS_SHEET}'!${c}$2:${c}${}", v.len() + 1),
            )
        })
        .collect();
    Lists {
        sheet: Sheet {
            name: LISTS_SHEET.into(),
            columns: DepKind::ALL
                .iter()
                .map(|k| k.key())
                .chain(["people"])
                .map(|k| Column::text(k, 30.0))
                .collect(),
            rows,
            hidden: true,
            protected: true,
            ..Sheet::default()
        },
        ranges,
        systems: columns
            .iter()
            .find(|(k, _)| *k == DepKind::Systems)
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        people: (!people.is_empty()).then(|| {
            let c = PEOPLE_COLUMN;
            format!("='{LISTS_SHEET}'!${c}$2:${c}${}", people.len() + 1)
        }),
    }
}

/// A function's form and the cells that answer its fields (`B4` and the like).
fn function_sheet(
    plan: &Plan,
    lang: Lang,
    f: &Function,
    name: &str,
    lists: &Lists,
) -> (Sheet, Vec<(String, Field)>) {
    let l = |en, zh| pick(lang, en, zh).to_string();
    let mut form = Form::default();
    form.info(&l("Function", "业务功能"), &entry(&f.id.value, &f.name));
    if let Some(d) = &f.description {
        form.info(&l("Description", "描述"), d);
    }
    let tiers: Vec<String> = Tier::ALL.iter().map(|t| t.as_str().to_string()).collect();
    form.answer(
        Field::Tier,
        &l("Criticality tier", "重要性等级"),
        Cell::text(f.tier.as_str()),
        None,
        Some(Validation::List(tiers.clone())),
        &l(
            "critical: recover within 1 day; essential: 2-4 days; necessary: 5-7 days; desirable: may wait over a week",
            "critical 关键:1 天内恢复;essential 基础:2-4 天;necessary 必要:5-7 天;desirable 有利:可超过一周",
        ),
    );
    let units = Validation::List(unit_names(lang));
    let rpo_units = Validation::List(
        unit_names(lang)
            .into_iter()
            .chain([Rpo::NOT_APPLICABLE.to_string()])
            .collect(),
    );
    for (field, question, help, d) in [
        (
            Field::Rto,
            l("RTO (recovery time objective)", "RTO(恢复时间目标)"),
            l(
                "How soon after an outage the function must run again.",
                "中断后功能必须恢复运行的时间。",
            ),
            Some(*f.rto),
        ),
        (
            Field::Rpo,
            l("RPO (recovery point objective)", "RPO(数据恢复点目标)"),
            l(
                "How much recent data the function may lose; choose n/a as the unit for a function that holds no data of its own.",
                "功能可容忍丢失的最近数据的时间范围;功能本身不保存数据时,单位选择 n/a。",
            ),
            f.rpo.as_ref().and_then(|r| r.duration()),
        ),
        (
            Field::Mtd,
            l(
                "MTD (maximum tolerable downtime)",
                "MTD(最大可容忍中断时间)",
            ),
            l(
                "The longest outage the business survives; not less than the RTO.",
                "业务可承受的最长中断时间,不得小于 RTO。",
            ),
            Some(*f.mtd),
        ),
    ] {
        // No duration: an RPO of `n/a` (or none), shown as the unit `n/a` with no number.
        let (number, unit) = match d {
            Some(d) => {
                let (n, unit) = duration_cells(d, lang);
                #[allow(clippy::cast_precision_loss)]
                let number = Cell::Number(n as f64);
                (number, Cell::text(unit))
            }
            None => (Cell::Empty, Cell::text(Rpo::NOT_APPLICABLE)),
        };
        form.answer(
            field,
            &question,
            number,
            Some(unit),
            Some(Validation::WholeNumber {
                min: 0,
                max: 1_000_000,
            }),
            &help,
        );
        form.unit_rule(if field == Field::Rpo {
            rpo_units.clone()
        } else {
            units.clone()
        });
    }
    #[allow(clippy::cast_precision_loss)]
    let staff = f
        .resources
        .staff
        .as_ref()
        .map_or(Cell::Empty, |s| Cell::Number(f64::from(s.value)));
    form.answer(
        Field::Staff,
        &l("Minimum staff in recovery", "恢复期间最少人员数"),
        staff,
        None,
        Some(Validation::WholeNumber {
            min: 0,
            max: 1_000_000,
        }),
        &l(
            "People needed to run the function at its minimum level.",
            "以最低水平运行该功能所需的人数。",
        ),
    );
    form.heading(&l(
        "Depends on — choose from the list; clear a cell to remove",
        "依赖 —— 从列表中选择;清空单元格即删除",
    ));
    for kind in DepKind::ALL {
        let Some(range) = lists.ranges.get(&kind) else {
            continue;
        };
        let question = match kind {
            DepKind::Functions => l("Other function", "其他业务功能"),
            DepKind::Systems => l("IT system", "信息系统"),
            DepKind::Sites => l("Site", "场所"),
            DepKind::Suppliers => l("Supplier", "供应商"),
        };
        let current: Vec<String> = deps(f, kind)
            .iter()
            .map(|id| entry(id, &name_of(plan, kind, id)))
            .collect();
        for value in current
            .iter()
            .map(Some)
            .chain(std::iter::repeat_n(None, SPARE_ROWS))
        {
            form.answer(
                Field::Depends(kind),
                &question,
                value.map_or(Cell::Empty, Cell::text),
                None,
                Some(Validation::Range(range.clone())),
                "",
            );
        }
    }
    lists_asked(plan, lang, f, lists, &mut form);

    let columns = vec![
        Column::text(l("Question", "问题"), 34.0).wrapped(),
        Column::text(l("Answer", "答案"), 34.0).wrapped(),
        Column::text(l("Unit", "单位"), 10.0),
        Column::text(l("In the plan now", "计划现值"), 30.0).wrapped(),
        Column::text(l("Help", "说明"), 60.0).wrapped(),
    ];
    let questions = form
        .questions
        .iter()
        .map(|(row, field)| {
            (
                cell_ref(u32::try_from(row + 1).unwrap_or(u32::MAX), 1),
                *field,
            )
        })
        .collect();
    (
        Sheet {
            name: name.to_string(),
            columns,
            rows: form.rows,
            protected: true,
            form: true,
            cell_rules: form.rules,
            ..Sheet::default()
        },
        questions,
    )
}

/// Peak periods, impacts over time and key people: asked row by row, the plan's entries
/// first, then blank rows to add more. Clearing a row removes its entry.
fn lists_asked(plan: &Plan, lang: Lang, f: &Function, lists: &Lists, form: &mut Form) {
    let l = |en, zh| pick(lang, en, zh).to_string();
    let count = |n: usize| u8::try_from(n + SPARE_ROWS).unwrap_or(u8::MAX);

    form.heading(&l(
        "Peak periods — when an outage hurts most; clear a cell to remove",
        "业务高峰期 —— 中断影响最大的时段;清空单元格即删除",
    ));
    for i in 0..count(f.peak_periods.len()) {
        let value = f
            .peak_periods
            .get(usize::from(i))
            .map_or(Cell::Empty, Cell::text);
        form.answer(
            Field::Peak(i),
            &l("Peak period", "业务高峰期"),
            value,
            None,
            None,
            &l(
                "e.g. month end, Black Friday, Chinese New Year",
                "例如:月末、春节前后",
            ),
        );
    }

    form.heading(&l(
        "Impact of an outage over time, by category — clear the time to remove",
        "中断影响随时间的变化(按类别)—— 清空时间即删除",
    ));
    let categories = Validation::List(IMPACT_CATEGORIES.iter().map(|c| (*c).to_string()).collect());
    let severities = Validation::List(SEVERITIES.iter().map(|c| (*c).to_string()).collect());
    for i in 0..count(f.impacts.len()) {
        let impact = f.impacts.get(usize::from(i));
        let n = usize::from(i) + 1;
        form.duration(
            Field::Impact(i, ImpactPart::After),
            &format!("{} {n}: {}", l("Impact", "影响"), l("after", "中断后")),
            impact.map(|x| x.after),
            lang,
            &l(
                "Time into the outage: a whole number and a unit.",
                "中断开始后的时间:整数和单位。",
            ),
        );
        let word = |v: Option<serde_json::Value>| {
            v.and_then(|v| v.as_str().map(Cell::text))
                .unwrap_or(Cell::Empty)
        };
        for (part, question, value, words, help) in [
            (
                ImpactPart::Category,
                l("category", "类别"),
                word(impact.and_then(|x| serde_json::to_value(x.category).ok())),
                &categories,
                l(
                    "What suffers: operational, financial, customer confidence...",
                    "受影响的方面:运营、财务、客户信心……",
                ),
            ),
            (
                ImpactPart::Severity,
                l("severity", "严重程度"),
                word(impact.and_then(|x| serde_json::to_value(x.severity).ok())),
                &severities,
                l(
                    "low, medium, high or severe",
                    "low 低、medium 中、high 高、severe 严重",
                ),
            ),
        ] {
            form.answer(
                Field::Impact(i, part),
                &format!("{} {n}: {question}", l("Impact", "影响")),
                value,
                None,
                Some(words.clone()),
                &help,
            );
        }
        form.answer(
            Field::Impact(i, ImpactPart::Description),
            &format!("{} {n}: {}", l("Impact", "影响"), l("what happens", "描述")),
            impact
                .and_then(|x| x.description.as_deref())
                .map_or(Cell::Empty, Cell::text),
            None,
            None,
            &l("In a sentence (optional).", "一句话描述(可选)。"),
        );
    }

    workaround(lang, f, lists, form);
    let Some(people) = &lists.people else {
        return;
    };
    form.heading(&l(
        "Key people and their backups — choose from the list; clear the person to remove",
        "关键人员及其备岗 —— 从列表中选择;清空人员即删除",
    ));
    let person = |id: &str| {
        let name = plan
            .people
            .iter()
            .find(|p| p.id.value == id)
            .map_or("", |p| p.name.as_str());
        Cell::text(entry(id, name))
    };
    for i in 0..count(f.resources.key_people.len()) {
        let k = f.resources.key_people.get(usize::from(i));
        form.answer(
            Field::KeyPerson(i, false),
            &l("Key person", "关键人员"),
            k.map_or(Cell::Empty, |k| person(&k.person.value)),
            None,
            Some(Validation::Range(people.clone())),
            "",
        );
        form.answer(
            Field::KeyPerson(i, true),
            &l("— their backup", "—— 备岗人员"),
            k.and_then(|k| k.backup.as_ref())
                .map_or(Cell::Empty, |b| person(&b.value)),
            None,
            Some(Validation::Range(people.clone())),
            &l("Who stands in (optional).", "代为履职的人员(可选)。"),
        );
    }
}

/// The manual workaround: what is done, the systems it covers, how long it holds, its
/// capacity. Not asked when the plan has no systems for it to cover.
fn workaround(lang: Lang, f: &Function, lists: &Lists, form: &mut Form) {
    let l = |en, zh| pick(lang, en, zh).to_string();
    let Some(systems) = lists.ranges.get(&DepKind::Systems) else {
        return;
    };
    let w = f.workaround.as_ref().map(|w| &w.value);
    form.heading(&l(
        "Manual workaround — how the function keeps going without some systems; clear it all if there is none",
        "手工替代 —— 部分系统中断时功能如何继续运行;没有则全部清空",
    ));
    form.answer(
        Field::Workaround(WorkPart::Description),
        &l("What is done instead", "替代做法"),
        w.map_or(Cell::Empty, |w| Cell::text(&w.description)),
        None,
        None,
        &l(
            "e.g. deposits on paper vouchers, posted when the system is back",
            "例如:使用手工凭证办理,系统恢复后补录",
        ),
    );
    let covers: Vec<&str> = w.map_or_else(Vec::new, |w| {
        w.covers.iter().map(|c| c.value.as_str()).collect()
    });
    let count = u8::try_from(covers.len() + SPARE_ROWS).unwrap_or(u8::MAX);
    for i in 0..count {
        form.answer(
            Field::Workaround(WorkPart::Covers(i)),
            &l("System it does without", "可暂不依赖的系统"),
            covers.get(usize::from(i)).map_or(Cell::Empty, |id| {
                Cell::text(entry(id, &name_of_system(lists, id)))
            }),
            None,
            Some(Validation::Range(systems.clone())),
            "",
        );
    }
    form.duration(
        Field::Workaround(WorkPart::SustainableFor),
        &l("How long it can be kept up", "可持续时间"),
        w.map(|w| *w.sustainable_for),
        lang,
        &l(
            "From the start of the disruption; the systems must be back by then.",
            "自中断开始计算;系统须在此之前恢复。",
        ),
    );
    form.answer(
        Field::Workaround(WorkPart::Capacity),
        &l("Capacity, % of normal", "处理能力(正常的百分比)"),
        w.and_then(|w| w.capacity_percent.as_ref())
            .map_or(Cell::Empty, |c| Cell::Number(f64::from(c.value))),
        None,
        Some(Validation::WholeNumber { min: 1, max: 100 }),
        &l("Optional, 1-100.", "可选,1-100。"),
    );
}

/// A system's name from the drop-down entries (`id — name`).
fn name_of_system(lists: &Lists, id: &str) -> String {
    lists
        .systems
        .iter()
        .find_map(|e| e.strip_prefix(&format!("{id} — ")))
        .unwrap_or_default()
        .to_string()
}

/// Impact categories and severities as the plan writes them (the drop-downs' words).
pub const IMPACT_CATEGORIES: [&str; 9] = [
    "operational",
    "financial",
    "customer_confidence",
    "market_share",
    "competitive",
    "future_sales",
    "legal_regulatory",
    "reputation",
    "safety",
];
pub const SEVERITIES: [&str; 4] = ["low", "medium", "high", "severe"];

/// The ids a function depends on, of one kind.
pub fn deps(f: &Function, kind: DepKind) -> Vec<&str> {
    let d = &f.depends_on;
    let list = match kind {
        DepKind::Functions => &d.functions,
        DepKind::Systems => &d.systems,
        DepKind::Sites => &d.sites,
        DepKind::Suppliers => &d.suppliers,
    };
    list.iter().map(|i| i.value.as_str()).collect()
}

fn name_of(plan: &Plan, kind: DepKind, id: &str) -> String {
    let found = match kind {
        DepKind::Functions => plan
            .functions
            .iter()
            .find(|x| x.id.value == id)
            .map(|x| x.name.clone()),
        DepKind::Systems => plan
            .systems
            .iter()
            .find(|x| x.id.value == id)
            .map(|x| x.name.clone()),
        DepKind::Sites => plan
            .sites
            .iter()
            .find(|x| x.id.value == id)
            .map(|x| x.name.clone()),
        DepKind::Suppliers => plan
            .suppliers
            .iter()
            .find(|x| x.id.value == id)
            .map(|x| x.name.clone()),
    };
    found.unwrap_or_default()
}

/// Rows of a form under construction, with the rules of their answer cells.
#[derive(Default)]
struct Form {
    rows: Vec<Vec<Cell>>,
    rules: Vec<CellRule>,
    questions: Vec<(usize, Field)>,
}

impl Form {
    /// A row that only informs.
    fn info(&mut self, question: &str, text: &str) {
        self.rows.push(vec![
            Cell::text(question),
            Cell::text(text),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
    }

    fn heading(&mut self, text: &str) {
        self.rows.push(vec![
            Cell::text(text),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
    }

    /// A question: the answer cell pre-filled with the plan's value, which column D repeats.
    fn answer(
        &mut self,
        field: Field,
        question: &str,
        value: Cell,
        unit: Option<Cell>,
        validation: Option<Validation>,
        help: &str,
    ) {
        let row = self.rows.len();
        let now = match (&value, &unit) {
            (Cell::Number(n), Some(Cell::Text(u))) => Cell::text(format!("{n} {u}")),
            (Cell::Empty, Some(Cell::Text(u))) => Cell::text(u),
            (v, _) => v.clone(),
        };
        self.rows.push(vec![
            Cell::text(question),
            value,
            unit.unwrap_or(Cell::Empty),
            now,
            Cell::text(help),
        ]);
        self.rules.push(CellRule {
            row,
            col: ANSWER,
            editable: true,
            validation,
            prompt: None,
        });
        self.questions.push((row, field));
    }

    /// A duration question: a whole number in B, its unit from the list in C.
    fn duration(
        &mut self,
        field: Field,
        question: &str,
        value: Option<Duration>,
        lang: Lang,
        help: &str,
    ) {
        let (number, unit) = value.map_or((Cell::Empty, Cell::Empty), |d| {
            let (n, unit) = duration_cells(d, lang);
            #[allow(clippy::cast_precision_loss)]
            let number = Cell::Number(n as f64);
            (number, Cell::text(unit))
        });
        self.answer(
            field,
            question,
            number,
            Some(unit),
            Some(Validation::WholeNumber {
                min: 0,
                max: 1_000_000,
            }),
            help,
        );
        self.unit_rule(Validation::List(unit_names(lang)));
    }

    /// The unit cell of the last question: editable, from the list of units.
    fn unit_rule(&mut self, units: Validation) {
        self.rules.push(CellRule {
            row: self.rows.len() - 1,
            col: UNIT,
            editable: true,
            validation: Some(units),
            prompt: None,
        });
    }
}
