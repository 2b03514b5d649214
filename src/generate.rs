//! `bcp generate` (hidden): a realistic synthetic plan of N business functions, written as a
//! plan folder, for the benchmark (`bench/run.sh`) and the generator's smoke test.
//!
//! The plan is valid by construction for the `--today` it was generated for:
//! - functions are numbered in order of RTO and depend only on lower-numbered functions and
//!   on systems whose RTO is at most 60% of their own, so the dependency graph is acyclic, no
//!   dependency recovers later than its dependent, and the dependent keeps at least 40% of
//!   its RTO for its own recovery steps;
//! - RPOs grow with RTOs (the same monotone table for functions and systems), so a
//!   dependency's RPO is never longer than its dependent's; every backup scheme includes one
//!   at least as frequent as the RPO;
//! - each function's recovery steps (declare -> restores in parallel -> verify -> resume) take
//!   at most 80% of the time its dependencies leave it;
//! - every person is in the call tree with a contact channel, every team has two leads,
//!   review, exercises, restore tests and supplier assessments are recent, open actions are
//!   not yet due;
//! - twenty scenarios, each survived by construction: the primary data centre (systems fail
//!   over to a DR site that is ready within the shortest system RTO), suppliers with an
//!   alternate (their switch-over is part of what a dependent function waits for), systems
//!   (no procedure rebuilds them; the DR site is ready before any RTO), single people (every
//!   team keeps a lead, every key person a backup) and shares of staff up to 40% (each
//!   function's headcount is three times its minimum staff).
//!
//! Deterministic: the same `--functions`, `--seed` and `--today` give the same bytes (a
//! splitmix64 generator; no clock, no hash map order).

use crate::error::Error;
use crate::model::{Date, Duration};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub functions: usize,
    pub seed: u64,
    /// The date the plan is current for: reviews, exercises and tests fall before it.
    pub today: Date,
}

/// What was written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub functions: usize,
    pub systems: usize,
    pub people: usize,
    pub teams: usize,
    pub sites: usize,
    pub suppliers: usize,
    pub procedures: usize,
    pub steps: usize,
    pub dependencies: usize,
    pub scenarios: usize,
}

/// Largest plan generated: far beyond the benchmark's 10,000, and a plain refusal before a
/// typo writes gigabytes.
pub const MAX_FUNCTIONS: usize = 1_000_000;

/// splitmix64 (Steele, Lea, Flood 2014): small, fast, and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number of days in `0..n`.
    fn days(&mut self, n: u64) -> i64 {
        i64::try_from(self.next() % n.max(1)).unwrap_or(0)
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const MIN: u64 = 1;
const HOUR: u64 = 60;
const DAY: u64 = 24 * HOUR;

/// RTOs by tier, each inside the tier's recovery window (domain.md §5).
const CRITICAL_RTO: [u64; 7] = [30 * MIN, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY];
const ESSENTIAL_RTO: [u64; 4] = [DAY + 12 * HOUR, 2 * DAY, 3 * DAY, 4 * DAY];
const NECESSARY_RTO: [u64; 3] = [5 * DAY, 6 * DAY, 7 * DAY];
const DESIRABLE_RTO: [u64; 4] = [10 * DAY, 14 * DAY, 21 * DAY, 30 * DAY];
const SYSTEM_RTO: [u64; 11] = [
    15 * MIN,
    30 * MIN,
    HOUR,
    2 * HOUR,
    4 * HOUR,
    8 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    3 * DAY,
    5 * DAY,
];

/// The RPO that goes with an RTO; monotone, so a faster dependency never loses more data.
fn rpo_for(rto: u64) -> u64 {
    match rto {
        0..=60 => 15 * MIN,
        61..=240 => HOUR,
        241..=1440 => 4 * HOUR,
        1441..=10080 => DAY,
        _ => 7 * DAY,
    }
}

fn tier_of(rto: u64) -> &'static str {
    match rto {
        0..=1440 => "critical",
        1441..=5760 => "essential",
        5761..=10080 => "necessary",
        _ => "desirable",
    }
}

fn dur(minutes: u64) -> Duration {
    Duration::from_minutes(minutes)
}

/// Step durations read like a person wrote them: whole 5 minutes above half an hour.
fn round_step(minutes: u64) -> u64 {
    if minutes > 30 {
        minutes - minutes % 5
    } else {
        minutes.max(1)
    }
}

const DEPARTMENTS: [&str; 20] = [
    "retail-banking",
    "corporate-banking",
    "payments",
    "treasury",
    "cards",
    "lending",
    "wealth",
    "trade-finance",
    "operations",
    "finance",
    "risk",
    "compliance",
    "human-resources",
    "customer-service",
    "marketing",
    "legal",
    "procurement",
    "facilities",
    "it-services",
    "audit",
];
const PROCESSES: [&str; 24] = [
    "account-opening",
    "settlement",
    "reconciliation",
    "clearing",
    "onboarding",
    "statements",
    "collections",
    "disbursement",
    "reporting",
    "pricing",
    "payroll",
    "complaints",
    "fraud-screening",
    "limits",
    "custody",
    "invoicing",
    "archiving",
    "approvals",
    "forecasting",
    "valuation",
    "call-centre",
    "branch-cash",
    "kyc-review",
    "liquidity",
];
const SYSTEM_NAMES: [(&str, &str); 12] = [
    ("core-ledger", "database"),
    ("payment-hub", "application"),
    ("crm", "application"),
    ("data-warehouse", "data_set"),
    ("mainframe", "infrastructure"),
    ("swift-gateway", "application"),
    ("document-store", "database"),
    ("wan", "network"),
    ("identity", "infrastructure"),
    ("card-switch", "application"),
    ("reporting-db", "database"),
    ("desktop", "end_user"),
];
const GIVEN: [&str; 16] = [
    "Wei", "Li", "Anna", "James", "Mei", "Omar", "Sofia", "Chen", "Priya", "Lukas", "Hana",
    "Yusuf", "Elena", "Jun", "Grace", "Tariq",
];
const FAMILY: [&str; 16] = [
    "Zhang", "Wang", "Smith", "Garcia", "Liu", "Khan", "Rossi", "Huang", "Patel", "Muller", "Sato",
    "Demir", "Ivanova", "Zhao", "Okafor", "Haddad",
];
const SUPPLIES: [&str; 8] = [
    "cloud hosting",
    "card processing",
    "market data",
    "cash in transit",
    "telecom lines",
    "printing and mailing",
    "data centre power",
    "desktop support",
];

/// A department: its slug and the indices of its people in the global list.
struct Dept {
    slug: String,
    name: String,
    people: Vec<usize>,
    site: String,
}

struct Func {
    id: String,
    name: String,
    dept: usize,
    rto: u64,
    /// Slowest thing it waits for: the longest RTO (or switch-over) among its dependencies.
    waits: u64,
    functions: Vec<usize>,
    systems: Vec<usize>,
    supplier: Option<usize>,
}

struct Sys {
    id: String,
    name: String,
    kind: &'static str,
    rto: u64,
    depends: Option<usize>,
}

struct Supplier {
    id: String,
    switch_over: Option<u64>,
}

/// Writes the plan folder `out` (created if missing; it must hold no plan yet).
///
/// # Errors
/// [`Error::Usage`] for a size out of range or a folder that already holds files;
/// [`Error::WriteOutput`] when a file cannot be written.
pub fn generate(options: &Options, out: &Path) -> Result<Summary, Error> {
    let n = options.functions;
    if n == 0 || n > MAX_FUNCTIONS {
        return Err(Error::Usage {
            message: format!("`--functions` must be between 1 and {MAX_FUNCTIONS}, not {n}"),
        });
    }
    if out.is_file() {
        return Err(Error::Usage {
            message: format!(
                "`{}` is a file; give a folder to write the plan into",
                out.display()
            ),
        });
    }
    if std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(Error::Usage {
            message: format!(
                "`{}` is not empty; nothing was written\nhelp: give a new or empty folder",
                out.display()
            ),
        });
    }
    let mut plan = Plan::build(options);
    let files = plan.files();
    let mut summary = Summary {
        functions: plan.funcs.len(),
        systems: plan.systems.len(),
        people: plan.people.len(),
        teams: CORE_TEAMS.len() + plan.depts.len(),
        sites: 4 + plan.depts.len(),
        suppliers: plan.suppliers.len(),
        procedures: plan.funcs.len(),
        steps: plan.steps,
        scenarios: SCENARIOS,
        dependencies: plan
            .funcs
            .iter()
            .map(|f| f.functions.len() + f.systems.len() + 1 + usize::from(f.supplier.is_some()))
            .sum::<usize>()
            + plan.systems.iter().filter(|s| s.depends.is_some()).count(),
        ..Summary::default()
    };
    let set: Vec<(PathBuf, &[u8])> = files
        .iter()
        .map(|(relative, text)| (out.join(relative), text.as_bytes()))
        .collect();
    crate::output::write_set(
        &set,
        crate::output::Links::Refuse,
        crate::output::Existing::Replace,
    )?;
    summary.files = files.len();
    summary.bytes = files.iter().map(|(_, text)| text.len() as u64).sum();
    Ok(summary)
}

/// Scenarios in every generated plan.
pub const SCENARIOS: usize = 20;

/// The five core teams of the seed, led by the first ten core people.
const CORE_TEAMS: [(&str, &str, &str); 5] = [
    ("team-management", "Crisis management team", "management"),
    ("team-assessment", "Damage assessment team", "assessment"),
    ("team-technical", "Technical recovery team", "technical"),
    ("team-operations", "Operations team", "operations"),
    (
        "team-communications",
        "Crisis communications",
        "communications",
    ),
];
/// People before the departments' own: the plan owner and the core teams' two leads each.
const CORE_PEOPLE: usize = 1 + 2 * CORE_TEAMS.len();

struct Person {
    id: String,
    name: String,
    dept: Option<usize>,
}

/// The generated plan, before it is written out as text.
struct Plan {
    today: Date,
    rng: Rng,
    depts: Vec<Dept>,
    people: Vec<Person>,
    funcs: Vec<Func>,
    systems: Vec<Sys>,
    suppliers: Vec<Supplier>,
    steps: usize,
}

impl Plan {
    fn build(options: &Options) -> Plan {
        let n = options.functions;
        let mut rng = Rng(options.seed ^ 0x6263_702d_706c_616e);
        let dept_count = n.div_ceil(50).clamp(1, 200);
        let mut people = Vec::new();
        let mut new_person = |rng: &mut Rng, dept: Option<usize>| {
            let i = people.len() + 1;
            people.push(Person {
                id: format!("p-{i:05}"),
                name: format!("{} {}", rng.pick(&FAMILY), rng.pick(&GIVEN)),
                dept,
            });
            people.len() - 1
        };
        for _ in 0..CORE_PEOPLE {
            new_person(&mut rng, None);
        }
        let per_dept = n.div_ceil(dept_count);
        let mut depts = Vec::new();
        for d in 0..dept_count {
            let base = DEPARTMENTS[d % DEPARTMENTS.len()];
            let slug = if dept_count > DEPARTMENTS.len() {
                format!("{base}-{:02}", d / DEPARTMENTS.len() + 1)
            } else {
                base.to_string()
            };
            let name = title(&slug);
            let staff = (per_dept / 2).max(4);
            let members = (0..staff).map(|_| new_person(&mut rng, Some(d))).collect();
            depts.push(Dept {
                site: format!("site-office-{slug}"),
                slug,
                name,
                people: members,
            });
        }

        // Systems, sorted by RTO: a system depends only on an earlier one.
        let system_count = (n / 5).max(5);
        let mut rtos: Vec<u64> = (0..system_count).map(|_| *rng.pick(&SYSTEM_RTO)).collect();
        rtos.sort_unstable();
        let mut systems = Vec::with_capacity(system_count);
        for (i, rto) in rtos.into_iter().enumerate() {
            let (base, kind) = *rng.pick(&SYSTEM_NAMES);
            let depends = (i > 0 && rng.percent(50)).then(|| rng.below(i));
            systems.push(Sys {
                id: format!("sys-{base}-{:05}", i + 1),
                name: format!("{} {}", title(base), i + 1),
                kind,
                rto,
                depends,
            });
        }

        let supplier_count = (n / 20).max(3);
        let suppliers: Vec<Supplier> = (0..supplier_count)
            .map(|i| Supplier {
                id: format!("sup-{:04}", i + 1),
                switch_over: rng
                    .percent(40)
                    .then(|| *rng.pick(&[2 * HOUR, 4 * HOUR, DAY])),
            })
            .collect();

        // Functions, sorted by RTO: a function depends only on earlier, faster ones.
        let mut rtos: Vec<u64> = (0..n)
            .map(|_| match rng.below(100) {
                0..25 => *rng.pick(&CRITICAL_RTO),
                25..55 => *rng.pick(&ESSENTIAL_RTO),
                55..80 => *rng.pick(&NECESSARY_RTO),
                _ => *rng.pick(&DESIRABLE_RTO),
            })
            .collect();
        rtos.sort_unstable();
        let mut funcs: Vec<Func> = Vec::with_capacity(n);
        for (i, rto) in rtos.iter().copied().enumerate() {
            let limit = rto * 6 / 10;
            let fn_prefix = rtos[..i].partition_point(|r| *r <= limit);
            let sys_prefix = systems.partition_point(|s| s.rto <= limit);
            let functions = distinct(&mut rng, fn_prefix, 2);
            let systems_used = distinct(&mut rng, sys_prefix, 2);
            let supplier = rng
                .percent(40)
                .then(|| rng.below(suppliers.len()))
                .filter(|s| suppliers[*s].switch_over.is_none_or(|t| t <= limit));
            let waits = functions
                .iter()
                .map(|f| rtos[*f])
                .chain(systems_used.iter().map(|s| systems[*s].rto))
                .chain(supplier.and_then(|s| suppliers[s].switch_over))
                .max()
                .unwrap_or(0);
            let dept = i % dept_count;
            let process = *rng.pick(&PROCESSES);
            funcs.push(Func {
                id: format!("{}-{process}-{:05}", depts[dept].slug, i + 1),
                name: format!("{} {} {}", depts[dept].name, title(process), i + 1),
                dept,
                rto,
                waits,
                functions,
                systems: systems_used,
                supplier,
            });
        }
        Plan {
            today: options.today,
            rng,
            depts,
            people,
            funcs,
            systems,
            suppliers,
            steps: 0,
        }
    }

    fn date(&self, days_before: i64) -> Date {
        self.today.plus_days(-days_before)
    }

    /// Every file of the plan: relative path and text, in a fixed order.
    fn files(&mut self) -> Vec<(PathBuf, String)> {
        let mut files = vec![(PathBuf::from("bcp.yaml"), self.main_file())];
        for d in 0..self.depts.len() {
            let text = self.department_file(d);
            files.push((
                PathBuf::from("departments").join(format!("{}.yaml", self.depts[d].slug)),
                text,
            ));
        }
        for (chunk, start) in (0..self.systems.len()).step_by(250).enumerate() {
            let end = (start + 250).min(self.systems.len());
            let text = self.systems_file(start..end);
            files.push((
                PathBuf::from("it").join(format!("systems-{:03}.yaml", chunk + 1)),
                text,
            ));
        }
        files.push((PathBuf::from("suppliers.yaml"), self.suppliers_file()));
        files.push((PathBuf::from("risks.yaml"), self.risks_file()));
        files
    }

    fn person_yaml(&mut self, out: &mut String, p: usize) {
        let person = &self.people[p];
        let (id, name) = (&person.id, &person.name);
        let number = 1_000_000 + p;
        let _ = writeln!(out, "  - id: {id}\n    name: {name}");
        match person.dept {
            Some(d) => {
                let _ = writeln!(out, "    department: {}", self.depts[d].name);
            }
            None => {
                let _ = writeln!(out, "    role: Continuity coordinator");
            }
        }
        let _ = writeln!(
            out,
            "    contacts:\n      mobile: \"+86 139 {:04} {:04}\"\n      email: {id}@example.com",
            number / 10_000 % 10_000,
            number % 10_000
        );
        if self.rng.percent(20) {
            let _ = writeln!(out, "      im: wechat-{id}");
        }
    }

    fn main_file(&mut self) -> String {
        let mut s = String::new();
        let owner = self.people[0].id.clone();
        let _ = write!(
            s,
            "# Synthetic plan generated by `bcp generate` for benchmarks.
plan:\n  title: Business Continuity Plan\n  organisation: Example Banking Group\n  version: \"4.2\"\n  owner: {owner}
  classification: Internal\n  currency: CNY\n  scope:\n    summary: All business units, sites and IT services of the group.
    units:\n"
        );
        for d in &self.depts {
            let _ = writeln!(s, "      - {}", d.name);
        }
        let _ = writeln!(s, "    sites:\n      - site-hq\n      - site-dc-primary");
        let _ = write!(
            s,
            "  objectives:\n    - Keep critical payments running through any single-site loss.
  max_tolerable_interruption: 90d\n  max_data_loss: 1w\n  approvals:\n    - by: {owner}\n      role: Chief Risk Officer\n      date: {}\n      version: \"4.2\"
  review:\n    interval_months: 12\n    last_reviewed: {}\n    history:\n      - date: {}\n        by: {owner}\n        notes: Annual review.\n",
            self.date(40),
            self.date(45),
            self.date(45)
        );

        let _ = writeln!(s, "people:");
        for p in 0..CORE_PEOPLE {
            self.person_yaml(&mut s, p);
        }
        let _ = writeln!(s, "teams:");
        for (t, (id, name, kind)) in CORE_TEAMS.iter().enumerate() {
            let (lead, second) = (&self.people[1 + 2 * t].id, &self.people[2 + 2 * t].id);
            let _ = writeln!(
                s,
                "  - id: {id}\n    name: {name}\n    kind: {kind}\n    lead: {lead}\n    second_lead: {second}\n    channels: [mobile, conference bridge]"
            );
        }
        self.call_tree(&mut s);
        let _ = write!(
            s,
            "emergency_response:\n  activation_criteria:\n    - Loss of a data centre or a main office.\n    - A critical function down for more than half its RTO.
  activation_authority: [team-management]\n  first_actions:\n    - Account for all staff.\n    - Start the call tree.
  channels: [mobile, email]\n  backup_channels: [satellite phone]\n  key_numbers:\n    - name: Fire and rescue\n      number: \"119\"
  messages:\n    - id: msg-staff\n      audience: staff\n      channel: SMS\n      sender: team-communications\n      text: Report to your alternate site as planned.\n"
        );
        let sites = [
            ("site-hq", "Head office", "headquarters", ""),
            ("site-dc-primary", "Primary data centre", "data_centre", ""),
            // Ready within the shortest system RTO, so every system survives a fail-over.
            (
                "site-dc-dr",
                "Disaster recovery data centre",
                "dr_data_centre",
                "15m",
            ),
            ("site-alternate", "Alternate work site", "alternate", "4h"),
        ];
        let _ = writeln!(s, "sites:");
        for (id, name, kind, activation) in sites {
            let _ = writeln!(s, "  - id: {id}\n    name: {name}\n    kind: {kind}");
            if !activation.is_empty() {
                let _ = writeln!(s, "    activation_time: {activation}");
            }
            if id == "site-dc-primary" {
                let _ = writeln!(s, "    alternate: site-dc-dr");
            }
            if id == "site-dc-dr" {
                let _ = writeln!(s, "    dr_level: 5");
            }
        }
        for d in &self.depts {
            let _ = writeln!(
                s,
                "  - id: {}\n    name: {} office\n    kind: office\n    alternate: site-alternate\n    assembly_points: [car park]",
                d.site, d.name
            );
        }
        let _ = writeln!(s, "resources:");
        for i in 0..(self.depts.len() / 2).max(1) {
            let _ = writeln!(
                s,
                "  - id: res-laptops-{:03}\n    name: Recovery laptops {}\n    type: laptop\n    quantity: {}\n    location: site-alternate\n    owner: {}",
                i + 1,
                i + 1,
                20 + self.rng.below(30),
                self.people[7].id
            );
        }
        let _ = writeln!(s, "strategies:");
        for (i, f) in self.funcs.iter().enumerate().step_by(200) {
            let _ = writeln!(
                s,
                // No annual cost: a made-up figure would make the cost trade-off (F003)
                // depend on the random losses; the plan stays valid by construction.
                "  - id: str-{:04}\n    name: Alternate site for {}\n    kind: recovery\n    covers: [{}]\n    recovery_time: {}",
                i / 200 + 1,
                f.name,
                f.id,
                dur(f.rto)
            );
        }
        let _ = writeln!(
            s,
            "training:\n  - id: tr-awareness\n    name: Continuity awareness\n    audience: [all staff]\n    method: online\n    every_months: 12\n    last_delivered: {}",
            self.date(100)
        );
        self.scenarios(&mut s);
        let _ = writeln!(s, "exercises:");
        let exercises = (self.funcs.len() / 500).max(2);
        for e in 0..exercises {
            let days = 30 + 60 * i64::try_from(e).unwrap_or(0);
            let _ = writeln!(
                s,
                "  - id: ex-{:03}\n    name: Exercise {}\n    date: {}\n    type: {}\n    scenario: sc-dc-loss\n    conditions: disaster\n    participants: [team-management, team-technical]",
                e + 1,
                e + 1,
                self.date(days),
                if e % 2 == 0 { "tabletop" } else { "simulation" }
            );
            let _ = writeln!(
                s,
                "    results:\n      findings: [Call tree took longer than planned.]\n      actions:\n        - id: act-{:03}\n          description: Update the call list.\n          owner: {}\n          due: {}\n          status: {}",
                e + 1,
                self.people[1].id,
                self.today.plus_days(60),
                if e % 2 == 0 { "open" } else { "done" }
            );
        }
        s
    }

    /// Twenty scenarios the plan survives by construction (see the module's notes): the data
    /// centre, four shares of staff, suppliers with an alternate, single people, and systems.
    fn scenarios(&mut self, s: &mut String) {
        let _ = write!(
            s,
            "scenarios:\n  - id: sc-dc-loss\n    name: Loss of the primary data centre\n    loses: [site-dc-primary]\n    damage: destroyed\n"
        );
        let mut count = 1;
        for (i, percent) in [10, 20, 30, 40].into_iter().enumerate() {
            let _ = write!(
                s,
                "  - id: sc-staff-{percent}\n    name: Epidemic wave {}\n    staff_unavailable_percent: {percent}\n    warning_time: {}w\n    loses: []\n    damage: inaccessible\n",
                i + 1,
                i + 1
            );
            count += 1;
        }
        let with_alternate: Vec<usize> = (0..self.suppliers.len())
            .filter(|&i| self.suppliers[i].switch_over.is_some())
            .take(8)
            .collect();
        for i in with_alternate {
            let _ = write!(
                s,
                "  - id: sc-supplier-{}\n    name: Supplier {} fails\n    loses: [{}]\n    damage: no_physical_damage\n",
                i + 1,
                i + 1,
                self.suppliers[i].id
            );
            count += 1;
        }
        // A core team lead and department recovery leads: the second leads stand in.
        let mut people = vec![1];
        people.extend(self.depts.iter().take(2).map(|d| d.people[0]));
        for p in people {
            let id = &self.people[p].id;
            let _ = write!(
                s,
                "  - id: sc-person-{id}\n    name: {} unavailable\n    loses: [{id}]\n    damage: no_physical_damage\n",
                self.people[p].name
            );
            count += 1;
        }
        // The rest: ransomware encrypting a few systems at a time.
        let mut k = 0;
        while count < SCENARIOS {
            let lost: Vec<&str> = (0..3)
                .map(|_| self.systems[self.rng.below(self.systems.len())].id.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            k += 1;
            let _ = write!(
                s,
                "  - id: sc-ransomware-{k}\n    name: Ransomware wave {k}\n    loses: [{}]\n    damage: no_physical_damage\n",
                lost.join(", ")
            );
            count += 1;
        }
    }

    /// Everyone, in a tree of fan-out 6 (heap order): person k calls 6k+1..6k+6. Each caller
    /// has a fallback, the next person in the list.
    fn call_tree(&self, s: &mut String) {
        const FAN_OUT: usize = 6;
        let count = self.people.len();
        let _ = writeln!(
            s,
            "call_tree:\n  minutes_per_call: 2\n  trigger: On activation by the crisis management team.\n  tree:"
        );
        // Iterative depth-first walk: (person, depth).
        let mut stack = vec![(0usize, 0usize)];
        while let Some((k, depth)) = stack.pop() {
            let indent = "  ".repeat(2 + 2 * depth);
            let _ = writeln!(s, "{indent}- person: {}", self.people[k].id);
            let first = FAN_OUT * k + 1;
            if first < count {
                let fallback = if k + 1 < count { k + 1 } else { k - 1 };
                let _ = writeln!(
                    s,
                    "{indent}  fallback: {}\n{indent}  calls:",
                    self.people[fallback].id
                );
                for child in (first..(first + FAN_OUT).min(count)).rev() {
                    stack.push((child, depth + 1));
                }
            }
        }
    }

    fn department_file(&mut self, d: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {} department.\npeople:", self.depts[d].name);
        for p in self.depts[d].people.clone() {
            self.person_yaml(&mut s, p);
        }
        let dept = &self.depts[d];
        let ids: Vec<&str> = dept
            .people
            .iter()
            .map(|p| self.people[*p].id.as_str())
            .collect();
        let _ = writeln!(
            s,
            "teams:\n  - id: team-{}-recovery\n    name: {} recovery team\n    kind: operations\n    lead: {}\n    second_lead: {}\n    members: [{}]",
            dept.slug,
            dept.name,
            ids[0],
            ids[1],
            ids[2..].join(", ")
        );
        let _ = writeln!(s, "functions:");
        let mine: Vec<usize> = (d..self.funcs.len()).step_by(self.depts.len()).collect();
        for (k, &i) in mine.iter().enumerate() {
            self.function_yaml(&mut s, i, k);
        }
        let _ = writeln!(s, "procedures:");
        for &i in &mine {
            self.procedure_yaml(&mut s, i);
        }
        s
    }

    fn function_yaml(&mut self, s: &mut String, i: usize, k: usize) {
        let f = &self.funcs[i];
        let dept = &self.depts[f.dept];
        let staff = &dept.people;
        let owner = &self.people[staff[k % staff.len()]].id;
        let backup = &self.people[staff[(k + 1) % staff.len()]].id;
        let rto = f.rto;
        let tier = tier_of(rto);
        let _ = writeln!(
            s,
            "  - id: {}\n    name: {}\n    description: Keeps {} running for customers and other departments.\n    owner: {owner}\n    tier: {tier}\n    rto: {}\n    rpo: {}\n    mtd: {}",
            f.id,
            f.name,
            f.name,
            dur(rto),
            dur(rpo_for(rto)),
            dur(2 * rto)
        );
        if i.is_multiple_of(3) {
            let _ = writeln!(s, "    peak_periods: [month end, Chinese New Year]");
        }
        let _ = writeln!(
            s,
            "    impacts:\n      - after: {}\n        category: financial\n        severity: high\n      - after: {}\n        category: reputation\n        severity: severe\n    loss_per_day: {}",
            dur(rto),
            dur(2 * rto),
            10_000 * (1 + i % 50)
        );
        if tier == "critical" {
            let _ = writeln!(
                s,
                "    recovery_targets:\n      - within: {}\n        percent: 40\n      - within: {}\n        percent: 100",
                dur((rto / 2).max(1)),
                dur(rto)
            );
        }
        let _ = writeln!(
            s,
            "    resources:\n      staff: {}\n      headcount: {}\n      key_people:\n        - person: {owner}\n          backup: {backup}\n      equipment: [desktop PC, phone]",
            2 + i % 7,
            3 * (2 + i % 7)
        );
        let _ = writeln!(s, "    depends_on:");
        if !f.functions.is_empty() {
            let list: Vec<&str> = f
                .functions
                .iter()
                .map(|j| self.funcs[*j].id.as_str())
                .collect();
            let _ = writeln!(s, "      functions: [{}]", list.join(", "));
        }
        if !f.systems.is_empty() {
            let list: Vec<&str> = f
                .systems
                .iter()
                .map(|j| self.systems[*j].id.as_str())
                .collect();
            let _ = writeln!(s, "      systems: [{}]", list.join(", "));
        }
        let _ = writeln!(s, "      sites: [{}]", dept.site);
        if let Some(sup) = f.supplier {
            let _ = writeln!(s, "      suppliers: [{}]", self.suppliers[sup].id);
        }
    }

    /// declare -> 1 to 3 restores in parallel -> verify -> resume, within 80% of the time
    /// the function's dependencies leave it.
    fn procedure_yaml(&mut self, s: &mut String, i: usize) {
        let f = &self.funcs[i];
        let budget = (f.rto - f.waits) * 8 / 10;
        let team = format!("team-{}-recovery", self.depts[f.dept].slug);
        let restores = 1 + self.rng.below(3);
        let declare = round_step(budget / 10);
        let restore_max = budget * 55 / 100;
        let verify = round_step(budget * 15 / 100);
        let resume = round_step(budget / 10);
        let _ = writeln!(
            s,
            "  - id: proc-{}\n    name: Recover {}\n    recovers: [{}]\n    steps:\n      - id: declare\n        name: Declare the outage and call the team\n        team: {team}\n        duration: {}\n        phase: activation",
            f.id,
            f.name,
            f.id,
            dur(declare)
        );
        let mut after = Vec::new();
        for r in 1..=restores {
            let share = 50 + self.rng.below(51) as u64;
            let minutes = round_step(restore_max * share / 100);
            let what = if r == 1 { "data" } else { "service" };
            let team = if r == 2 { "team-technical" } else { &team };
            let _ = writeln!(
                s,
                "      - id: restore-{r}\n        name: Restore {what} {r}\n        team: {team}\n        duration: {}\n        after: [declare]",
                dur(minutes)
            );
            after.push(format!("restore-{r}"));
        }
        let _ = writeln!(
            s,
            "      - id: verify\n        name: Verify with the business\n        team: {team}\n        duration: {}\n        after: [{}]\n      - id: resume\n        name: Resume normal service\n        team: {team}\n        duration: {}\n        after: [verify]\n        phase: reconstitution",
            dur(verify),
            after.join(", "),
            dur(resume)
        );
        self.steps += restores + 3;
    }

    fn systems_file(&mut self, range: std::ops::Range<usize>) -> String {
        let mut s = String::from("systems:\n");
        for i in range {
            let sys = &self.systems[i];
            let rpo = rpo_for(sys.rto);
            let _ = writeln!(
                s,
                "  - id: {}\n    name: {}\n    kind: {}\n    owner: team-technical\n    rto: {}\n    rpo: {}\n    depends_on:",
                sys.id,
                sys.name,
                sys.kind,
                dur(sys.rto),
                dur(rpo)
            );
            if let Some(d) = sys.depends {
                let _ = writeln!(s, "      systems: [{}]", self.systems[d].id);
            }
            let _ = writeln!(
                s,
                "      sites: [site-dc-primary]\n    dr_site: site-dc-dr\n    backups:\n      - type: {}\n        every: {}\n        media: disk\n        location: site-dc-dr\n        offsite: true\n        retention: 2w",
                if rpo < DAY { "log" } else { "incremental" },
                dur(rpo)
            );
            if rpo < DAY {
                let _ = writeln!(
                    s,
                    "      - type: full\n        every: 1d\n        media: tape\n        location: Off-site vault\n        offsite: true\n        retention: 12w"
                );
            }
            let tested = 10 + self.rng.days(300);
            let _ = writeln!(
                s,
                "    config_backed_up: true\n    last_restore_test: {}",
                self.date(tested)
            );
        }
        s
    }

    fn suppliers_file(&mut self) -> String {
        let mut s = String::from("suppliers:\n");
        let count = self.suppliers.len();
        for i in 0..count {
            let sup = &self.suppliers[i];
            let supplies = SUPPLIES[i % SUPPLIES.len()];
            let _ = writeln!(
                s,
                "  - id: {}\n    name: Supplier {} Ltd\n    supplies: {supplies}\n    contract: MSA-{:05}\n    contact: \"+86 400 800 {:04}\"",
                sup.id,
                i + 1,
                i + 1,
                i % 10_000
            );
            if i % 5 == 0 {
                let _ = writeln!(s, "    critical: true");
            }
            let assessed = 20 + self.rng.days(300);
            let _ = writeln!(s, "    bcp_assessed: {}", self.date(assessed));
            if let Some(t) = sup.switch_over {
                let alternate = &self.suppliers[(i + 1) % count].id;
                let _ = writeln!(
                    s,
                    "    alternates: [{alternate}]\n    switch_over: {}",
                    dur(t)
                );
            }
        }
        s
    }

    fn risks_file(&mut self) -> String {
        const CATEGORIES: [(&str, &str, &str); 6] = [
            ("natural", "advance", "partly_destroyed"),
            ("man_made", "none", "destroyed"),
            ("technical", "none", "no_physical_damage"),
            ("security", "none", "no_physical_damage"),
            ("supply_chain", "advance", "no_physical_damage"),
            ("process", "advance", "inaccessible"),
        ];
        let mut s = String::from("risks:\n");
        let count = (self.funcs.len() / 50).max(5);
        for i in 0..count {
            let (category, warning, damage) = CATEGORIES[i % CATEGORIES.len()];
            let affects: Vec<&str> = (0..3)
                .map(|_| self.funcs[self.rng.below(self.funcs.len())].id.as_str())
                .collect();
            let _ = writeln!(
                s,
                "  - id: risk-{:04}\n    title: Risk {} ({category})\n    category: {category}\n    likelihood: {}\n    impact: {}\n    warning: {warning}\n    damage: {damage}\n    treatment: mitigate\n    controls:\n      - kind: preventive\n        description: Monitoring and redundancy.\n    owner: {}\n    affects: [{}]",
                i + 1,
                i + 1,
                1 + i % 5,
                1 + (i / 5) % 5,
                self.people[1 + i % (CORE_PEOPLE - 1)].id,
                affects.join(", ")
            );
        }
        s
    }
}

/// Up to `want` distinct numbers below `n`, in increasing order.
fn distinct(rng: &mut Rng, n: usize, want: usize) -> Vec<usize> {
    let mut picked: Vec<usize> = Vec::with_capacity(want);
    if n == 0 {
        return picked;
    }
    for _ in 0..want.min(n) {
        let mut x = rng.below(n);
        while picked.contains(&x) {
            x = (x + 1) % n;
        }
        picked.push(x);
    }
    picked.sort_unstable();
    picked
}

/// `core-ledger` -> `Core Ledger`.
fn title(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
